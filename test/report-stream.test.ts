import { describe, expect, it } from 'vitest';
import type { FileResult } from '../src/analyze.js';
import { jsonReport } from '../src/report/json.js';
import { JsonTemplate } from '../src/report/stream.js';

const A = '\u0000a';
const B = '\u0000b';

function written(itemsA: unknown[], itemsB: unknown[]): string {
  const template = new JsonTemplate({ head: { x: 1 }, a: [A], middle: 'm', nested: [{ b: [B], tail: true }] }, [A, B]);
  return template.begin() + itemsA.map((item) => template.item(item)).join('') + template.close() + itemsB.map((item) => template.item(item)).join('') + template.close();
}

describe('reports written file by file', () => {
  it.each([
    [[], []],
    [[1], []],
    [[], [{ deep: [1, { two: 'x\ny' }] }]],
    [[{ p: 'a' }, 'two', null], [true, [], {}]],
  ])('are byte for byte the document stringified at once (%j, %j)', (itemsA, itemsB) => {
    expect(written(itemsA, itemsB)).toBe(JSON.stringify({ head: { x: 1 }, a: itemsA, middle: 'm', nested: [{ b: itemsB, tail: true }] }, null, 2));
  });

  it('keep no result: the JSON report counts the files it has written', () => {
    const report = jsonReport();
    const result: FileResult = { path: 'a.py', error: null, findings: [], models: [] };
    const text = report.begin() + report.file(result, undefined) + report.file({ ...result, path: 'b.py' }, undefined) + report.end();
    expect(JSON.parse(text)).toEqual({ version: 1, files: [{ ...result }, { ...result, path: 'b.py' }], summary: { files: 2, models: 0, error: 0, warning: 0, info: 0 } });
  });
});
