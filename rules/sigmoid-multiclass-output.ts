import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'sigmoid-multiclass-output',
    scope: 'model',
    severity: 'warning',
    summary: 'Sigmoid output over several classes when each sample has exactly one class.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a Dense output layer with more than one unit and a sigmoid activation when the task is single-label: the loss is categorical or sparse categorical cross-entropy, the configuration says `multiclass`, or nothing says otherwise. With `binary_crossentropy` (multi-label) or `tasks: multilabel` in the configuration it stays silent, and so it does on an output as wide as the input (an autoencoder\'s reconstruction). With a loss that expects logits (`from_logits=True`, `nn.CrossEntropyLoss`) the fix is no activation at all, which `squashed-logits` reports.',
      whyIsThisBad: 'Sigmoid scores every class independently, so the outputs do not sum to one and several classes can be "certain" at once. For mutually exclusive classes the model should output a distribution: softmax makes the classes compete, which is what categorical cross-entropy expects.',
      example: "model.add(Dense(10))\nmodel.add(Activation('sigmoid'))",
      useInstead: "model.add(Dense(10))\nmodel.add(Activation('softmax'))",
    },
  },
  check({ model, graph, declaredTask, report }) {
    if (declaredTask !== null && declaredTask !== 'multiclass') return;
    // with a logits loss the fix is no activation at all: squashed-logits says so
    if (model.loss.some((loss) => loss.custom || loss.fromLogits)) return;
    for (const head of graph.outputHeads()) {
      if (head.activation !== 'sigmoid' || head.units === null || head.units < 2) continue;
      if (head.predictor?.kind !== 'dense' || (head.output.output && head.output.output.length > 2)) continue;
      // an output shaped like the input is a reconstruction (an autoencoder), where sigmoid per value is right
      if (model.input && head.output.output && model.input.length === 2 && model.input[1] === head.units) continue;
      const layer = head.activationLayer ?? head.predictor;
      const why = declaredTask === 'multiclass' ? (model.taskSource === 'config' ? 'the configuration declares a single-label task' : `the loss (${model.loss[0]?.written ?? model.loss[0]?.name}) expects exactly one class per sample`) : 'nothing in the code says the labels are multi-label';
      report({
        layer,
        message: `The output applies sigmoid to ${head.units} classes, but ${why}. Sigmoid scores each class on its own, so the outputs do not sum to 1 and several classes can win. Use softmax for mutually exclusive classes (if the task really is multi-label, ${model.framework === 'pytorch' ? 'train with nn.BCEWithLogitsLoss on the logits' : "compile with 'binary_crossentropy'"} or set \`tasks: multilabel\` in .github/footgun.yml).`,
        fix: layer.argRanges.activation && /^['"]sigmoid['"]$/.test(layer.argText.activation ?? '') ? { range: layer.argRanges.activation, replacement: layer.argText.activation!.replace('sigmoid', 'softmax') } : undefined,
      });
    }
  },
});
