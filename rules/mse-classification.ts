import { soleLoss } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

const SQUARED_OR_ABSOLUTE = new Set(['mean_squared_error', 'mean_absolute_error', 'mean_squared_logarithmic_error', 'mean_absolute_percentage_error']);

export default defineRule({
  meta: {
    id: 'mse-classification',
    scope: 'model',
    severity: 'warning',
    summary: 'A regression loss (MSE/MAE) on a softmax classification output.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags `compile(loss='mean_squared_error')` (or MAE, MSLE, MAPE) on a model whose output is a softmax over classes. Sigmoid outputs are not flagged: a sigmoid with MSE is a legitimate bounded regression (and the usual autoencoder).",
      whyIsThisBad: 'Squared error on probabilities gives tiny gradients exactly when the model is confidently wrong (the softmax saturates), so a classifier trained this way learns slowly and poorly calibrated. Cross-entropy is the loss matched to softmax: its gradient is simply prediction minus target.',
      example: "model.add(Dense(10, activation='softmax'))\nmodel.compile(optimizer='adam', loss='mean_squared_error')",
      useInstead: "model.add(Dense(10, activation='softmax'))\nmodel.compile(optimizer='adam', loss='categorical_crossentropy')  # or sparse_categorical_crossentropy for integer labels",
    },
  },
  check({ model, graph, lineRef, report }) {
    const loss = soleLoss(model);
    if (!loss || !SQUARED_OR_ABSOLUTE.has(loss.name)) return;
    const head = graph.outputHeads().find((h) => h.activation === 'softmax');
    if (!head) return;
    const output = head.activationLayer ?? head.predictor!;
    report({
      range: loss.range,
      message: `The loss is ${loss.written ?? loss.name}, but the model classifies (softmax output at ${lineRef(output.range, loss.range)}). Squared or absolute error on probabilities barely moves a confidently wrong softmax. ${model.framework === 'pytorch' ? 'Return logits and use nn.CrossEntropyLoss.' : "Use 'categorical_crossentropy' for one-hot labels or 'sparse_categorical_crossentropy' for integer labels."}`,
      related: [{ range: output.range, message: 'the softmax output' }],
    });
  },
});
