import { wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'dropout-after-output',
    scope: 'model',
    severity: 'error',
    summary: "Dropout applied to the model's output (its predictions).",
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags a dropout layer that is the last step of the model, after the output layer or the output activation.",
      whyIsThisBad: 'During training dropout zeroes random predictions and rescales the rest. Probabilities no longer sum to one, a zeroed true class sends cross-entropy to infinity, and regression targets are compared with zeros. Dropout regularises hidden layers; it has no place after the prediction.',
      example: "model.add(Dense(10, activation='softmax'))\nmodel.add(Dropout(0.1))",
      useInstead: "model.add(Dropout(0.1))\nmodel.add(Dense(10, activation='softmax'))",
    },
  },
  check({ graph, lineRef, report }) {
    for (const head of graph.outputHeads()) {
      for (const layer of head.trailing) {
        if (layer.kind !== 'dropout') continue;
        const after = head.activationLayer ?? head.predictor;
        report({
          layer,
          range: wiringRange(layer),
          message: `${layer.type} comes after the output${after ? ` (${after.type} at ${lineRef(wiringRange(after), wiringRange(layer))})` : ''}: during training it zeroes some predictions, so probabilities no longer sum to 1 and the loss flies off to infinity when the true class is dropped. Move the dropout before the output layer, or remove it.`,
          related: after ? [{ range: wiringRange(after), message: 'the output it is applied to' }] : undefined,
        });
      }
    }
  },
});
