import type { Layer } from '../src/ir.js';
import { WEIGHT_KINDS } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

function isSpatialConv(layer: Layer): boolean {
  const kernel = layer.args.kernel_size;
  return layer.kind === 'conv' && typeof layer.args.filters === 'number' && Array.isArray(kernel) && kernel.some((k) => typeof k === 'number' && k > 1);
}

export default defineRule({
  meta: {
    id: 'shrinking-filters',
    scope: 'model',
    severity: 'info',
    summary: 'The number of filters decreases along the convolution stack.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Follows the convolution stack of an encoder or classifier and flags the first convolution that has fewer filters than the one before it. 1×1 convolutions (bottlenecks, projections) and the final convolution that makes the prediction are ignored, and decoders (models with `Conv2DTranspose` or `UpSampling`) and mobile inverted-bottleneck networks (models with depthwise convolutions: MobileNet, EfficientNet, whose block widths follow a scaling table that narrows after the stem by design) are not checked.',
      whyIsThisBad: 'Each pooling step halves the map, so the network can afford more channels deeper down, and it needs them: deeper layers combine simple patterns into many more complex ones. Narrowing 512 → 128 → 32 squeezes what the early layers found through fewer and fewer channels.',
      example: "model.add(Conv2D(512, (3, 3), activation='relu'))\nmodel.add(MaxPool2D())\nmodel.add(Conv2D(128, (3, 3), activation='relu'))",
      useInstead: "model.add(Conv2D(32, (3, 3), activation='relu'))\nmodel.add(MaxPool2D())\nmodel.add(Conv2D(64, (3, 3), activation='relu'))",
    },
  },
  check({ model, graph, report }) {
    if (model.layers.some((l) => l.kind === 'upsample' || l.kind === 'conv-transpose' || l.kind === 'depthwise-conv')) return;
    for (const layer of model.layers) {
      if (!isSpatialConv(layer)) continue;
      const { stop } = graph.next(layer, (next) => !WEIGHT_KINDS.has(next.kind) && next.kind !== 'merge' && next.kind !== 'opaque' && next.kind !== 'flatten' && next.kind !== 'global-pool');
      if (!stop || !isSpatialConv(stop) || (stop.args.filters as number) >= (layer.args.filters as number)) continue;
      // the convolution that makes the prediction (a discriminator's 1-channel score) may be narrow
      if (!graph.reaches(stop, (next) => WEIGHT_KINDS.has(next.kind))) continue;
      const chain = [layer.args.filters, stop.args.filters];
      let current = stop;
      for (;;) {
        const { stop: following } = graph.next(current, (next) => !WEIGHT_KINDS.has(next.kind) && next.kind !== 'merge' && next.kind !== 'opaque');
        if (!following || !isSpatialConv(following)) break;
        chain.push(following.args.filters);
        current = following;
      }
      report({
        layer: stop,
        message: `The filter count drops from ${layer.args.filters} (line ${layer.range.line}) to ${stop.args.filters} here (${chain.join(' → ')} along the stack). Deeper layers combine simple patterns into more complex ones and need more channels, not fewer. Start small and grow: e.g. 32 → 64 → 128.`,
        related: [{ range: layer.range, message: `the wider convolution before it (${layer.args.filters} filters)` }],
      });
      return;
    }
  },
});
