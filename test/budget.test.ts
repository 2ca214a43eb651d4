// Every file has a bounded cost, whatever its code does. Each fixture below would take minutes,
// or exhaust the process's memory, if footgun followed it to the end; the budget (src/extract/budget.ts)
// stops it, and a note (an analysis-limit finding) says where. The bounds are asserted on the work
// counted, never on time.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../src/extract/budget.js';
import { extractModels } from '../src/extract/index.js';
import { parsePython } from '../src/parse/parse-python.js';
import { readFixture } from './helpers.js';

function extract(source: string) {
  const extraction = extractModels(parsePython(source).doc);
  return { cost: extraction.cost, notes: extraction.notes.map((note) => `${note.range.line}: ${note.message}`) };
}

function withinEveryBound(cost: ReturnType<typeof extract>['cost']): void {
  expect(cost.statements).toBeLessThanOrEqual(LIMITS.statements);
  expect(cost.expressions).toBeLessThanOrEqual(LIMITS.evaluations);
  expect(cost.graph).toBeLessThanOrEqual(LIMITS.graph);
  // the model that crosses the line is read whole: at most the graph
  expect(cost.modelLayers).toBeLessThanOrEqual(LIMITS.modelLayers + LIMITS.graph);
}

describe('the per-file budget', () => {
  it.each([
    ['recursive_builder.py', [/^8: footgun stopped following this file here after 15,000 layers and models/]],
    ['recursive_module.py', [/^16: footgun stopped following this file here after 15,000 layers and models/]],
    ['nested_loops.py', [/^8: This list grows past 4,096 items/, /^8: footgun stopped following this file here after 50,000 statements/]],
    ['undecided_branches_in_loops.py', [/^14: footgun stopped following this file here after 2,000,000 expressions/]],
    ['doubling_list.py', [/^6: This list grows past 4,096 items/]],
    ['deep_expression.py', [/^13: This expression nests more than 200 levels deep/]],
  ])('stops %s, says where, and stays within every bound', (fixture, notes) => {
    const { cost, notes: written } = extract(readFixture(`adversarial/${fixture}`));
    expect(written).toEqual(notes.map((note) => expect.stringMatching(note)));
    withinEveryBound(cost);
  });

  it('charges a list copied under undecided branches by its length', () => {
    // 4,096 passes of a few statements each: the statements alone would not stop it
    const { cost } = extract(readFixture('adversarial/undecided_branches_in_loops.py'));
    expect(cost.statements).toBeLessThan(LIMITS.statements);
    expect(cost.expressions).toBeGreaterThanOrEqual(LIMITS.evaluations);
  });

  it('caps the layers that all of a file’s models read together', () => {
    // one functional graph and a model per prefix of it: 300 models of up to 300 layers, 45,150 layers in all
    const stages = Array.from({ length: 300 }, (_, i) => `x = layers.Dense(8)(x)\nstages.append(keras.Model(inputs, x, name="m${i}"))`).join('\n');
    const source = `import keras\nfrom keras import layers\ninputs = keras.Input(shape=(8,))\nx = inputs\nstages = []\n${stages}\n`;
    const { cost, notes } = extract(source);
    expect(notes).toEqual([expect.stringMatching(/footgun read 30,000 layers of this file's models and stopped; this model and those after it are not analysed/)]);
    expect(cost.modelLayers).toBeGreaterThanOrEqual(LIMITS.modelLayers);
    expect(cost.modelLayers).toBeLessThanOrEqual(LIMITS.modelLayers + 300);
  });
});
