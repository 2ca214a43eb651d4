import { z } from 'zod';
import type { Model } from '../src/ir.js';
import type { ModelGraph } from '../src/rules/model-graph.js';
import { mayBeGrouped, mayPatchify } from '../src/rules/model-graph.js';
import { defineRule } from '../src/rules/rule.js';
import { formatCount, formatWindow } from '../src/text.js';

/**
 * Image-to-image networks (style transfer, super-resolution, generators) end in a convolution's map
 * or upsample on the way: large kernels at full resolution are part of their design.
 */
function producesImages(model: Model, graph: ModelGraph): boolean {
  if (model.layers.some((layer) => layer.kind === 'upsample' || layer.kind === 'conv-transpose')) return true;
  const heads = graph.outputHeads();
  return heads.length > 0 && heads.every((head) => head.predictor?.kind === 'conv');
}

export default defineRule({
  meta: {
    id: 'large-kernel',
    scope: 'model',
    severity: 'warning',
    summary: 'A 2-D/3-D convolution kernel larger than 7 on a side.',
    options: z.object({
      max_size: z.number().int().positive().default(7).describe('largest kernel side allowed'),
    }),
    docs: {
      whatItDoes: 'Flags a 2-D or 3-D convolution whose kernel is larger than `max_size` (7) on some axis. 1-D convolutions (audio, text), depthwise and grouped convolutions, where large kernels are cheap and common, and patch embeddings (`kernel_size=patch, stride=patch` as in ViT and Swin, or overlapping ones with a stride of 4 or more and a kernel at most twice the stride, as in PiT) are not flagged, nor are image-to-image networks (the output is a convolution\'s map, or the model upsamples): style transfer and super-resolution use 9×9 kernels at full resolution by design.',
      whyIsThisBad: 'A k×k kernel costs k² weights per input channel and filter. Two stacked 3×3 convolutions see the same 5×5 region as one 5×5, three see 7×7, with fewer parameters and a nonlinearity between each. A 10×10 kernel costs 100 weights per channel and filter to learn what small kernels and pooling learn better.',
      example: 'model.add(Conv2D(filters=64, kernel_size=(10, 10)))',
      useInstead: "model.add(Conv2D(64, (3, 3), activation='relu'))\nmodel.add(Conv2D(64, (3, 3), activation='relu'))\nmodel.add(MaxPooling2D((2, 2)))",
    },
  },
  check({ model, graph, options, report }) {
    if (producesImages(model, graph)) return;
    for (const layer of model.layers) {
      if (layer.kind !== 'conv' || (layer.rank ?? 2) < 2 || !Array.isArray(layer.args.kernel_size) || mayBeGrouped(layer) || mayPatchify(layer)) continue;
      const kernel = layer.args.kernel_size.map((k) => (typeof k === 'number' ? k : null));
      if (!kernel.some((k) => k !== null && k > options.max_size)) continue;
      const weights = kernel.reduce<number | null>((a, b) => (a === null || b === null ? null : a * b), 1);
      report({
        layer,
        message: `A ${formatWindow(kernel)} kernel costs ${weights ?? 'many'} weights per input channel and filter${layer.params !== null ? ` (${formatCount(layer.params)} parameters in this layer)` : ''}. Stacked 3×3 convolutions reach the same receptive field with fewer parameters and more nonlinearity; use 3×3 kernels and let pooling grow the field of view.`,
      });
    }
  },
});
