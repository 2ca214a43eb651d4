import { reportDataFindings } from '../src/rules/data-fit.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'input-data-mismatch',
    scope: 'model',
    severity: 'error',
    summary: 'The features the program feeds the model do not have the input shape the model declares.',
    frameworks: ['keras'],
    options: NO_OPTIONS,
    docs: {
      whatItDoes:
        "Compares the arrays a program passes to `fit`, `evaluate`, `predict` or `train_on_batch` with the input shape the model declares (`input_shape=`, `Input(shape=…)`): `input_shape=(28, 28)` for MNIST images reshaped to `(n, 784)`, `input_shape=(10,)` for 12 features, a single image `x_test[0]` passed to `predict`. A difference Keras tolerates (a trailing axis of size 1 added or dropped) is not reported, nor one in the spatial size of a convolutional model that nothing downstream fixes. A model that declares no input takes it from the data, and its shape checks (`shape-mismatch`) then run on it. The finding sits on the declared input shape, with the line that made the data as related location.",
      whyIsThisBad:
        "Keras stops with \"Invalid input shape for input … Expected shape (None, 28, 28), but input has incompatible shape (None, 784)\" or \"Input 0 of layer … is incompatible with the layer\"; older versions may only warn and run on shapes nobody intended. The fix is one of the two shapes, and which one is a decision the reviewer should see.",
      example: "(x_train, y_train), _ = mnist.load_data()\nx_train = x_train.reshape(60000, 784)\nmodel = Sequential([Flatten(input_shape=(28, 28)), Dense(10, activation='softmax')])\nmodel.fit(x_train, y_train)",
      useInstead: "(x_train, y_train), _ = mnist.load_data()\nx_train = x_train.reshape(60000, 784)\nmodel = Sequential([Dense(10, activation='softmax', input_shape=(784,))])\nmodel.fit(x_train, y_train)",
    },
  },
  check: reportDataFindings('input-data-mismatch'),
});
