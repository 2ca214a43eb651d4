// Correct models written the way the Keras documentation writes them. Any finding here, info
// included, is a false positive (a bug as serious as a miss) unless it is listed below with the
// reason it is deliberate.
import { describe } from 'vitest';
import { expectParameterCounts, expectSilentOnIdiomatic } from './helpers.js';

describe('idiomatic Keras models', () => {
  expectSilentOnIdiomatic('keras/idiomatic', 12, [
    {
      file: 'text_classification.py', rule: 'abrupt-narrowing', line: 17, severity: 'info',
      reason: "Dense(128) straight into the Dense(1) output is the rule's own documented case: a suggestion to narrow in steps, kept as info on purpose",
    },
  ]);
});

// Parameter counts as Keras' model.summary() reports them for the same code.
describe('parameter counts match Keras', () => {
  expectParameterCounts('keras/idiomatic', [
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
    ['lstm_seq2seq.py', 'model', 718_173],
    ['vae.py', 'decoder', 65_089],
    // projection shortcuts chosen by `shortcut.shape[-1] != filters`
    ['resnet_blocks.py', 'model', 309_994],
  ]);
});
