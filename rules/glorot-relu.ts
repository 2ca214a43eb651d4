import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';
import { quoted, RELU_FAMILY, WEIGHT_KINDS } from '../src/rules/model-graph.js';

export default defineRule({
  meta: {
    id: 'glorot-relu',
    scope: 'local',
    severity: 'info',
    summary: 'Glorot/Xavier initialisation written out on a layer followed by ReLU; He initialisation suits ReLU.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags a layer whose kernel initializer is written explicitly as `glorot_uniform`/`glorot_normal` (Keras) or `nn.init.xavier_uniform_`/`xavier_normal_` (PyTorch) when the layer's output goes through ReLU, either its own `activation='relu'` or an activation layer right after it (batch normalisation in between allowed). The implicit Keras default is not flagged.",
      whyIsThisBad: 'Glorot scaling assumes an activation that is linear around zero. ReLU zeroes half of its inputs, so the variance of the signal halves at every layer and deep stacks start with vanishing activations. He initialisation doubles the variance to compensate.',
      example: "model.add(Conv2D(64, (3, 3), kernel_initializer='glorot_uniform'))\nmodel.add(Activation('relu'))",
      useInstead: "model.add(Conv2D(64, (3, 3), kernel_initializer='he_uniform'))\nmodel.add(Activation('relu'))",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      const init = layer.kernelInitializer;
      if (!WEIGHT_KINDS.has(layer.kind) || !init?.explicit || !init.name.startsWith('glorot_')) continue;
      let relu = layer.activation !== null && RELU_FAMILY.has(layer.activation) ? layer : undefined;
      if (!relu && layer.activation === 'linear') {
        const { stop } = graph.next(layer, (next) => next.kind === 'norm');
        if (stop?.kind === 'activation' && stop.activation !== null && RELU_FAMILY.has(stop.activation)) relu = stop;
      }
      if (!relu) continue;
      const he = init.name.replace('glorot_', 'he_');
      const advice = layer.framework === 'pytorch' ? `Use nn.init.${he.replace('he_', 'kaiming_')}_(…, nonlinearity='relu') (He initialisation), made for ReLU.` : `Use '${he}' (He initialisation), made for ReLU.`;
      report({
        layer,
        range: init.range,
        message: `${layer.type} uses ${init.name} (Glorot/Xavier) but feeds ReLU${relu === layer ? '' : ` (line ${relu.range.line})`}: Glorot assumes a roughly linear activation, so with ReLU the signal shrinks layer after layer. ${advice}`,
        related: relu === layer ? undefined : [{ range: relu.range, message: 'the ReLU it feeds' }],
        fix: layer.argRanges.kernel_initializer && /^['"]/.test(layer.argText.kernel_initializer ?? '') ? { range: layer.argRanges.kernel_initializer, replacement: quoted(layer.argText.kernel_initializer, he) } : undefined,
      });
    }
  },
});
