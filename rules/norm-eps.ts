import { z } from 'zod';
import { defineRule } from '../src/rules/rule.js';

/** PyTorch normalisation layers whose second positional argument is eps, where Keras puts momentum. */
const EPS_SECOND = /^(?:BatchNorm|InstanceNorm)[123]d$/;

export default defineRule({
  meta: {
    id: 'norm-eps',
    scope: 'local',
    severity: 'warning',
    summary: "A normalisation layer's eps is implausibly large, often a momentum passed as BatchNorm's second positional argument.",
    options: z.object({
      warn_at: z.number().positive().default(0.01).describe('eps at or above this is reported (the defaults are 1e-5 in PyTorch, 1e-3 in Keras)'),
    }),
    docs: {
      whatItDoes:
        "Flags a batch, instance, layer or group normalisation whose `eps` (Keras: `epsilon`) is `warn_at` (0.01) or more. The usual cause is PyTorch's `nn.BatchNorm2d(channels, 0.8)`, written as Keras' `BatchNormalization(momentum=0.8)`: PyTorch's second positional argument is `eps`. When the value was passed that way, the fix names it `momentum=`.",
      whyIsThisBad:
        "eps is added to the variance before the division that normalises: it exists to avoid dividing by zero and is 1e-5 by default (1e-3 in Keras). At 0.8 it swamps the variance of any activation whose variance is small, so the layer hardly rescales those at all and mostly just centres them: normalisation is all but switched off, and the network trains like one without it.",
      example: 'nn.Conv2d(64, 128, 3, stride=2, padding=1),\nnn.LeakyReLU(0.2),\nnn.BatchNorm2d(128, 0.8),',
      useInstead: "nn.Conv2d(64, 128, 3, stride=2, padding=1),\nnn.LeakyReLU(0.2),\nnn.BatchNorm2d(128, momentum=0.8),  # PyTorch's momentum weighs the new batch: Keras' momentum=0.8 is momentum=0.2 here",
    },
  },
  check({ model, options, report }) {
    for (const layer of model.layers) {
      if (layer.kind !== 'norm') continue;
      const name = layer.framework === 'pytorch' ? 'eps' : 'epsilon';
      const eps = layer.args[name];
      if (typeof eps !== 'number' || eps < options.warn_at) continue;
      const range = layer.argRanges[name];
      const positional = layer.framework === 'pytorch' && EPS_SECOND.test(layer.type) && layer.positionalArgs?.includes('eps') === true;
      const value = layer.argText[name] ?? String(eps);
      const cause = positional
        ? `${layer.type}'s second positional argument is eps, not momentum: this writes eps=${value}.`
        : `${layer.type}(${name}=${value}) adds ${value} to the variance before normalising.`;
      const fix = positional
        ? `Write momentum=${value} if that is what you meant (PyTorch's momentum is the weight of the new batch, 0.1 by default: Keras' momentum=${value} is momentum=${Number((1 - eps).toFixed(6))} here), and leave eps at its default, 1e-5.`
        : `Leave ${name} at its default (${layer.framework === 'pytorch' ? '1e-5' : '1e-3'}), or pass the keyword you meant (momentum=${value}?).`;
      report({
        layer,
        range: range ?? layer.range,
        message: `${cause} An eps this large swamps the variance of small activations, so the layer hardly rescales them and normalisation is all but switched off. ${fix}`,
        fix: positional && range ? { range, replacement: `momentum=${value}` } : undefined,
      });
    }
  },
});
