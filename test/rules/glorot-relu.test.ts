import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('glorot-relu', () => {
  ruleTester('glorot-relu', {
    invalid: [
      {
        name: 'explicit glorot_uniform before an Activation(relu) layer',
        code: py`
          model = Sequential()
          model.add(Conv2D(32, (3, 3), kernel_initializer="glorot_uniform"))
          model.add(Activation('relu'))`,
        lines: [2],
        fix: '"he_uniform"',
        severity: 'info',
      },
      {
        name: 'GlorotNormal() with a fused relu',
        code: py`
          from keras import layers, initializers
          model = keras.Sequential([layers.Dense(64, activation="relu", kernel_initializer=initializers.GlorotNormal())])`,
        lines: [2],
        message: /he_normal/,
      },
      {
        name: 'glorot, then batch normalisation, then ReLU()',
        code: py`
          model = Sequential()
          model.add(Conv2D(32, 3, kernel_initializer='glorot_normal'))
          model.add(BatchNormalization())
          model.add(ReLU())`,
        lines: [2],
      },
    ],
    valid: [
      { name: 'the implicit Keras default', code: py`
          model = Sequential()
          model.add(Conv2D(32, (3, 3), activation='relu'))` },
      { name: 'glorot before tanh', code: py`
          model = Sequential()
          model.add(Dense(32, activation='tanh', kernel_initializer='glorot_uniform'))` },
      { name: 'he_uniform before relu', code: py`
          model = Sequential()
          model.add(Conv2D(32, 3, kernel_initializer='he_uniform'))
          model.add(Activation('relu'))` },
    ],
  });
});

describe('glorot-relu (PyTorch)', () => {
  ruleTester('glorot-relu', {
    invalid: [
      { name: 'xavier_uniform_ before ReLU', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
          nn.init.xavier_uniform_(model[0].weight)
          seq = nn.Sequential(nn.Linear(8, 16), nn.ReLU())
          nn.init.xavier_uniform_(seq[0].weight)`, lines: [3, 5] },
    ],
    valid: [
      { name: 'kaiming before ReLU', code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(8, 16)
                  nn.init.kaiming_normal_(self.fc.weight, nonlinearity='relu')
              def forward(self, x):
                  return torch.relu(self.fc(x))` },
    ],
  });
  ruleTester('glorot-relu', {
    invalid: [
      { name: 'xavier_normal_ on self.fc, then F.relu in forward', code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(8, 16)
                  self.out = nn.Linear(16, 1)
                  nn.init.xavier_normal_(self.fc.weight)
              def forward(self, x):
                  return self.out(F.relu(self.fc(x)))`, lines: [8], message: /kaiming_normal_/ },
    ],
    valid: [],
  });
});
