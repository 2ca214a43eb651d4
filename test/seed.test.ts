// The seed cases (shared/seed/README.md): every mistake the document names, on its own line,
// and nothing on what the document calls fine.
import { describe, expect, it } from 'vitest';
import type { FileResult } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import { configFrom, readFixture } from './helpers.js';

function seed(name: string): FileResult {
  return analyzeSource(`seed/${name}`, readFixture(`seed/${name}`), configFrom());
}

function at(result: FileResult, line: number): string[] {
  return result.findings.filter((f) => f.line === line).map((f) => f.rule).sort();
}

describe('seed a: house-price regression', () => {
  const result = seed('seed_a.py');
  it('reports the unclosed bracket and still reads the rest of the file', () => {
    expect(at(result, 2)).toEqual(['syntax-error']);
    expect(result.models).toHaveLength(1);
    expect(result.models[0]!.input).toEqual([null, 39]);
  });
  it('zero kernel initialisation and the missing activation on the Dense(128) line', () => {
    expect(at(result, 4)).toEqual(['missing-activation', 'zero-init']);
  });
  it('the abrupt 128 → 1 narrowing on the Dense(1) line', () => {
    expect(at(result, 5)).toEqual(['abrupt-narrowing']);
  });
  it('plain SGD on the compile line', () => {
    expect(at(result, 6)).toEqual(['plain-sgd']);
  });
  it('nothing on BatchNormalization right after the input', () => {
    expect(at(result, 3)).toEqual([]);
  });
  it('the task is regression, from the loss', () => {
    expect(result.models[0]!.task).toBe('regression');
  });
});

describe('seed b: 28×28 images, 10 classes', () => {
  const result = seed('seed_b.py');
  it('512 filters and a 10×10 kernel in the first convolution', () => {
    expect(at(result, 3)).toEqual(['large-kernel', 'wide-first-conv']);
  });
  it('softmax as a hidden activation', () => {
    expect(at(result, 8)).toEqual(['softmax-hidden']);
  });
  it('dropout after the predicted probabilities', () => {
    expect(at(result, 12)).toEqual(['dropout-after-output']);
  });
  it('mean squared error as the loss of a 10-class classifier', () => {
    expect(at(result, 13)).toEqual(['mse-classification']);
  });
  it('nothing on rmsprop, on the separate Activation layers, or on the hidden Dropout', () => {
    for (const line of [6, 7, 9, 10, 11]) expect(at(result, line)).toEqual([]);
    expect(result.findings.some((f) => f.rule === 'plain-sgd')).toBe(false);
  });
  it('infers the shapes Keras would', () => {
    expect(result.models[0]!.layers.map((l) => l.output)).toEqual([
      [null, 19, 19, 512],
      [null, 19, 19, 512],
      [null, 9, 9, 512],
      [null, 41472],
      [null, 100],
      [null, 100],
      [null, 100],
      [null, 10],
      [null, 10],
      [null, 10],
    ]);
  });
});

describe('seed c: 100×100 RGB, 10 classes', () => {
  const result = seed('seed_c.py');
  it('the model does not build: the 4th pass of the loop meets a 1×1 map with a 5×5 kernel', () => {
    const [collapse] = result.findings.filter((f) => f.rule === 'shape-collapse');
    expect(collapse?.line).toBe(4);
    expect(collapse?.severity).toBe('error');
    expect(collapse?.message).toContain('4th pass of the loop at line 3 (filters=256)');
    expect(collapse?.message).toContain('1×1 map');
    expect(collapse?.message).toContain('5×5 kernel');
    expect(collapse?.message).toContain('100 → 96 → 32 → 28 → 9 → 5 → 1');
  });
  it('a metric as the loss', () => {
    expect(at(result, 13)).toEqual(['metric-as-loss']);
  });
  it('a 5×5 convolution followed by a 1×1 one with no nonlinearity, once for all passes', () => {
    const missing = result.findings.filter((f) => f.rule === 'missing-activation');
    expect(missing.map((f) => f.line)).toEqual([4]);
    expect(missing[0]!.message).toContain('every pass of the loop at line 3');
  });
  it('nothing else on the loop body or the classifier head', () => {
    for (const line of [5, 6, 7, 8, 9, 10, 11, 12]) expect(at(result, line)).toEqual([]);
  });
});

describe('seed d: 100×100 RGB, 10 classes', () => {
  const result = seed('seed_d.py');
  it('512 filters in the first layer, with Glorot before ReLU', () => {
    expect(at(result, 4)).toEqual(['glorot-relu', 'wide-first-conv']);
  });
  it('ReLU before max-pooling (an optimisation, reported as info)', () => {
    expect(result.findings.find((f) => f.line === 5)).toMatchObject({ rule: 'activation-before-pool', severity: 'info' });
  });
  it('fewer filters deeper in the network, and Glorot before ReLU again', () => {
    expect(at(result, 8)).toEqual(['glorot-relu', 'shrinking-filters']);
    expect(result.findings.find((f) => f.rule === 'shrinking-filters')?.message).toContain('512 → 128 → 32');
  });
  it('the 1×1 convolution with nothing nonlinear before it', () => {
    const finding = result.findings.find((f) => f.line === 11 && f.rule === 'missing-activation');
    expect(finding?.message).toContain('1×1 Conv2D');
    expect(finding?.related).toEqual([{ line: 12, message: expect.stringContaining('1×1') }]);
  });
  it('10×10 pooling', () => {
    expect(at(result, 13)).toEqual(['pool-too-large']);
  });
  it('no activation between Dense(64) and Dense(10)', () => {
    expect(at(result, 16)).toEqual(['missing-activation']);
  });
  it('dropout with rate 1', () => {
    expect(at(result, 17)).toEqual(['dropout-rate']);
    expect(result.findings.find((f) => f.line === 17)?.fix?.replacement).toBe('0.5');
  });
  it('sigmoid instead of softmax over 10 exclusive classes', () => {
    expect(at(result, 19)).toEqual(['sigmoid-multiclass-output']);
    expect(result.findings.find((f) => f.line === 19)?.fix?.replacement).toBe("'softmax'");
  });
  it('dropout on the probabilities at the very end', () => {
    expect(at(result, 20)).toEqual(['dropout-after-output']);
  });
});
