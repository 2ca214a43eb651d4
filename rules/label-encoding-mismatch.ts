import { reportDataFindings } from '../src/rules/data-fit.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'label-encoding-mismatch',
    scope: 'model',
    severity: 'error',
    summary: 'The labels are encoded one way (integer class ids, one-hot rows, floats) and the loss expects the other.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes:
        "Compares how the labels a program trains on are encoded with what its loss expects: integer class ids (`np.random.randint(0, 2, 100)`, `mnist.load_data()` labels) with `categorical_crossentropy`, which wants one-hot rows; one-hot rows (`to_categorical(y, 5)`, `np.eye(k)[y]`) with `sparse_categorical_crossentropy`, which wants ids; for PyTorch, `nn.CrossEntropyLoss` given float class ids or `(N, 1)` integer targets, and `nn.BCELoss`/`nn.MSELoss` given integer targets. The finding sits on the loss (the `loss=` argument of `compile`, or the loss module), with the line that made the labels as related location.",
      whyIsThisBad:
        "Keras raises (\"Arguments `target` and `output` must have the same rank (ndim)\", \"Shapes (None, 1) and (None, 2) are incompatible\", \"Can not squeeze dim[1], expected a dimension of 1, got 5\") and PyTorch too (\"expected scalar type Long but found Float\", \"0D or 1D target tensor expected, multi-target not supported\", \"Found dtype Long but expected Float\"). The labels are usually right; the loss, or one conversion, is what to change.",
      example: "y = np.random.randint(0, 2, 100)\nmodel.add(Dense(2, activation='softmax'))\nmodel.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(x, y)",
      useInstead: "y = np.random.randint(0, 2, 100)\nmodel.add(Dense(2, activation='softmax'))\nmodel.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\nmodel.fit(x, y)",
    },
  },
  check: reportDataFindings('label-encoding-mismatch'),
});
