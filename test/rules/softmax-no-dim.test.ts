import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('softmax-no-dim', () => {
  ruleTester('softmax-no-dim', {
    invalid: [
      { name: 'nn.Softmax() in a Sequential', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(16, 4), nn.Softmax())`, lines: [2] },
      { name: 'F.log_softmax(x) in forward', code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(16, 4)
              def forward(self, x):
                  return F.log_softmax(self.fc(x))`, lines: [8] },
    ],
    valid: [
      { name: 'dim=1', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(16, 4), nn.Softmax(dim=1))` },
      { name: 'a positional dim', code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(16, 4)
              def forward(self, x):
                  return F.softmax(self.fc(x), -1)` },
      { name: 'a Keras Softmax layer (axis defaults to -1)', code: py`
          from keras import layers
          model = keras.Sequential([layers.Dense(4), layers.Softmax()])` },
    ],
  });
});
