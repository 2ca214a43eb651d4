import { KNOWN_LOSSES } from '../src/extract/normalise.js';
import { quoted } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';
import { closestMatch } from '../src/text.js';

const LOSS_FOR_METRIC: Record<string, string> = {
  sparse_categorical_accuracy: 'sparse_categorical_crossentropy',
  sparse_top_k_categorical_accuracy: 'sparse_categorical_crossentropy',
  categorical_accuracy: 'categorical_crossentropy',
  top_k_categorical_accuracy: 'categorical_crossentropy',
  binary_accuracy: 'binary_crossentropy',
};

export default defineRule({
  meta: {
    id: 'metric-as-loss',
    scope: 'model',
    severity: 'error',
    summary: 'The loss is a metric (such as accuracy) or a name Keras does not know.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags `compile(loss=…)` when the loss is a metric (`'accuracy'`, `'sparse_categorical_accuracy'`, `keras.metrics.AUC()`, …) or a string that is not a Keras loss.",
      whyIsThisBad: 'Accuracy counts correct arg-maxes: it is piecewise constant, so its gradient is zero almost everywhere and nothing can be learned from it. An unknown name is worse: `compile` raises `ValueError: Could not interpret loss identifier`. Metrics go in `metrics=[…]`; the loss must be differentiable.',
      example: "model.compile(optimizer='adam', loss='sparse_categorical_accuracy')",
      useInstead: "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['sparse_categorical_accuracy'])",
    },
  },
  check({ model, report }) {
    for (const loss of model.loss) {
      if (loss.isMetric) {
        const replacement = LOSS_FOR_METRIC[loss.name];
        report({
          range: loss.range,
          message: `'${loss.name}' is a metric, not a loss: it is flat almost everywhere, so its gradient is zero and the model cannot learn from it. Use ${replacement ? `'${replacement}'` : 'a cross-entropy loss'} as the loss and put '${loss.name}' in metrics=[…].`,
          fix: replacement && loss.literal ? { range: loss.range, replacement: quoted(loss.literal, replacement) } : undefined,
        });
      } else if (!loss.known) {
        const suggestion = closestMatch(loss.name, [...KNOWN_LOSSES]);
        report({
          range: loss.range,
          message: `'${loss.name}' is not a Keras loss: compile raises "Could not interpret loss identifier".${suggestion ? ` Did you mean '${suggestion}'?` : ' Use a loss such as categorical_crossentropy or mean_squared_error.'}`,
        });
      }
    }
  },
});
