// The same model written every way users write Keras must give the same review: the same
// findings (rule, severity, line, model, message, related lines) and the same model summary
// (every layer's type, line, output shape and parameters), line numbers translated.
import { describe, expect, it } from 'vitest';
import type { FileResult, Finding, ModelSummary } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import type { ModelKind } from '../src/ir.js';
import { configFrom, readFixture } from './helpers.js';

interface Spelling {
  file: string;
  kind: ModelKind;
  /** seed_d.py's line of each layer → the line that creates the same layer here */
  lines: Record<number, number>;
  /**
   * Where call() wires the layers of a subclassed model: seed_d.py's line → the line of the call.
   * The findings about how layers follow each other are reported there (WIRING_RULES).
   */
  calls?: Record<number, number>;
  /** seed_d.py lines whose layer is part of another one here (Dense(10, activation='sigmoid')) */
  folded?: number[];
  /** how this spelling's messages name what seed_d.py names otherwise: [here, in seed_d.py] */
  renamed?: [RegExp, string][];
}

const WIRING_RULES = new Set(['activation-before-pool', 'missing-activation', 'dropout-after-output']);
/** Layer classes that are one layer under two names. */
const SAME_LAYER: Record<string, string> = { MaxPooling2D: 'MaxPool2D', ReLU: 'Activation' };

const SPELLINGS: Spelling[] = [
  {
    file: 'seed_d_list.py',
    kind: 'sequential',
    lines: { 4: 7, 5: 8, 6: 9, 8: 10, 9: 11, 11: 12, 12: 13, 13: 14, 15: 15, 16: 16, 17: 17, 18: 18, 19: 19, 20: 20 },
  },
  {
    file: 'seed_d_functional.py',
    kind: 'functional',
    lines: { 4: 5, 5: 6, 6: 7, 8: 8, 9: 9, 11: 10, 12: 11, 13: 12, 15: 13, 16: 14, 17: 15, 18: 16, 19: 17, 20: 18 },
    renamed: [[/\bMaxPooling2D\b/g, 'MaxPool2D']],
  },
  {
    file: 'seed_d_subclass.py',
    kind: 'subclass',
    lines: { 4: 11, 5: 12, 6: 13, 8: 14, 9: 15, 11: 16, 12: 17, 13: 18, 15: 19, 16: 20, 17: 21, 18: 22, 19: 23, 20: 24 },
    calls: { 4: 27, 5: 27, 6: 27, 8: 28, 9: 28, 11: 29, 12: 29, 13: 30, 15: 30, 16: 31, 17: 31, 18: 32, 19: 32, 20: 32 },
  },
  {
    file: 'seed_d_star.py',
    kind: 'sequential',
    // both convolutions of the loop are written on lines 10 and 12, with one Activation line
    lines: { 4: 10, 5: 13, 6: 15, 8: 12, 9: 13, 11: 16, 12: 17, 13: 18, 15: 19, 16: 20, 17: 21, 18: 22, 19: 22, 20: 23 },
    folded: [19],
    // the sigmoid is the Dense layer's own activation, so the output layer is that Dense
    renamed: [[/\bMaxPooling2D\b/g, 'MaxPool2D'], [/\(Dense at line/g, '(Activation at line']],
  },
];

function review(path: string): FileResult {
  return analyzeSource(path, readFixture(path), configFrom());
}

/** A finding as comparable across spellings: line numbers in messages masked, names renamed. */
function comparable(finding: Finding, line: (line: number) => number, renamed: [RegExp, string][] = []) {
  let message = finding.message.replace(/\bline \d+/g, 'line N');
  for (const [here, there] of renamed) message = message.replace(here, there);
  return {
    rule: finding.rule,
    severity: finding.severity,
    line: line(finding.line),
    model: finding.model,
    message,
    related: finding.related.map((r) => line(r.line)),
  };
}

function byPosition(a: { line: number; rule: string; related: number[] }, b: { line: number; rule: string; related: number[] }): number {
  return a.line - b.line || a.rule.localeCompare(b.rule) || String(a.related).localeCompare(String(b.related));
}

/** The layers as the reference has them: a subclass names its layers after their attributes, the reference does not. */
function layersOf(model: ModelSummary) {
  return model.layers.map(({ name: _name, ...layer }) => ({ ...layer, type: SAME_LAYER[layer.type] ?? layer.type }));
}

const reference = review('seed/seed_d.py');
const referenceModel = reference.models[0]!;

describe('seed d in other spellings', () => {
  it('the reference review has the twelve seed-d findings and one model', () => {
    expect(reference.findings).toHaveLength(12);
    expect(reference.models).toHaveLength(1);
    expect(referenceModel.params).toBe(675_722);
    expect(referenceModel.layers).toHaveLength(14);
    expect(referenceModel.layers.at(-1)!.output).toEqual([null, 10]);
  });

  for (const spelling of SPELLINGS) {
    const translate = (table: Record<number, number>) => (line: number) => {
      expect(table[line], `${spelling.file} has no line for seed_d.py line ${line}`).toBeDefined();
      return table[line]!;
    };

    it(`${spelling.file}: same findings, on the lines that say the same`, () => {
      const result = review(`keras/spellings/${spelling.file}`);
      expect(result.error).toBeNull();
      const expected = reference.findings.map((f) => comparable(f, translate(spelling.calls && WIRING_RULES.has(f.rule) ? spelling.calls : spelling.lines)));
      const actual = result.findings.map((f) => comparable(f, (line) => line, spelling.renamed));
      expect(actual.sort(byPosition)).toEqual(expected.sort(byPosition));
    });

    it(`${spelling.file}: same model, every layer's shape and parameters`, () => {
      const result = review(`keras/spellings/${spelling.file}`);
      expect(result.models).toHaveLength(1);
      const model = result.models[0]!;
      const { line: _referenceLine, layers: _referenceLayers, kind: _referenceKind, ...rest } = referenceModel;
      expect(model).toMatchObject({ ...rest, kind: spelling.kind });
      const line = translate(spelling.lines);
      const expectedLayers = layersOf(referenceModel)
        .filter((layer) => !spelling.folded?.includes(layer.line))
        .map((layer) => ({ ...layer, line: line(layer.line) }));
      expect(layersOf(model)).toEqual(expectedLayers);
    });
  }
});
