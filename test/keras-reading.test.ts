// Keras code as people really write it: comments among the layers, Keras 1 and 2 spellings,
// Lambda and TimeDistributed layers, models reused inside other models, branches on the
// backend's image data format. Parameter counts follow Keras' documented formulas (noted per case).
import { describe, expect, it } from 'vitest';
import type { FileResult, ModelSummary } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import { parsePython } from '../src/parse/parse-python.js';
import { configFrom, readFixture } from './helpers.js';

function review(relative: string): FileResult {
  const result = analyzeSource(relative, readFixture(`keras/reading/${relative}`), configFrom());
  expect(result.error).toBeNull();
  return result;
}

function model(result: FileResult, name: string): ModelSummary {
  const found = result.models.find((m) => m.name === name);
  expect(found, `model ${name} among ${result.models.map((m) => m.name).join(', ')}`).toBeDefined();
  return found!;
}

function rows(summary: ModelSummary): [string, (number | null)[] | null, number | null][] {
  return summary.layers.map((layer) => [layer.type, layer.output, layer.params]);
}

function problems(result: FileResult): string[] {
  return result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.line} ${f.rule}: ${f.message}`);
}

describe('comments are not code', () => {
  it('the parser leaves comments out of lists, calls and dicts', () => {
    const { doc } = parsePython('x = [\n    # one\n    1,  # two\n    f(a,  # three\n      b),\n    {  # four\n        "k": 2,  # five\n    },\n]\n');
    const list = doc.root.namedChildren[0]!.namedChildren[0]!.namedChildren[1]!;
    expect(list.type).toBe('list');
    expect(list.namedChildren.map((child) => child.type)).toEqual(['integer', 'call', 'dictionary']);
    expect(list.namedChildren[1]!.namedChildren[1]!.namedChildren.map((child) => child.text)).toEqual(['a', 'b']);
    expect(list.namedChildren[2]!.namedChildren.map((child) => child.type)).toEqual(['pair']);
  });

  it('a commented Sequential list keeps every shape', () => {
    const result = review('comments.py');
    expect(problems(result)).toEqual([]);
    // Conv2D: 3·3·3·16 + 16 = 448; Dense: 4096·10 + 10 = 40,970 (kernel + bias, Keras' Dense and Conv2D)
    expect(rows(model(result, 'annotated'))).toEqual([
      ['Conv2D', [null, 32, 32, 16], 448],
      ['MaxPooling2D', [null, 16, 16, 16], 0],
      ['Flatten', [null, 4096], 0],
      ['Dense', [null, 10], 40_970],
    ]);
    expect(model(result, 'annotated').params).toBe(41_418);
  });
});
