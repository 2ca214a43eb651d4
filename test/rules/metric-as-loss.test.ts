import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('metric-as-loss', () => {
  ruleTester('metric-as-loss', {
    invalid: [
      { name: "'sparse_categorical_accuracy'", code: py`
          model = Sequential([Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss='sparse_categorical_accuracy')`, lines: [2], fix: "'sparse_categorical_crossentropy'" },
      { name: "'accuracy'", code: py`
          model = Sequential([Dense(10, activation='softmax')])
          model.compile('adam', 'accuracy')`, lines: [2], message: /metric/ },
      { name: 'keras.metrics.AUC()', code: py`
          model = Sequential([Dense(1, activation='sigmoid')])
          model.compile(optimizer='adam', loss=keras.metrics.AUC())`, lines: [2] },
      { name: 'an unknown name with a suggestion', code: py`
          model = Sequential([Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss='categorical_crossentrophy')`, lines: [2], message: /Did you mean 'categorical_crossentropy'/ },
    ],
    valid: [
      { name: 'known loss names and aliases', code: py`
          for loss in ['mse', 'mae', 'huber', 'binary_crossentropy', 'kld', 'log_cosh', 'CategoricalCrossentropy']:
              model = Sequential([Dense(1)])
              model.compile(optimizer='adam', loss=loss, metrics=['accuracy'])` },
      { name: 'a user-defined loss function', code: py`
          def my_loss(y_true, y_pred):
              return (y_true - y_pred) ** 2
          model = Sequential([Dense(1)])
          model.compile(optimizer='adam', loss=my_loss)` },
      { name: 'a loss from another library', code: py`
          import tensorflow_addons as tfa
          model = Sequential([Dense(1)])
          model.compile(optimizer='adam', loss=tfa.losses.SigmoidFocalCrossEntropy())` },
    ],
  });
});
