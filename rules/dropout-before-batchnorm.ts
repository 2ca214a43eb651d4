import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'dropout-before-batchnorm',
    scope: 'local',
    severity: 'warning',
    summary: 'Dropout directly followed by batch normalisation.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a dropout layer whose only consumer is a batch-normalisation layer.',
      whyIsThisBad: "Batch normalisation learns the variance of its input during training, when dropout is active and scales the kept activations up. At inference dropout is off, the variance changes, and batch normalisation normalises with statistics that no longer match (the 'variance shift' of Li et al., 2019): accuracy drops at test time. Put dropout after the normalisation, or after the last batch-normalised block.",
      example: "model.add(Dense(128, activation='relu'))\nmodel.add(Dropout(0.5))\nmodel.add(BatchNormalization())",
      useInstead: "model.add(Dense(128, activation='relu'))\nmodel.add(BatchNormalization())\nmodel.add(Dropout(0.5))",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      if (layer.kind !== 'dropout') continue;
      const next = graph.soleConsumer(layer);
      if (!next || next.kind !== 'norm' || !/^BatchNorm/.test(next.type)) continue;
      report({
        layer,
        message: `${layer.type} feeds ${next.type} (line ${next.range.line}) directly: batch normalisation learns the variance of dropout-scaled activations, which change when dropout switches off at inference, so the model behaves differently at test time. Move the dropout after the batch normalisation.`,
        related: [{ range: next.range, message: 'the batch normalisation it feeds' }],
      });
    }
  },
});
