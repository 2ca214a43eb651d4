import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';
import { quoted, RELU_FAMILY, WEIGHT_KINDS } from '../src/rules/model-graph.js';

const SYMMETRIC = new Set(['zeros', 'ones', 'constant']);

export default defineRule({
  meta: {
    id: 'zero-init',
    scope: 'local',
    severity: 'error',
    summary: 'A hidden layer starts with all weights equal (zeros, ones or a constant).',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags a hidden Dense/Linear or convolution layer whose kernel initializer is `zeros`, `ones` or `constant` (`kernel_initializer=` in Keras, `nn.init.zeros_(layer.weight)` and friends in PyTorch). The model's last weight layer is exempt: zero-initialising a final projection is a known, harmless trick.",
      whyIsThisBad: 'Every unit of the layer computes the same output and receives the same gradient, so the units stay identical forever: the layer behaves like a single unit, whatever its width. Random initialisation exists to break this symmetry.',
      example: "model.add(Dense(128, kernel_initializer=keras.initializers.zeros()))\nmodel.add(Dense(1))",
      useInstead: "model.add(Dense(128, activation='relu', kernel_initializer='he_normal'))\nmodel.add(Dense(1))",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      const init = layer.kernelInitializer;
      if (!WEIGHT_KINDS.has(layer.kind) || !init?.explicit || !SYMMETRIC.has(init.name)) continue;
      if (!graph.reaches(layer, (next) => WEIGHT_KINDS.has(next.kind) || next.kind === 'recurrent')) continue;
      const value = typeof layer.args.kernel_initializer_value === 'number' ? ` (${layer.args.kernel_initializer_value})` : '';
      const replacement = layer.activation && RELU_FAMILY.has(layer.activation) ? 'he_normal' : 'glorot_uniform';
      const advice =
        layer.framework === 'pytorch'
          ? `Keep PyTorch's default initialisation, or use nn.init.kaiming_normal_(…, nonlinearity='relu') before ReLU.`
          : `Use a random initializer: '${replacement}'${replacement === 'he_normal' ? ' suits ReLU' : ", Keras' default"}.`;
      report({
        layer,
        range: init.range,
        message: `${layer.type} starts with every weight equal (\`${init.name}\`${value}): all its units compute the same thing and get the same gradient, so they never become different. ${advice}`,
        fix: layer.argRanges.kernel_initializer ? { range: layer.argRanges.kernel_initializer, replacement: quoted(layer.argText.kernel_initializer, replacement) } : undefined,
      });
    }
  },
});
