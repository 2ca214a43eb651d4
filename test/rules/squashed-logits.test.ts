import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('squashed-logits', () => {
  ruleTester('squashed-logits', {
    invalid: [
      {
        name: 'PyTorch: a final nn.ReLU before CrossEntropyLoss',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.ReLU())
          criterion = nn.CrossEntropyLoss()`,
        lines: [2],
        severity: 'error',
        message: /applies relu, so no score goes below 0.*CrossEntropyLoss, line 3.*Remove the relu/,
      },
      {
        name: 'PyTorch: ReLU logits with BCEWithLogitsLoss predict at least 0.5',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(20, 16), nn.Tanh(), nn.Linear(16, 1), nn.ReLU())
          criterion = nn.BCEWithLogitsLoss()`,
        lines: [2],
        message: /at least 0\.5/,
      },
      {
        name: 'Keras: tanh output with from_logits=True',
        code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(10, activation='tanh')])
          model.compile(optimizer='adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))`,
        lines: [1],
        message: /stay in \(-1, 1\)/,
      },
      {
        name: 'Keras: sigmoid over 10 classes with a softmax logits loss',
        code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(10), Activation('sigmoid')])
          model.compile(optimizer='adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))`,
        lines: [1],
      },
    ],
    valid: [
      { name: 'logits with CrossEntropyLoss', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
          criterion = nn.CrossEntropyLoss()` },
      { name: 'a ReLU output for a regression', code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(1, activation='relu')])
          model.compile(optimizer='adam', loss='mse')` },
      { name: 'sigmoid with binary_crossentropy on probabilities', code: py`
          model = Sequential([Dense(64, activation='relu', input_shape=(20,)), Dense(1, activation='sigmoid')])
          model.compile(optimizer='adam', loss='binary_crossentropy')` },
      { name: 'sigmoid before BCEWithLogitsLoss is double-softmax, not this rule', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(20, 1), nn.Sigmoid())
          criterion = nn.BCEWithLogitsLoss()` },
      { name: 'LeakyReLU lets negative scores through', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(784, 10), nn.LeakyReLU())
          criterion = nn.CrossEntropyLoss()` },
    ],
  });
});
