// Mistakes found in real code (fixtures/true-positives): each must keep firing on its line while
// footgun learns to stay quiet on correct real code (fixtures/real-code).
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../src/analyze.js';
import { configFrom, readFixture } from './helpers.js';

const EXPECTED: [file: string, findings: string[]][] = [
  ['dense_dropout_head.py', ['13 warning missing-activation']],
  ['softmax_without_dim.py', ['11 warning softmax-no-dim']],
  ['gan_discriminator.py', ['11 warning dropout-before-batchnorm', '13 warning norm-eps']],
  ['binary_logits.py', ['10 error logits-as-probabilities']],
  ['sigmoid_vocabulary.py', ['11 warning sigmoid-multiclass-output']],
  ['segmentation_head_dropout.py', ['15 error dropout-after-output']],
];

describe('true positives from real code', () => {
  for (const [file, findings] of EXPECTED) {
    it(`${file}: ${findings.join(', ')}`, () => {
      const path = `true-positives/${file}`;
      const result = analyzeSource(path, readFixture(path), configFrom());
      expect(result.error).toBeNull();
      expect(result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.line} ${f.severity} ${f.rule}`)).toEqual(findings);
    });
  }

  it("the eps fix names the momentum the GAN's author meant", () => {
    const result = analyzeSource('gan.py', readFixture('true-positives/gan_discriminator.py'), configFrom());
    expect(result.findings.find((f) => f.rule === 'norm-eps')?.fix?.replacement).toBe('momentum=0.8');
  });
});
