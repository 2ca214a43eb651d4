import { z } from 'zod';
import { firstSpatialAxis, spatialDims } from '../src/rules/model-graph.js';
import { defineRule } from '../src/rules/rule.js';
import { formatWindow } from '../src/text.js';

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
      whatItDoes: "Flags a pooling layer whose window is larger than `max_size` (4) on some axis, or that covers more than `max_coverage` (half) of its input map at once. A window exactly the size of its input is a hand-written global pooling and is not flagged.",
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
      const tooWide = window.some((w) => w !== null && w > options.max_size);
      const area = (values: (number | null)[]) => values.reduce<number | null>((a, b) => (a === null || b === null ? null : a * b), 1);
      const windowArea = area(window);
      const inputArea = dims ? area(dims) : null;
      const covers = windowArea !== null && inputArea !== null && inputArea > 0 && window.some((w) => w !== null && w > 2) && windowArea / inputArea > options.max_coverage;
      if (!tooWide && !covers) continue;
      const after = layer.output ? spatialDims(layer.output, rank, axis) : null;
      const shrink = dims && after && [...dims, ...after].every((d) => d !== null) ? ` (${formatWindow(dims)} → ${formatWindow(after)})` : '';
      const average = layer.args.pool_mode === 'average';
      const globalName = model.framework === 'pytorch' ? `nn.Adaptive${average ? 'Avg' : 'Max'}Pool${rank}d` : `Global${average ? 'Average' : 'Max'}Pooling${rank}D`;
      report({
        layer,
        message: `A ${formatWindow(window)} pooling window ${tooWide ? 'keeps one value out of ' + (windowArea ?? '?') : 'covers most of its input map'} in a single step${shrink}: spatial detail is thrown away at once and the map ends up smaller than a useful filter. Pool in 2×2 steps between convolutions, or use ${globalName}(${model.framework === 'pytorch' ? '1' : ''}) if one value per channel is the goal.`,
      });
    }
  },
});
