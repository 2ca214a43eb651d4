import { LINEAR_PASS_THROUGH, WEIGHT_KINDS, activationSource, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'softmax-hidden',
    scope: 'local',
    severity: 'warning',
    summary: 'Softmax used as the activation of a hidden layer.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a softmax (as `activation=` or as a separate layer) whose output goes on into another Dense or convolution layer. Softmax that feeds a merge or a product, as in attention, is not flagged.',
      whyIsThisBad: 'Softmax is a soft arg-max: it makes the outputs of the layer compete, so one unit takes almost all the mass and the others are pushed to zero. The next layer receives nearly one-hot features and gradients through the suppressed units vanish. It belongs on the output of a single-label classifier, not inside the network.',
      example: "model.add(Dense(100))\nmodel.add(Activation('softmax'))\nmodel.add(Dense(10, activation='softmax'))",
      useInstead: "model.add(Dense(100))\nmodel.add(Activation('relu'))\nmodel.add(Dense(10, activation='softmax'))",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      if (layer.activation !== 'softmax' || graph.isOutput(layer)) continue;
      const { stop } = graph.next(layer, (next) => LINEAR_PASS_THROUGH.has(next.kind));
      if (!stop || !WEIGHT_KINDS.has(stop.kind)) continue;
      report({
        layer,
        range: wiringRange(layer),
        message: `${activationSource(layer)} is a hidden activation here: its output feeds ${stop.type} at line ${wiringRange(stop).line}. Softmax makes the units compete, so almost only one of them passes anything on. Use 'relu' for hidden layers and keep softmax for the output.`,
        related: [{ range: wiringRange(stop), message: 'the layer that receives the softmax output' }],
        fix: layer.argRanges.activation && /^['"]softmax['"]$/.test(layer.argText.activation ?? '') ? { range: layer.argRanges.activation, replacement: layer.argText.activation!.replace('softmax', 'relu') } : undefined,
      });
    }
  },
});
