import { MONOTONIC_ACTIVATIONS, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'activation-before-pool',
    scope: 'local',
    severity: 'info',
    summary: 'A separate ReLU (or other monotonic activation) right before max-pooling: swap them to do less work.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags an activation layer applying a monotonic function (ReLU, LeakyReLU, ELU, sigmoid, tanh, …) whose only consumer is a max-pooling layer. An activation fused into the convolution (`activation=\'relu\'`) is not flagged.',
      whyIsThisBad: 'It is not wrong: for a non-decreasing f, max(f(a), f(b)) = f(max(a, b)), so pooling first and activating after gives exactly the same result while the activation runs on a map 4× smaller (2×2 pooling). A free speed-up.',
      example: "model.add(Conv2D(32, (3, 3)))\nmodel.add(Activation('relu'))\nmodel.add(MaxPool2D((2, 2)))",
      useInstead: "model.add(Conv2D(32, (3, 3)))\nmodel.add(MaxPool2D((2, 2)))\nmodel.add(Activation('relu'))",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      if (layer.kind !== 'activation' || layer.activation === null || !MONOTONIC_ACTIVATIONS.has(layer.activation)) continue;
      const pool = graph.soleConsumer(layer);
      if (!pool || (pool.kind !== 'pool' && pool.kind !== 'global-pool') || pool.args.pool_mode !== 'max') continue;
      report({
        layer,
        range: wiringRange(layer),
        message: `${layer.activation} is applied before ${pool.type} (line ${wiringRange(pool).line}). Max-pooling commutes with a monotonic activation, so pooling first gives the same result with the activation computed on a smaller map. Swap the two layers.`,
        related: [{ range: wiringRange(pool), message: 'the max-pooling to move before the activation' }],
      });
    }
  },
});
