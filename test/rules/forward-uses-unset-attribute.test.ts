import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('forward-uses-unset-attribute', () => {
  ruleTester('forward-uses-unset-attribute', {
    invalid: [
      {
        name: '__int__ instead of __init__',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __int__(self):
                  super().__init__()
                  self.fc = nn.Linear(784, 10)
              def forward(self, x):
                  return self.fc(x)`,
        lines: [3],
        message: /'__int__' is not '__init__'.*forward\(\) uses self.fc \(line 7\).*'Net' object has no attribute 'fc'/,
        fix: '__init__',
      },
      {
        name: '___init___ with three underscores',
        code: py`
          from torch import nn
          class Encoder(nn.Module):
              def ___init___(self, dim):
                  super().__init__()
                  self.proj = nn.Linear(dim, dim)
              def forward(self, x):
                  return self.proj(x).relu()`,
        lines: [3],
      },
      {
        name: '_init_ in a LightningModule',
        code: py`
          import lightning as L
          import torch.nn as nn
          class LitModel(L.LightningModule):
              def _init_(self):
                  super().__init__()
                  self.layer = nn.Linear(28 * 28, 10)
              def forward(self, x):
                  return self.layer(x)`,
        lines: [4],
      },
      {
        name: 'a layer used under another name than it was stored',
        code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc1 = nn.Linear(784, 128)
                  self.fc2 = nn.Linear(128, 10)
              def forward(self, x):
                  x = F.relu(self.fc1(x))
                  return self.fc3(x)`,
        lines: [10],
        message: /forward\(\) uses self.fc3, but no method of Net assigns it.*Did you mean self.fc[12]\?/,
      },
      {
        name: 'a Keras layer whose call() uses a weight build() stored under another name',
        code: py`
          import keras
          class Linear(keras.layers.Layer):
              def __init__(self, units=32):
                  super().__init__()
                  self.units = units
              def build(self, input_shape):
                  self.kernel = self.add_weight(shape=(input_shape[-1], self.units))
              def call(self, inputs):
                  return keras.ops.matmul(inputs, self.w)`,
        lines: [9],
        message: /call\(\) uses self.w, but no method of Linear assigns it and keras.layers.Layer does not provide it/,
      },
      {
        name: 'each missing attribute once, at its first use',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.body = nn.Linear(4, 4)
              def forward(self, x):
                  x = self.bdy(x)
                  return self.bdy(x) + self.head(x)`,
        lines: [7, 8],
      },
    ],
    valid: [
      {
        name: 'Keras weights created in build()',
        code: py`
          import keras
          class Linear(keras.layers.Layer):
              def __init__(self, units=32, **kwargs):
                  super().__init__(**kwargs)
                  self.units = units
              def build(self, input_shape):
                  self.w = self.add_weight(shape=(input_shape[-1], self.units))
                  self.b = self.add_weight(shape=(self.units,), initializer="zeros")
              def call(self, inputs):
                  if self.built and self.trainable:
                      return keras.ops.matmul(inputs, self.w) + self.b
                  return inputs`,
      },
      {
        name: 'attributes of a parent class of the file, of nn.Module, properties and class attributes',
        code: py`
          import torch.nn as nn
          class Base(nn.Module):
              act = nn.ReLU
              def __init__(self):
                  super().__init__()
                  self.body = nn.Linear(4, 4)
              @property
              def width(self):
                  return 4
          class Net(Base):
              def __init__(self):
                  super().__init__()
                  self.head, self.tail = nn.Linear(4, 2), nn.Identity()
              def forward(self, x):
                  if self.training:
                      x = x * self.width
                  return self.tail(self.head(self.act()(self.body(x))))`,
      },
      {
        name: 'an abstract base whose subclasses in the file assign the layers',
        code: py`
          import torch.nn as nn
          class Classifier(nn.Module):
              def forward(self, x):
                  return self.head(self.features(x))
          class Small(Classifier):
              def __init__(self):
                  super().__init__()
                  self.features = nn.Linear(8, 8)
                  self.head = nn.Linear(8, 2)`,
      },
      {
        name: 'attributes set in another method, by register_buffer, or from outside the class',
        code: py`
          import torch
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.register_buffer('mean', torch.zeros(3))
                  self.reset()
              def reset(self):
                  self.fc = nn.Linear(3, 3)
              def forward(self, x):
                  return self.head(self.fc(x - self.mean))
          model = Net()
          model.head = nn.Linear(3, 1)`,
      },
      {
        name: 'a guard with hasattr(self, …) expects the attribute may be missing',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(3, 3)
              def forward(self, x):
                  if hasattr(self, 'proj'):
                      x = self.proj(x)
                  return self.fc(x)`,
      },
      {
        name: 'layers set with setattr under computed names',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self, n=3):
                  super().__init__()
                  for i in range(n):
                      setattr(self, f'layer{i}', nn.Linear(4, 4))
              def forward(self, x):
                  return self.layer2(self.layer1(self.layer0(x)))`,
      },
      {
        name: 'attributes set from keyword arguments through vars(self)',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self, **config):
                  super().__init__()
                  vars(self).update(config)
              def forward(self, x):
                  return x * self.scale`,
      },
      {
        name: 'a base class from another file may provide anything',
        code: py`
          import torch.nn as nn
          from timm.layers import SomeMixin
          class Net(nn.Module, SomeMixin):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(4, 4)
              def forward(self, x):
                  return self.norm(self.fc(x))`,
      },
      {
        name: 'a LightningModule uses what Lightning provides',
        code: py`
          import pytorch_lightning as pl
          import torch.nn as nn
          class Lit(pl.LightningModule):
              def __init__(self):
                  super().__init__()
                  self.net = nn.Linear(4, 2)
              def forward(self, x):
                  self.log("calls", 1.0)
                  return self.net(x.to(self.device))`,
      },
      {
        name: 'self.x in a docstring or a comment of forward() is not a use',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(4, 4)
              def forward(self, x):
                  """Applies self.proj when configured."""
                  # self.norm used to be here
                  return self.fc(x)`,
      },
      {
        name: 'a helper named _init called by __init__ is not a misspelling',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self._init()
              def _init(self):
                  self.fc = nn.Linear(4, 4)
              def forward(self, x):
                  return self.fc(x)`,
      },
      {
        name: 'a plain class with a forward method is not a module',
        code: py`
          class Pipeline:
              def forward(self, x):
                  return self.model(x)`,
      },
    ],
  });
});
