import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('sigmoid-multiclass-output', () => {
  ruleTester('sigmoid-multiclass-output', {
    invalid: [
      {
        name: 'no compile in the file: the classes are taken as exclusive',
        code: py`
          model = Sequential()
          model.add(Dense(10))
          model.add(Activation('sigmoid'))`,
        lines: [3],
        fix: "'softmax'",
      },
      {
        name: 'with categorical cross-entropy',
        code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(5, activation="sigmoid")])
          model.compile(optimizer='adam', loss='categorical_crossentropy')`,
        lines: [1],
        fix: '"softmax"',
        message: /expects exactly one class/,
      },
      {
        name: 'the configuration says multiclass',
        code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(5, activation='sigmoid')])`,
        config: 'tasks:\n  - paths: ["**"]\n    task: multiclass\n',
        lines: [1],
      },
    ],
    valid: [
      { name: 'sigmoid with a logits loss: squashed-logits reports it, with the right fix', code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(10), Activation('sigmoid')])
          model.compile(optimizer='adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))` },
      { name: 'binary cross-entropy: multi-label', code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(5, activation='sigmoid')])
          model.compile(optimizer='adam', loss='binary_crossentropy')` },
      { name: 'the configuration says multilabel', config: 'tasks:\n  - paths: ["**/*.py"]\n    task: multilabel\n', code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(5, activation='sigmoid')])` },
      { name: 'a single sigmoid unit (binary)', code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(1, activation='sigmoid')])` },
      { name: 'a sigmoid convolution output (image reconstruction)', code: py`
          model = Sequential([Conv2D(3, 3, padding='same', activation='sigmoid', input_shape=(32, 32, 3))])` },
      { name: 'an autoencoder reconstructing its input with sigmoid, no loss in the file', code: py`
          import torch.nn as nn
          class AE(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.enc = nn.Sequential(nn.Linear(784, 64), nn.ReLU())
                  self.dec = nn.Sequential(nn.Linear(64, 784), nn.Sigmoid())
              def forward(self, x):
                  return self.dec(self.enc(x))
          ae = AE()` },
      { name: 'a custom loss', code: py`
          def focal(y_true, y_pred):
              return y_pred
          model = Sequential([Dense(64, activation='relu'), Dense(5, activation='sigmoid')])
          model.compile(optimizer='adam', loss=focal)` },
    ],
  });
});
