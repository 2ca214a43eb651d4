import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('dropout-rate', () => {
  ruleTester('dropout-rate', {
    invalid: [
      { name: 'rate=1', code: py`
          model = Sequential()
          model.add(Dense(64, activation='relu'))
          model.add(Dropout(rate=1))`, lines: [3], severity: 'error', fix: '0.5' },
      { name: 'a negative positional rate', code: py`
          from keras import layers
          model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dropout(-0.2), layers.Dense(1)])`, lines: [2], message: /negative/ },
      { name: 'SpatialDropout2D(1.5)', code: py`
          model = Sequential([Conv2D(8, 3, activation='relu'), SpatialDropout2D(1.5)])`, lines: [1] },
      { name: '0.95 is a warning', code: py`
          model = Sequential([Dense(8, activation='relu'), Dropout(0.95), Dense(1)])`, lines: [1], severity: 'warning' },
      { name: 'exactly warn_at (0.9) is a warning: the limit is inclusive', code: py`
          model = Sequential([Dense(8, activation='relu'), Dropout(0.9), Dense(1)])`, lines: [1], severity: 'warning' },
      { name: 'exactly a configured warn_at', config: 'rules:\n  dropout-rate: { warn_at: 0.7 }\n', code: py`
          model = Sequential([Dense(8, activation='relu'), Dropout(0.7), Dense(1)])`, lines: [1], severity: 'warning' },
      { name: 'a rate from a constant', code: py`
          DROP = 1.0
          model = Sequential([Dense(8, activation='relu'), Dropout(DROP), Dense(1)])`, lines: [2] },
      { name: 'warn_at lowered by the configuration', config: 'rules:\n  dropout-rate: { warn_at: 0.7 }\n', code: py`
          model = Sequential([Dense(8, activation='relu'), Dropout(0.8), Dense(1)])`, lines: [1], severity: 'warning' },
    ],
    valid: [
      { name: '0.5', code: py`model = Sequential([Dense(8, activation='relu'), Dropout(0.5), Dense(1)])` },
      { name: 'just below warn_at', code: py`model = Sequential([Dense(8, activation='relu'), Dropout(0.89), Dense(1)])` },
      { name: 'rate=0', code: py`model = Sequential([Dense(8, activation='relu'), Dropout(rate=0), Dense(1)])` },
      { name: 'a rate footgun cannot know', code: py`
          import sys
          model = Sequential([Dense(8, activation='relu'), Dropout(float(sys.argv[1])), Dense(1)])` },
    ],
  });
});

describe('dropout-rate (PyTorch)', () => {
  ruleTester('dropout-rate', {
    invalid: [
      { name: 'nn.Dropout(p=1.5)', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Dropout(p=1.5), nn.Linear(8, 1))`, lines: [2], message: /p=1.5/ },
      { name: 'F.dropout(x, p=1.0) in forward', code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc1 = nn.Linear(8, 8)
                  self.fc2 = nn.Linear(8, 1)
              def forward(self, x):
                  x = F.dropout(F.relu(self.fc1(x)), p=1.0, training=self.training)
                  return self.fc2(x)`, lines: [9], fix: '0.5' },
    ],
    valid: [
      { name: 'the default p', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Dropout(), nn.Linear(8, 1))` },
    ],
  });
});
