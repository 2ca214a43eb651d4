import { activationInLoss, lossLabel, soleLoss, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

/** Output activations that keep scores from being logits: they clamp them at zero or bound them. */
const CLAMPING = new Set(['relu', 'relu6', 'softplus', 'exponential']);
const BOUNDING = new Set(['sigmoid', 'tanh', 'hard_sigmoid']);

export default defineRule({
  meta: {
    id: 'squashed-logits',
    scope: 'model',
    severity: 'error',
    summary: 'A ReLU, sigmoid or tanh on the output, fed to a loss that expects logits.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags an output activation that clamps or bounds the scores (ReLU, ReLU6, softplus, exponential; sigmoid, tanh, hard sigmoid) when the loss expects raw logits: Keras cross-entropies with `from_logits=True`, PyTorch `nn.CrossEntropyLoss`/`F.cross_entropy` and `nn.BCEWithLogitsLoss`. Softmax before a softmax loss and sigmoid before a sigmoid loss are `double-softmax`.',
      whyIsThisBad: 'A logits loss applies softmax (or sigmoid) to scores that can be any real number. Clamped at zero, no class can be pushed below the others and units that go negative stop learning; with a sigmoid loss every prediction is at least 0.5. Bounded to (0, 1) or (-1, 1), the scores can never spread far enough for a confident prediction: over 10 classes, sigmoid scores give the right one at most 23%, tanh scores at most 45%.',
      example: 'nn.Linear(128, 10),\nnn.ReLU(),\n)\ncriterion = nn.CrossEntropyLoss()',
      useInstead: 'nn.Linear(128, 10),\n)\ncriterion = nn.CrossEntropyLoss()',
    },
  },
  check({ model, graph, report }) {
    const loss = soleLoss(model);
    if (!loss?.fromLogits) return;
    const lossApplies = activationInLoss(loss);
    for (const head of graph.outputHeads()) {
      const activation = head.activation;
      if (activation === null || activation === lossApplies || (!CLAMPING.has(activation) && !BOUNDING.has(activation))) continue;
      const layer = head.activationLayer ?? head.predictor;
      if (!layer) continue;
      const harm = CLAMPING.has(activation)
        ? `so no score goes below 0: the wrong classes cannot be pushed down${lossApplies === 'sigmoid' ? ' (every prediction is at least 0.5)' : ''}, and a unit that goes negative stops learning`
        : `so the scores stay in ${activation === 'tanh' ? '(-1, 1)' : '(0, 1)'} and the ${lossApplies} the loss applies can never become confident`;
      const lossName = lossLabel(model, loss);
      report({
        layer,
        range: wiringRange(layer),
        message: `The output applies ${activation}, ${harm}, but the loss (${lossName}, line ${loss.range.line}) expects raw logits. Remove the ${activation} from the output so the model emits logits; the loss applies ${lossApplies} itself.`,
        related: [{ range: loss.range, message: 'the loss that expects logits' }],
      });
    }
  },
});
