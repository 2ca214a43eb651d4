import type { Layer } from '../src/ir.js';
import { activationSource } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

const IDEMPOTENT = new Set(['relu', 'relu6', 'linear']);

export default defineRule({
  meta: {
    id: 'redundant-activation',
    scope: 'local',
    severity: 'warning',
    summary: 'The same activation applied twice in a row.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags an activation layer that applies the same function its input has just been through: `Dense(64, activation='relu')` followed by `Activation('relu')`, or two softmax layers in a row. Inside a loop it only fires when the repetition happens in every pass.",
      whyIsThisBad: 'ReLU twice is ReLU: the second one only costs time and hints at a copy-paste slip. Softmax or sigmoid twice is worse: the second squashes the probabilities of the first towards uniform (or towards 0.5–0.73), which flattens the predictions and the gradients.',
      example: "model.add(Dense(64, activation='relu'))\nmodel.add(Activation('relu'))",
      useInstead: "model.add(Dense(64, activation='relu'))",
    },
  },
  check({ model, graph, lineRef, report }) {
    const redundantAt = (layer: Layer) => {
      const before = graph.producer(layer);
      return before && before.activation === layer.activation ? before : undefined;
    };
    for (const layer of model.layers) {
      if (layer.kind !== 'activation' || layer.activation === null || layer.activation === 'linear') continue;
      const before = redundantAt(layer);
      if (!before) continue;
      // A loop body written for every pass may repeat an activation in one pass only (the first pass
      // after a stem that ends in the same activation); that is not a slip to fix.
      const samePlace = model.layers.filter((other) => other.range.line === layer.range.line && other.range.column === layer.range.column);
      if (!samePlace.every(redundantAt)) continue;
      const effect = IDEMPOTENT.has(layer.activation)
        ? `${layer.activation} of ${layer.activation} is just ${layer.activation}, so this layer does nothing`
        : `applying ${layer.activation} to its own output squashes the values a second time and flattens the predictions`;
      report({
        layer,
        message: `${activationSource(before)} at ${lineRef(before.range, layer.range)} already applies ${layer.activation}; ${effect}. Remove one of them.`,
        related: [{ range: before.range, message: `where ${layer.activation} is applied first` }],
      });
    }
  },
});
