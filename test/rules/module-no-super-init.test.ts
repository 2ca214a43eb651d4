import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

// The PyTorch messages are those of torch 1.13's nn.Module.__setattr__ and __getattr__.
describe('module-no-super-init', () => {
  ruleTester('module-no-super-init', {
    invalid: [
      {
        name: 'a submodule assigned before super().__init__()',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  self.fc = nn.Linear(784, 10)
                  super().__init__()
              def forward(self, x):
                  return self.fc(x)`,
        lines: [4],
        message: /super\(\).__init__\(\) only runs at line 5.*cannot assign module before Module.__init__\(\) call/,
      },
      {
        name: 'a parameter assigned before super(Net, self).__init__()',
        code: py`
          import torch
          from torch import nn
          class Scale(nn.Module):
              def __init__(self, n):
                  self.n = n
                  self.weight = nn.Parameter(torch.ones(n))
                  super(Scale, self).__init__()`,
        lines: [6],
        message: /cannot assign parameters before Module.__init__\(\) call/,
      },
      {
        name: 'submodules assigned and super().__init__() never called: the first assignment fails',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  self.conv = nn.Conv2d(3, 8, 3)
                  self.fc = nn.Linear(8, 10)`,
        lines: [4],
        message: /Net.__init__ never calls super\(\).__init__\(\)/,
      },
      {
        name: 'plain attributes only, super().__init__() never called',
        code: py`
          from torch.nn import Module
          class Identity(Module):
              def __init__(self, scale):
                  self.scale = scale
              def forward(self, x):
                  return x * self.scale`,
        lines: [3],
        message: /never calls super\(\).__init__\(\).*'Identity' object has no attribute '_parameters'/,
      },
      {
        name: 'a block class of the file assigned before super().__init__()',
        code: py`
          import torch.nn as nn
          class Block(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.conv = nn.Conv2d(8, 8, 3, padding=1)
          class Net(Block):
              def __init__(self):
                  self.head = Block()
                  Block.__init__(self)`,
        lines: [8],
      },
      {
        name: 'a LightningModule',
        code: py`
          import pytorch_lightning as pl
          import torch.nn as nn
          class Classifier(pl.LightningModule):
              def __init__(self):
                  self.model = nn.Sequential(nn.Linear(4, 2))
                  super().__init__()`,
        lines: [5],
      },
      {
        name: 'a Keras layer that never calls super().__init__()',
        code: py`
          import keras
          class Linear(keras.layers.Layer):
              def __init__(self, units=32):
                  self.units = units
              def build(self, input_shape):
                  self.w = self.add_weight(shape=(input_shape[-1], self.units))
              def call(self, inputs):
                  return inputs @ self.w`,
        lines: [3],
        message: /forgot to call super\(\).__init__\(\)/,
      },
      {
        name: 'a tf.keras Model that never calls super().__init__()',
        code: py`
          import tensorflow as tf
          class MyModel(tf.keras.Model):
              def __init__(self):
                  self.dense = tf.keras.layers.Dense(10)
              def call(self, x):
                  return self.dense(x)`,
        lines: [3],
        message: /keras.Model.__init__/,
      },
    ],
    valid: [
      {
        name: 'super(Net, self).__init__() first',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super(Net, self).__init__()
                  self.fc = nn.Linear(784, 10)`,
      },
      {
        name: 'nn.Module.__init__(self) first',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  nn.Module.__init__(self)
                  self.fc = nn.Linear(784, 10)`,
      },
      {
        name: 'plain values before super().__init__() (PyTorch accepts them)',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self, hidden, layers=2):
                  self.hidden = hidden
                  self.layers = layers
                  super().__init__()
                  self.fc = nn.Linear(hidden, 10)`,
      },
      {
        name: 'an argument assigned before super().__init__(): it may be anything',
        code: py`
          import torch.nn as nn
          class Wrapper(nn.Module):
              def __init__(self, inner):
                  self.inner = inner
                  super().__init__()`,
      },
      {
        name: 'super().__init__() in both branches of an if',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self, name=None):
                  if name:
                      super().__init__()
                  else:
                      super().__init__()
                  self.fc = nn.Linear(4, 2)`,
      },
      {
        name: 'super().__init__() called through a method of the class',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def _setup(self):
                  super().__init__()
              def __init__(self):
                  self._setup()
                  self.fc = nn.Linear(4, 2)`,
      },
      {
        name: 'a Keras 3 functional subclass builds its layers before super().__init__(inputs, outputs)',
        code: py`
          import keras
          class Backbone(keras.Model):
              def __init__(self, dim):
                  self.dense = keras.layers.Dense(dim)
                  inputs = keras.Input((dim,))
                  outputs = self.dense(inputs)
                  super().__init__(inputs=inputs, outputs=outputs)`,
      },
      {
        name: 'a base class from another file (its __init__ may do anything)',
        code: py`
          import torch.nn as nn
          from .base import BaseModel
          class Net(BaseModel):
              def __init__(self):
                  self.fc = nn.Linear(4, 2)`,
      },
      {
        name: 'a plain class that holds a module',
        code: py`
          import torch.nn as nn
          class Trainer:
              def __init__(self):
                  self.model = nn.Linear(4, 2)`,
      },
      { name: 'no __init__ at all', code: py`
          import torch.nn as nn
          class Flatten(nn.Module):
              def forward(self, x):
                  return x.view(x.size(0), -1)` },
      { name: 'an abstract __init__ stub', code: py`
          import torch.nn as nn
          class Base(nn.Module):
              def __init__(self, *args, **kwargs):
                  """Subclasses build the layers."""
                  raise NotImplementedError` },
      {
        name: 'an assignment in a comment or a docstring is not code',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  """self.fc = nn.Linear(4, 2) is assigned below."""
                  # self.fc = nn.Linear(4, 2)
                  super().__init__()
                  self.fc = nn.Linear(4, 2)`,
      },
    ],
  });
});
