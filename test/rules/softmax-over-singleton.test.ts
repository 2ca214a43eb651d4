import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('softmax-over-singleton', () => {
  ruleTester('softmax-over-singleton', {
    invalid: [
      {
        name: 'log_softmax on a Linear(…, 1) output',
        code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.hidden = nn.Linear(20, 64)
                  self.out = nn.Linear(64, 1)
              def forward(self, x):
                  x = F.relu(self.hidden(x))
                  return F.log_softmax(self.out(x), dim=1)`,
        lines: [10],
        message: /F.log_softmax normalises over axis 1 of a \(N, 1\) tensor.*exactly 0.0.*BCEWithLogitsLoss/,
      },
      {
        name: 'softmax over the channel axis of a one-channel segmentation map',
        code: py`
          import torch
          import torch.nn as nn
          class Seg(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.body = nn.Conv2d(3, 16, 3, padding=1)
                  self.head = nn.Conv2d(16, 1, 1)
              def forward(self, x):
                  return torch.softmax(self.head(torch.relu(self.body(x))), dim=1)
          seg = Seg()
          seg(torch.randn(2, 3, 64, 64))`,
        lines: [9],
        message: /axis 1 of a \(N, 1, 64, 64\) tensor.*exactly 1.0.*sigmoid/,
      },
      {
        name: 'nn.LogSoftmax(dim=-1) module after one unit',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1), nn.LogSoftmax(dim=-1))`,
        lines: [2],
      },
      {
        name: 'Keras Softmax(axis=1) over an axis of size 1',
        code: py`
          from keras import layers, models
          model = models.Sequential([layers.Input((1, 10)), layers.Dense(10), layers.Softmax(axis=1)])`,
        lines: [2],
      },
    ],
    valid: [
      {
        name: 'log_softmax over ten classes',
        code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.out = nn.Linear(64, 10)
              def forward(self, x):
                  return F.log_softmax(self.out(x), dim=1)`,
      },
      {
        name: 'softmax over the batch axis of a one-sample input is not judged',
        code: py`
          import torch
          import torch.nn as nn
          class Attn(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.score = nn.Linear(16, 1)
              def forward(self, x):
                  return torch.softmax(self.score(x), dim=0)
          attn = Attn()
          attn(torch.randn(1, 16))`,
      },
      {
        name: 'softmax over one last unit belongs to softmax-single-unit',
        code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.out = nn.Linear(64, 1)
              def forward(self, x):
                  return F.softmax(self.out(x), dim=1)`,
      },
      {
        name: 'softmax over the sequence axis of attention scores',
        code: py`
          import torch
          import torch.nn as nn
          class Pool(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.score = nn.Linear(32, 1)
              def forward(self, x):
                  w = torch.softmax(self.score(x), dim=1)
                  return (w * x).sum(1)
          pool = Pool()
          pool(torch.randn(4, 12, 32))`,
      },
      {
        name: 'an axis footgun cannot size',
        code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.conv = nn.Conv2d(3, 1, 1)
              def forward(self, x):
                  return F.log_softmax(self.conv(x), dim=2)`,
      },
    ],
  });
});
