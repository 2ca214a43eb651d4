import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('softmax-single-unit', () => {
  ruleTester('softmax-single-unit', {
    invalid: [
      {
        name: 'Dense(1, softmax)',
        code: py`
          model = Sequential()
          model.add(Dense(32, activation='relu', input_shape=(8,)))
          model.add(Dense(1, activation='softmax'))`,
        lines: [3],
        fix: "'sigmoid'",
      },
      {
        name: 'Activation(softmax) after one unit',
        code: py`
          model = Sequential()
          model.add(Dense(32, activation='relu', input_shape=(8,)))
          model.add(Dense(1))
          model.add(Activation('softmax'))`,
        lines: [4],
      },
      {
        name: 'Keras: a single logit with SparseCategoricalCrossentropy(from_logits=True)',
        code: py`
          model = Sequential([Dense(16, activation='relu', input_shape=(8,)), Dense(1)])
          model.compile(optimizer='adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))`,
        lines: [1],
        message: /applies softmax over this single output unit.*BinaryCrossentropy\(from_logits=True\)/,
      },
      {
        name: "Keras: a sigmoid unit compiled with 'categorical_crossentropy' (rescaled to 1.0)",
        code: py`
          model = Sequential([Dense(16, activation='relu', input_shape=(8,)), Dense(1, activation='sigmoid')])
          model.compile(optimizer='adam', loss='categorical_crossentropy')`,
        lines: [1],
        message: /\('categorical_crossentropy', line 2\) normalises over this single output unit.*'binary_crossentropy'/,
      },
      {
        name: 'PyTorch: Linear(…, 1) with CrossEntropyLoss',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
          criterion = nn.CrossEntropyLoss()`,
        lines: [2],
        message: /nn.CrossEntropyLoss, line 3.*nn.BCEWithLogitsLoss/,
      },
    ],
    valid: [
      { name: "a sigmoid unit with 'binary_crossentropy'", code: py`
          model = Sequential([Dense(16, activation='relu', input_shape=(8,)), Dense(1, activation='sigmoid')])
          model.compile(optimizer='adam', loss='binary_crossentropy')` },
      { name: 'one logit with BCEWithLogitsLoss', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
          criterion = nn.BCEWithLogitsLoss()` },
      { name: 'F.softmax over dim=0 of a batch normalises over the samples, not one unit', code: py`
          import torch
          import torch.nn as nn
          import torch.nn.functional as F
          class Scorer(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(16, 1)
              def forward(self, x):
                  return F.softmax(self.fc(x), dim=0)
          scorer = Scorer()
          scorer(torch.randn(10, 16))` },
      { name: 'softmax over two units', code: py`
          model = Sequential([Dense(2, activation='softmax', input_shape=(8,))])` },
      { name: 'sigmoid over one unit', code: py`
          model = Sequential([Dense(1, activation='sigmoid', input_shape=(8,))])` },
    ],
  });
});
