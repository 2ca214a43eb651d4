import { activationInLoss, lossLabel, soleLoss, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'double-softmax',
    scope: 'model',
    severity: 'error',
    summary: 'The output already applies softmax/sigmoid and the loss applies it again (`from_logits=True`).',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a model whose output applies softmax (or sigmoid) while the loss applies it too: in Keras `CategoricalCrossentropy(from_logits=True)`, `SparseCategoricalCrossentropy(from_logits=True)`, `BinaryCrossentropy(from_logits=True)`; in PyTorch `nn.CrossEntropyLoss`/`F.cross_entropy` (which apply log-softmax) after a softmax, and `nn.BCEWithLogitsLoss` after a sigmoid.',
      whyIsThisBad: 'With `from_logits=True` the loss applies softmax itself. Applied to probabilities, a second softmax squashes them towards uniform: the loss can never get close to zero, gradients shrink, and training stalls.',
      example: "outputs = layers.Dense(10, activation='softmax')(x)\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))",
      useInstead: "outputs = layers.Dense(10)(x)\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))",
    },
  },
  check({ model, graph, lineRef, report }) {
    const loss = soleLoss(model);
    if (!loss?.fromLogits) return;
    const expected = activationInLoss(loss);
    for (const head of graph.outputHeads()) {
      if (head.activation !== expected) continue;
      const layer = head.activationLayer ?? head.predictor;
      if (!layer) continue;
      const torch = model.framework === 'pytorch';
      const lossText = `${lossLabel(model, loss)} at ${lineRef(loss.range, wiringRange(layer))}`;
      const fix = torch ? `${model.kind === 'sequential' ? `End the nn.Sequential with the logits (drop its final ${expected})` : 'Return the logits from forward()'} and let the loss apply ${expected}; apply ${expected} only at inference.` : `Remove the ${expected} from the output layer (keep logits), or set from_logits=False.`;
      report({
        layer,
        range: wiringRange(layer),
        message: `The output applies ${expected}, and the loss (${lossText}) applies it again: the model's probabilities are squashed a second time and training stalls. ${fix}`,
        related: [{ range: loss.range, message: 'the loss that expects logits' }],
      });
    }
  },
});
