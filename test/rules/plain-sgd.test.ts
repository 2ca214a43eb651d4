import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('plain-sgd', () => {
  ruleTester('plain-sgd', {
    invalid: [
      { name: "optimizer='sgd'", code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer='sgd', loss='mse')`, lines: [2] },
      { name: 'SGD() with the default momentum', code: py`
          from keras.optimizers import SGD
          model = Sequential([Dense(1)])
          opt = SGD(learning_rate=0.01)
          model.compile(optimizer=opt, loss='mse')`, lines: [3] },
      { name: 'momentum=0 written out', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.0), loss='mse')`, lines: [2] },
    ],
    valid: [
      { name: 'SGD with momentum', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True), loss='mse')` },
      { name: 'positional momentum', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer=tf.keras.optimizers.SGD(0.01, 0.9), loss='mse')` },
      { name: 'adam', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer='adam', loss='mse')` },
      { name: 'arguments from a dict footgun cannot read', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer=keras.optimizers.SGD(**opt_kwargs), loss='mse')` },
    ],
  });
});

describe('plain-sgd (PyTorch)', () => {
  ruleTester('plain-sgd', {
    invalid: [
      { name: 'torch.optim.SGD without momentum', code: py`
          import torch
          model = torch.nn.Sequential(torch.nn.Linear(4, 1))
          optimizer = torch.optim.SGD(model.parameters(), lr=0.1)`, lines: [3] },
    ],
    valid: [
      { name: 'momentum=0.9', code: py`
          import torch
          model = torch.nn.Sequential(torch.nn.Linear(4, 1))
          optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)` },
      { name: 'positional momentum', code: py`
          import torch
          from torch import optim
          model = torch.nn.Sequential(torch.nn.Linear(4, 1))
          optimizer = optim.SGD(model.parameters(), 0.1, 0.9)` },
    ],
  });
});
