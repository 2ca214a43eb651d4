import type { LossSpec, Model } from '../src/ir.js';
import { lossLabel, soleLoss, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

/** Losses that read their input as probabilities unless told it is logits, and the activation that makes them. */
const PROBABILITY_LOSSES: Record<string, { activation: 'softmax' | 'sigmoid'; kerasClass: string }> = {
  categorical_crossentropy: { activation: 'softmax', kerasClass: 'CategoricalCrossentropy' },
  sparse_categorical_crossentropy: { activation: 'softmax', kerasClass: 'SparseCategoricalCrossentropy' },
  binary_crossentropy: { activation: 'sigmoid', kerasClass: 'BinaryCrossentropy' },
};

function advice(model: Model, loss: LossSpec, activation: 'softmax' | 'sigmoid', kerasClass: string): string {
  if (model.framework === 'pytorch') {
    return `but ${lossLabel(model, loss)} (line ${loss.range.line}) expects probabilities in [0, 1] and stops with an error on anything else. Train with nn.BCEWithLogitsLoss on the logits (it applies the sigmoid itself, stably), or return torch.sigmoid(x).`;
  }
  return `but ${lossLabel(model, loss)} (line ${loss.range.line}) expects probabilities: Keras clips the scores into (0, 1) and the model barely learns. Add activation='${activation}' to the output layer, or keep the logits and use loss=keras.losses.${kerasClass}(from_logits=True).`;
}

export default defineRule({
  meta: {
    id: 'logits-as-probabilities',
    scope: 'model',
    severity: 'error',
    summary: 'The output layer has no activation (logits), but the loss expects probabilities.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a model whose output layer has no activation while its loss reads probabilities: Keras `categorical_crossentropy`, `sparse_categorical_crossentropy` and `binary_crossentropy` without `from_logits=True`; PyTorch `nn.BCELoss`/`F.binary_cross_entropy`. Silent when the output passes through an operation footgun cannot see into, and, in PyTorch, when the file applies a sigmoid outside the model (a training loop may apply it before the loss).',
      whyIsThisBad: 'A Dense/Linear layer without activation outputs unbounded scores. A loss that expects probabilities takes their logarithm as they are: Keras clips them into (0, 1) first, so most gradients vanish and the model barely learns; PyTorch\'s BCELoss raises an error as soon as a score leaves [0, 1].',
      example: "outputs = layers.Dense(10)(x)\nmodel.compile(loss='sparse_categorical_crossentropy', optimizer='adam')",
      useInstead: "outputs = layers.Dense(10)(x)\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer='adam')",
    },
  },
  check({ model, graph, report }) {
    const loss = soleLoss(model);
    const expects = loss && !loss.fromLogits ? PROBABILITY_LOSSES[loss.name] : undefined;
    if (!loss || !expects) return;
    if (model.framework === 'pytorch' && (expects.activation !== 'sigmoid' || loss.transformsInFile?.includes('sigmoid'))) return;
    for (const head of graph.outputHeads()) {
      const layer = head.predictor;
      if (head.activation !== 'linear' || !layer) continue;
      report({
        layer,
        range: wiringRange(layer),
        message: `The output layer ${layer.type}${head.units === null ? '' : `(${head.units})`} has no activation, so the model outputs raw scores (logits), ${advice(model, loss, expects.activation, expects.kerasClass)}`,
        related: [{ range: loss.range, message: 'the loss that expects probabilities' }],
      });
    }
  },
});
