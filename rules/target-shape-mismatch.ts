import { reportDataFindings } from '../src/rules/data-fit.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'target-shape-mismatch',
    scope: 'model',
    severity: 'error',
    summary: 'The targets the program trains on do not have the shape of the model\'s output (or name classes it does not score).',
    options: NO_OPTIONS,
    docs: {
      whatItDoes:
        "Reads the arrays a program passes to `fit`/`evaluate`/`train_on_batch` (Keras, batch generators included) or to a loss called on the model's output in a training loop (`criterion(model(x), y)`, `tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=model(x))`), and compares the targets with the output they are scored against: `np.random.random(100)` (one value per sample) for a `Dense(4)` output, `np.eye(4)[labels]` (4 classes) for a `Dense(3)` softmax, `(n, 10, 1)` targets for a `(None, 10, 10)` output, integer labels up to 9 for a 5-class output, `(N,)` targets for `nn.BCELoss` on an `(N, 1)` output, one-hot rows from `flow_from_directory` (its default `class_mode`) for a single sigmoid unit. It follows NumPy, PyTorch and the documented Keras datasets and loaders (`mnist.load_data()`, `to_categorical`, `flow_from_directory(class_mode=…)`, `TensorDataset` + `DataLoader`), and allows what the framework allows (Keras adds or drops a trailing axis of size 1). The finding sits on the output layer, with the line that made the targets and the training call as related locations.",
      whyIsThisBad:
        "Keras stops at the first batch (\"Error when checking target: expected dense to have shape (4,) but got array with shape (1,)\", \"Arguments `target` and `output` must have the same shape\", \"Received a label value of 9 which is outside the valid range of [0, 5)\"), PyTorch raises (\"Target size (torch.Size([64])) must be the same as input size (torch.Size([64, 1]))\"). Worse, some versions broadcast the targets over the outputs without a word and train on the wrong objective. The error points into the framework; the cause is a layer size or a label encoding in your code.",
      example: "y = np.random.random(100)\nmodel = Sequential([Dense(32, activation='relu', input_shape=(8,)), Dense(4)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y)",
      useInstead: "y = np.random.random(100)\nmodel = Sequential([Dense(32, activation='relu', input_shape=(8,)), Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y)",
    },
  },
  check: reportDataFindings('target-shape-mismatch'),
});
