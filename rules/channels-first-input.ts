import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'channels-first-input',
    scope: 'model',
    severity: 'warning',
    summary: 'An image input written channels-first, (3, 32, 32), for a channels-last Keras model.',
    options: NO_OPTIONS,
    frameworks: ['keras'],
    docs: {
      whatItDoes: "Flags a Keras image model whose input shape looks like (channels, height, width), with 1, 3 or 4 first and a larger last axis, when the first convolution or pooling layer uses Keras' default `data_format='channels_last'`.",
      whyIsThisBad: 'Keras reads the last axis as the channels. (3, 32, 32) is then an image 3 pixels high, 32 wide, with 32 channels: the model builds, trains on scrambled data and its convolutions slide over the wrong axes. PyTorch tensors and many datasets are channels-first, so this slip is common when porting.',
      example: "model.add(InputLayer(input_shape=(3, 32, 32)))\nmodel.add(Conv2D(32, (3, 3), activation='relu'))",
      useInstead: "model.add(InputLayer(input_shape=(32, 32, 3)))\nmodel.add(Conv2D(32, (3, 3), activation='relu'))",
    },
  },
  check({ model, report }) {
    const input = model.input;
    if (!input || input.length !== 4 || model.dataFormat === 'channels_first') return;
    const [, channels, height, width] = input as [number | null, number | null, number | null, number | null];
    if (channels === null || height === null || width === null || ![1, 3, 4].includes(channels) || width <= 4 || height <= 4) return;
    const spatial = model.layers.find((l) => l.kind === 'conv' || l.kind === 'pool' || l.kind === 'depthwise-conv');
    if (!spatial || spatial.args.data_format === 'channels_first') return;
    const inputLayer = model.layers.find((l) => l.kind === 'input');
    report({
      layer: inputLayer ?? model.layers[0],
      message: `The input shape (${channels}, ${height}, ${width}) looks channels-first, but Keras is channels-last: it reads an image ${channels} pixels high and ${height} wide with ${width} channels. Write (${height}, ${width}, ${channels}) and transpose the data, or pass data_format='channels_first' to the spatial layers.`,
    });
  },
});
