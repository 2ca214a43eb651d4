import { z } from 'zod';
import type { Layer, Model } from '../src/ir.js';
import type { ModelGraph } from '../src/rules/model-graph.js';
import { firstSpatialAxis, spatialDims, windowOf } from '../src/rules/model-graph.js';
import { defineRule } from '../src/rules/rule.js';
import { formatWindow } from '../src/text.js';

/** Steps that leave the spatial size alone on the way from a pooling layer to what reads its map. */
const SIZE_PRESERVING = new Set<Layer['kind']>(['activation', 'norm', 'dropout', 'identity']);

/**
 * Whether what follows the pooling shows that its map is still more than one value per channel:
 * a convolution or pooling window wider than 1 reads it, or a Linear after a flatten or view reads
 * more values than the map has channels. Without that, a large window on a map of unknown size may
 * be global pooling written by hand (`nn.AvgPool2d(7)` before the classifier).
 */
function mapOutlivesPooling(pool: Layer, model: Model, graph: ModelGraph): boolean {
  const channelAxis = firstSpatialAxis(pool, model) === 2 ? 1 : -1;
  const channels = pool.output?.at(channelAxis) ?? null;
  let flattened = false;
  for (let next = graph.soleConsumer(pool); next; next = graph.soleConsumer(next)) {
    const window = windowOf(next.kind === 'pool' ? next.args.pool_size : next.args.kernel_size);
    if (next.kind === 'conv' || next.kind === 'conv-transpose' || next.kind === 'depthwise-conv' || next.kind === 'pool') {
      if (flattened || !window || window.some((w) => w === null)) return false;
      if (window.some((w) => w !== null && w > 1)) return true;
      continue;
    }
    if (next.kind === 'flatten' || (next.kind === 'reshape' && next.args.torch_shape !== undefined)) {
      flattened = true;
      continue;
    }
    if (next.kind === 'dense') {
      const reads = next.args.in_features;
      return flattened && typeof reads === 'number' && typeof channels === 'number' && reads > channels;
    }
    if (!SIZE_PRESERVING.has(next.kind)) return false;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'pool-too-large',
    scope: 'local',
    severity: 'warning',
    summary: 'A pooling window larger than 4, or one that covers most of its input map in a single step.',
    options: z.object({
      max_size: z.number().int().positive().default(4).describe('largest window side allowed'),
      max_coverage: z.number().gt(0).lte(1).default(0.5).describe('largest fraction of the input map one window may cover (for windows above 2)'),
    }),
    docs: {
      whatItDoes:
        "Flags a pooling layer whose window is larger than `max_size` (4) on some axis, or that covers more than `max_coverage` (half) of its input map at once. A 1-D window over a sequence is judged by the reduction a square window would make: up to `max_size`² (16) steps. A window exactly the size of its input is a hand-written global pooling and is not flagged. When the size of the map is unknown, a large window may be just that (`nn.AvgPool2d(7)` before the classifier), so it is flagged only when what follows shows the map outlives it: a convolution or pooling wider than 1 reads it, or a Linear after a flatten reads more values than the map has channels.",
      whyIsThisBad: 'A 10×10 max-pool keeps one value out of a hundred: the map collapses to a few pixels in one step, spatial information the next layers need is gone, and the result is smaller than a useful filter. Gradual 2×2 (stride 2) steps lose less and let the convolutions in between adapt.',
      example: 'model.add(MaxPool2D(pool_size=(10, 10)))',
      useInstead: 'model.add(MaxPool2D(pool_size=(2, 2)))\n# …more conv blocks…\nmodel.add(GlobalMaxPooling2D())  # when one value per channel is what you want',
    },
  },
  check({ model, graph, options, report }) {
    for (const layer of model.layers) {
      if (layer.kind !== 'pool' || !Array.isArray(layer.args.pool_size)) continue;
      const window = layer.args.pool_size.map((w) => (typeof w === 'number' ? w : null));
      const input = graph.producer(layer)?.output ?? (layer.inputs.length === 0 ? model.input : null);
      const rank = layer.rank ?? window.length;
      const axis = firstSpatialAxis(layer, model);
      const dims = input && input.length === rank + 2 ? spatialDims(input, rank, axis) : null;
      if (dims && dims.every((d, i) => d !== null && d === window[i])) continue;
      const limit = rank === 1 ? options.max_size ** 2 : options.max_size;
      const tooWide = window.some((w) => w !== null && w > limit);
      const area = (values: (number | null)[]) => values.reduce<number | null>((a, b) => (a === null || b === null ? null : a * b), 1);
      const windowArea = area(window);
      const inputArea = dims ? area(dims) : null;
      const covers = windowArea !== null && inputArea !== null && inputArea > 0 && window.some((w) => w !== null && w > 2) && windowArea / inputArea > options.max_coverage;
      if (!tooWide && !covers) continue;
      if (inputArea === null && !mapOutlivesPooling(layer, model, graph)) continue;
      const after = layer.output ? spatialDims(layer.output, rank, axis) : null;
      const shrink = dims && after && [...dims, ...after].every((d) => d !== null) ? ` (${formatWindow(dims)} → ${formatWindow(after)})` : '';
      const average = layer.args.pool_mode === 'average';
      const globalName = model.framework === 'pytorch' ? `nn.Adaptive${average ? 'Avg' : 'Max'}Pool${rank}d` : `Global${average ? 'Average' : 'Max'}Pooling${rank}D`;
      report({
        layer,
        message: `A ${formatWindow(window)} pooling window ${tooWide ? 'keeps one value out of ' + (windowArea ?? '?') : 'covers most of its input map'} in a single step${shrink}: spatial detail is thrown away at once and the map ends up smaller than a useful filter. Pool in ${rank === 1 ? 'steps of 2–4' : '2×2 steps'} between convolutions, or use ${globalName}(${model.framework === 'pytorch' ? '1' : ''}) if one value per channel is the goal.`,
      });
    }
  },
});
