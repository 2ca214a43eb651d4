import { z } from 'zod';
import type { Layer } from '../src/ir.js';
import type { ModelGraph } from '../src/rules/model-graph.js';
import { defineRule } from '../src/rules/rule.js';

function previousDense(graph: ModelGraph, layer: Layer): Layer | undefined {
  let current = graph.producer(layer);
  while (current && (current.kind === 'dropout' || current.kind === 'norm' || current.kind === 'activation' || current.kind === 'identity')) current = graph.producer(current);
  return current?.kind === 'dense' ? current : undefined;
}

export default defineRule({
  meta: {
    id: 'abrupt-narrowing',
    scope: 'model',
    severity: 'info',
    summary: 'A Dense layer narrows the width by more than 64× in one step.',
    options: z.object({
      max_ratio: z.number().gt(1).default(64).describe('largest allowed ratio between the previous Dense width and this one'),
    }),
    docs: {
      whatItDoes: 'Flags a Dense layer whose width is more than `max_ratio` (64) times smaller than the Dense layer before it (dropout, normalisation and activation layers in between are skipped).',
      whyIsThisBad: 'Squeezing 128 features into 1 in a single linear step forces one layer to do all the summarising. Narrowing gradually (128 → 32 → 8 → 1, powers of two) gives the network intermediate representations to learn, usually with better results for the same parameter budget.',
      example: "model.add(Dense(128, activation='relu'))\nmodel.add(Dense(1))",
      useInstead: "model.add(Dense(128, activation='relu'))\nmodel.add(Dense(16, activation='relu'))\nmodel.add(Dense(1))",
    },
  },
  check({ model, graph, options, report }) {
    for (const layer of model.layers) {
      if (layer.kind !== 'dense' || typeof layer.args.units !== 'number' || layer.args.units <= 0) continue;
      const before = previousDense(graph, layer);
      if (!before || typeof before.args.units !== 'number') continue;
      const ratio = before.args.units / layer.args.units;
      if (ratio <= options.max_ratio) continue;
      report({
        layer,
        message: `This layer narrows ${before.args.units} → ${layer.args.units} (${Math.round(ratio)}×) in one step. Narrow gradually, e.g. by powers of two with an intermediate layer (${before.args.units} → ${2 ** Math.round(Math.log2(Math.sqrt(before.args.units * layer.args.units)))} → ${layer.args.units}), so the network can build intermediate summaries.`,
        related: [{ range: before.range, message: `the ${before.args.units}-wide layer before it` }],
      });
    }
  },
});
