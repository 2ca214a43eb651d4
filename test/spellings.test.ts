// The same model written every way users write Keras must give the same review.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../src/analyze.js';
import { configFrom, readFixture } from './helpers.js';

function review(path: string) {
  const result = analyzeSource(path, readFixture(path), configFrom());
  return {
    rules: result.findings.map((f) => f.rule).sort(),
    shapes: result.models[0]?.layers.map((l) => l.output),
    params: result.models[0]?.params,
  };
}

const reference = review('seed/seed_d.py');

describe('seed d in other spellings', () => {
  it('the reference review has the twelve seed-d findings', () => {
    expect(reference.rules).toHaveLength(12);
    expect(reference.params).toBe(675_722);
  });
  for (const variant of ['seed_d_list.py', 'seed_d_functional.py', 'seed_d_subclass.py', 'seed_d_star.py']) {
    it(`${variant}: same findings, shapes and parameters`, () => {
      const result = review(`keras/spellings/${variant}`);
      expect(result.rules).toEqual(reference.rules);
      expect(result.params).toBe(reference.params);
      expect(result.shapes?.filter((s) => s !== null).at(-1)).toEqual([null, 10]);
    });
  }
});
