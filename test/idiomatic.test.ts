// Correct models written the way the Keras documentation writes them. Any warning or error here
// is a false positive, which is a bug as serious as a miss.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../src/analyze.js';
import { configFrom, fixturePath, readFixture } from './helpers.js';

const files = readdirSync(fixturePath('keras/idiomatic')).filter((name) => name.endsWith('.py'));

describe('idiomatic Keras models', () => {
  it('has fixtures to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });
  for (const file of files) {
    it(`${file}: no warning or error, and at least one model read`, () => {
      const result = analyzeSource(file, readFixture(`keras/idiomatic/${file}`), configFrom());
      expect(result.error).toBeNull();
      expect(result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.line} ${f.rule}: ${f.message}`)).toEqual([]);
      expect(result.models.length).toBeGreaterThan(0);
    });
  }
});

// Parameter counts as Keras' model.summary() reports them for the same code.
const KERAS_PARAMS: [string, string, number][] = [
  ['mnist_convnet.py', 'model', 34_826],
  ['toy_resnet.py', 'toy_resnet', 223_242],
  ['autoencoders.py', 'autoencoder', 28_353],
  ['autoencoders.py', 'dense_autoencoder', 50_992],
  ['bidirectional_lstm.py', 'model', 2_757_761],
  ['logits_quickstart.py', 'model', 101_770],
  ['dcgan.py', 'discriminator', 404_801],
  ['dcgan.py', 'generator', 3_979_651],
  ['sequential_guide.py', 'model', 49_002],
  ['image_classification.py', 'model', 2_731_065],
];

describe('parameter counts match Keras', () => {
  for (const [file, name, params] of KERAS_PARAMS) {
    it(`${file} ${name}: ${params.toLocaleString('en')}`, () => {
      const result = analyzeSource(file, readFixture(`keras/idiomatic/${file}`), configFrom());
      expect(result.models.find((m) => m.name === name)?.params).toBe(params);
    });
  }
});
