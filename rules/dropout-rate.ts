import { z } from 'zod';
import { defineRule } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'dropout-rate',
    scope: 'local',
    severity: 'error',
    summary: 'Dropout rate of 1 or more (drops everything), below 0, or so high that almost nothing passes.',
    options: z.object({
      warn_at: z.number().gt(0).lte(1).default(0.9).describe('rates at or above this (and below 1) are reported as warnings'),
    }),
    docs: {
      whatItDoes: 'Checks the rate of every dropout layer (`Dropout`, `SpatialDropout2D`, `nn.Dropout(p)`, …). A rate of 1 or more, or below 0, is an error; a rate at or above `warn_at` (0.9) is a warning.',
      whyIsThisBad: 'The rate is the fraction of activations that are dropped. At 1 every activation is zeroed during training, nothing reaches the layers after it and nothing before it gets a gradient: the network cannot learn (recent Keras versions refuse to build it). Negative rates are meaningless. Above 0.9, so little signal passes that training is extremely noisy.',
      example: 'model.add(Dense(64, activation="relu"))\nmodel.add(Dropout(rate=1))',
      useInstead: 'model.add(Dense(64, activation="relu"))\nmodel.add(Dropout(rate=0.5))',
    },
  },
  check({ model, options, report }) {
    for (const layer of model.layers) {
      if (layer.kind !== 'dropout' || typeof layer.args.rate !== 'number') continue;
      const rate = layer.args.rate;
      const fix = layer.argRanges.rate ? { range: layer.argRanges.rate, replacement: '0.5' } : undefined;
      const name = model.framework === 'pytorch' ? 'p' : 'rate';
      if (rate >= 1) {
        report({ layer, fix, message: `${layer.type}(${name}=${rate}) drops every activation: nothing after it receives a signal and nothing before it receives a gradient, so the network cannot learn. The ${name} is the fraction dropped; use 0.2–0.5.` });
      } else if (rate < 0) {
        report({ layer, fix, message: `${layer.type}(${name}=${rate}) has a negative ${name}, which is meaningless (the ${name} is the fraction of activations dropped, between 0 and 1). Use 0.2–0.5.` });
      } else if (rate >= options.warn_at) {
        report({ layer, fix, severity: 'warning', message: `${layer.type}(${name}=${rate}) drops ${Math.round(rate * 100)}% of the activations: so little passes that training becomes extremely noisy. The ${name} is the fraction dropped, not kept; 0.2–0.5 is usual.` });
      }
    }
  },
});
