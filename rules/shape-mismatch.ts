import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';
import { formatShapeOf } from '../src/shapes/arithmetic.js';

export default defineRule({
  meta: {
    id: 'shape-mismatch',
    scope: 'local',
    severity: 'error',
    summary: 'Shapes that do not fit together: a Reshape of the wrong size, a merge of incompatible tensors, a layer given the wrong rank, Dense on an image map.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Compares the shapes footgun infers with what each layer requires: a `Reshape` (Keras) or `x.view(...)` (PyTorch) whose target holds a different number of values, `Add`/`Concatenate`/`torch.cat` or a residual `x + identity` of tensors whose shapes disagree, a convolution or recurrent layer fed a tensor of the wrong rank, a PyTorch layer whose `in_channels`, `num_features` or `in_features` differs from what the previous layer produces, a Keras `GroupNormalization` whose groups do not divide the channels, a Keras `Dense` fed an axis the model input leaves None (`Flatten` after an LSTM over `Input(shape=(None, 16))`), and a Keras classifier whose Dense output layer is applied to a spatial map without `Flatten` (so it predicts one class per pixel instead of per image).',
      whyIsThisBad: "Keras raises when it builds the model and PyTorch on the first forward pass (or, for Dense on a 4-D map, the model trains something else than intended: a grid of predictions that the labels do not match). The framework's error is far from the line that caused it; here it points at the layer.",
      example: "model.add(Conv2D(32, (3, 3), activation='relu'))\nmodel.add(MaxPooling2D())\nmodel.add(Dense(10, activation='softmax'))",
      useInstead: "model.add(Conv2D(32, (3, 3), activation='relu'))\nmodel.add(MaxPooling2D())\nmodel.add(Flatten())\nmodel.add(Dense(10, activation='softmax'))",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      if (layer.shapeError?.kind === 'mismatch') {
        const consequence = layer.shapeError.explainsFailure ? '' : ` ${model.framework === 'pytorch' ? 'The forward pass fails here.' : 'Keras cannot build this model.'}`;
        report({ layer, message: `${layer.shapeError.message}${consequence}` });
      }
    }
    if (model.task === null || model.task === 'regression') return;
    if (model.layers.some((l) => l.kind === 'upsample' || l.kind === 'conv-transpose')) return;
    if (!model.layers.some((l) => l.kind === 'pool' || (Array.isArray(l.args.strides) && l.args.strides.some((s) => typeof s === 'number' && s > 1)))) return;
    for (const head of graph.outputHeads()) {
      const dense = head.predictor;
      const input = dense && dense.kind === 'dense' ? graph.producer(dense)?.output : undefined;
      const output = head.output.output;
      if (!dense || !input || input.length < 4 || !output || output.length < 4) continue;
      const shape = formatShapeOf(model.framework, output);
      report({
        layer: dense,
        message: `${dense.type} acts on the last axis only, so on this ${input.length}-D feature map it predicts a grid ${shape} instead of one prediction per sample. Add Flatten() or GlobalAveragePooling2D() before it.`,
      });
    }
  },
});
