import { lossLabel, soleLoss, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'softmax-binary-crossentropy',
    scope: 'model',
    severity: 'warning',
    summary: 'Softmax over three or more classes trained with binary cross-entropy.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a softmax output with three or more units whose loss is binary cross-entropy (Keras `binary_crossentropy`/`BinaryCrossentropy()`, PyTorch `nn.BCELoss`). Two units are left alone: there softmax with binary cross-entropy equals categorical cross-entropy.',
      whyIsThisBad: 'Softmax makes the classes compete for one unit of probability; binary cross-entropy scores each class as its own yes/no question. The pair fits neither task: for one class per sample, categorical cross-entropy is the loss that matches softmax; for several labels per sample, each class needs its own sigmoid. Keras also reports `binary_accuracy` for `metrics=["accuracy"]` with this loss, which looks far better than the model is.',
      example: "model.add(Dense(10, activation='softmax'))\nmodel.compile(loss='binary_crossentropy', metrics=['accuracy'])",
      useInstead: "model.add(Dense(10, activation='softmax'))\nmodel.compile(loss='categorical_crossentropy', metrics=['accuracy'])",
    },
  },
  check({ model, graph, report }) {
    const loss = soleLoss(model);
    if (!loss || loss.name !== 'binary_crossentropy' || loss.fromLogits) return;
    for (const head of graph.outputHeads()) {
      if (head.activation !== 'softmax' || head.units === null || head.units < 3) continue;
      const layer = head.activationLayer ?? head.predictor;
      if (!layer) continue;
      const lossName = lossLabel(model, loss);
      const singleLabel = model.framework === 'pytorch' ? 'train with nn.CrossEntropyLoss on the logits' : "use 'categorical_crossentropy' (or 'sparse_categorical_crossentropy' for integer labels)";
      const multiLabel = model.framework === 'pytorch' ? 'return the logits and train with nn.BCEWithLogitsLoss' : "use activation='sigmoid'";
      report({
        layer,
        range: wiringRange(layer),
        message: `The output applies softmax to ${head.units} classes, but the loss (${lossName}, line ${loss.range.line}) is binary cross-entropy, which scores each class on its own. For one class per sample, ${singleLabel}; for several labels per sample, ${multiLabel}.`,
        related: [{ range: loss.range, message: 'the binary loss' }],
      });
    }
  },
});
