import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'softmax-no-dim',
    scope: 'local',
    severity: 'warning',
    summary: '`nn.Softmax()` or `F.softmax(x)` without `dim`.',
    options: NO_OPTIONS,
    frameworks: ['pytorch'],
    docs: {
      whatItDoes: 'Flags `nn.Softmax()`, `nn.LogSoftmax()`, `F.softmax(x)` and `F.log_softmax(x)` written without `dim`.',
      whyIsThisBad: "Without `dim`, PyTorch guesses the axis from the input's rank (dim 0 for 0-, 1- and 3-D inputs, dim 1 otherwise) and warns that the implicit choice is deprecated. On a (batch, time, classes) tensor it normalises across the batch, so each sample's probabilities depend on the other samples in the batch.",
      example: 'self.out = nn.Softmax()\n…\nprobs = F.softmax(logits)',
      useInstead: 'self.out = nn.Softmax(dim=-1)\n…\nprobs = F.softmax(logits, dim=-1)',
    },
  },
  check({ model, report }) {
    for (const layer of model.layers) {
      if (layer.kind !== 'activation' || (layer.activation !== 'softmax' && layer.activation !== 'log_softmax')) continue;
      if (layer.args.dim !== undefined && layer.args.dim !== null) continue;
      const name = layer.type.includes('.') ? layer.type : `nn.${layer.type}`;
      report({
        layer,
        message: `${name} is called without dim, so PyTorch guesses the axis from the input's rank (and warns): on a (batch, time, classes) tensor it normalises across the batch. Write dim=-1 (the class axis) explicitly.`,
      });
    }
  },
});
