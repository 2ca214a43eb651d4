import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('softmax-binary-crossentropy', () => {
  ruleTester('softmax-binary-crossentropy', {
    invalid: [
      {
        name: 'Keras: softmax over 10 classes with binary_crossentropy',
        code: py`
          model = Sequential()
          model.add(Dense(64, activation='relu', input_shape=(20,)))
          model.add(Dense(10, activation='softmax'))
          model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])`,
        lines: [3],
        severity: 'warning',
        message: /softmax to 10 classes.*'binary_crossentropy', line 4.*'categorical_crossentropy'.*activation='sigmoid'/,
      },
      {
        name: 'a separate Softmax layer, BinaryCrossentropy()',
        code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(5), Softmax()])
          model.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy())`,
        lines: [1],
      },
      {
        name: 'PyTorch: softmax into BCELoss',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 4), nn.Softmax(dim=1))
          criterion = nn.BCELoss()`,
        lines: [2],
        message: /nn.CrossEntropyLoss.*nn.BCEWithLogitsLoss/,
      },
    ],
    valid: [
      { name: 'two-unit softmax with binary_crossentropy (the same as categorical)', code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(2, activation='softmax')])
          model.compile(optimizer='adam', loss='binary_crossentropy')` },
      { name: 'sigmoid multi-label head', code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(10, activation='sigmoid')])
          model.compile(optimizer='adam', loss='binary_crossentropy')` },
      { name: 'softmax with categorical_crossentropy', code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss='categorical_crossentropy')` },
    ],
  });
});
