import { z } from 'zod';
import { mayPatchify, readsModelInput } from '../src/rules/model-graph.js';
import { defineRule } from '../src/rules/rule.js';

/** More channels than an image has (grey, RGB, RGBA): the input is a feature map, not pixels. */
const MAX_IMAGE_CHANNELS = 4;

export default defineRule({
  meta: {
    id: 'wide-first-conv',
    scope: 'model',
    severity: 'warning',
    summary: 'The first convolution of an image model has 256 filters or more.',
    options: z.object({
      max_filters: z.number().int().positive().default(255).describe('the most filters the first convolution may have'),
    }),
    docs: {
      whatItDoes:
        "Flags the first 2-D/3-D convolution of a model when it has more than `max_filters` (255) filters and reads the model's input image itself (through padding, a reshape or input normalisation at most). A convolution after a backbone, a stem or a helper footgun cannot read, or on an input with more than 4 channels, does not see pixels and is not flagged. A patchify stem (`kernel_size=patch, stride=patch`, as in ViT, Swin and ConvNeXt, or an overlapping one with a stride of 4 or more and a kernel at most twice the stride, as in PiT) is a patch embedding and is not flagged either, nor are 1-D convolutions over text or audio.",
      whyIsThisBad: 'The first layer sees raw pixels and learns simple patterns: edges, colour blobs, a few textures. 32–64 filters encode what a 3×3 patch can hold; hundreds of them are mostly redundant, and they cost the most compute in the network because they run at full resolution. Capacity belongs deeper, where patterns are richer and maps are smaller.',
      example: 'model.add(Conv2D(filters=512, kernel_size=(3, 3)))',
      useInstead: "model.add(Conv2D(32, (3, 3), activation='relu'))\n# …double the filters after each pooling step: 64, 128, 256",
    },
  },
  check({ model, graph, options, report }) {
    const first = model.layers.find((layer) => layer.kind === 'conv' || layer.kind === 'depthwise-conv' || layer.kind === 'conv-transpose');
    if (!first || first.kind !== 'conv' || (first.rank ?? 2) < 2 || typeof first.args.filters !== 'number') return;
    if (first.args.filters <= options.max_filters || !readsModelInput(first, graph) || mayPatchify(first)) return;
    const declared = first.args.in_channels;
    const channels = typeof declared === 'number' ? declared : model.framework === 'keras' && model.dataFormat === 'channels_last' ? model.input?.at(-1) : undefined;
    if (typeof channels === 'number' && channels > MAX_IMAGE_CHANNELS) return;
    report({
      layer: first,
      message: `The first convolution has ${first.args.filters} filters. Early layers detect simple patterns, which 32–64 filters already cover, and this layer runs at full resolution, so it is the most expensive one in the model. Start with 32–64 filters and grow the count after each pooling step.`,
    });
  },
});
