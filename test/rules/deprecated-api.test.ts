import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

// The deprecations as torch 1.13 states them (torch/nn/init.py `_make_deprecate`, the warnings in
// torch/nn/functional.py, torch/nn/utils/clip_grad.py and torch/nn/_reduction.py) and PyTorch's
// current documentation keeps them, and as Keras 3 rejects `lr`, `nb_epoch` and `fit_generator`
// (keras/src/optimizers/base_optimizer.py).
describe('deprecated-api', () => {
  ruleTester('deprecated-api', {
    invalid: [
      {
        name: 'Variable from torch.autograd',
        code: py`
          import torch
          from torch.autograd import Variable
          x = Variable(torch.randn(4, 3))
          y = torch.autograd.Variable(torch.zeros(2), requires_grad=True)`,
        lines: [3, 4],
        message: /Variable is deprecated since PyTorch 0.4/,
        severity: 'info',
        fix: 'torch.randn(4, 3)',
      },
      {
        name: 'nn.init functions without the trailing underscore',
        code: py`
          import torch.nn as nn
          layer = nn.Linear(4, 4)
          nn.init.xavier_uniform(layer.weight)
          nn.init.constant(layer.bias, 0)
          nn.init.xavier_uniform_(layer.weight)`,
        lines: [3, 4],
        message: /nn.init.(xavier_uniform|constant) is deprecated since PyTorch 0.4 in favour of nn.init.\1_/,
        fix: 'xavier_uniform_',
      },
      {
        name: 'F.upsample and clip_grad_norm',
        code: py`
          import torch
          import torch.nn.functional as F
          y = F.upsample(x, scale_factor=2, mode='nearest')
          torch.nn.utils.clip_grad_norm(model.parameters(), 1.0)`,
        lines: [3, 4],
        fix: 'interpolate',
      },
      {
        name: 'size_average=False on a loss module means reduction=sum',
        code: py`
          import torch.nn as nn
          criterion = nn.CrossEntropyLoss(size_average=False)`,
        lines: [2],
        message: /reduction='sum'/,
        fix: "reduction='sum'",
      },
      {
        name: 'reduce=False on a functional loss means reduction=none; both keywords make one finding',
        code: py`
          import torch.nn.functional as F
          loss = F.binary_cross_entropy(p, y, reduce=False)
          other = F.mse_loss(a, b, size_average=True, reduce=True)`,
        lines: [2, 3],
        message: /reduction='(none|mean)'/,
        fix: "reduction='none'",
      },
      {
        name: 'Keras nb_epoch=',
        code: py`
          from keras.models import Sequential
          model = Sequential()
          model.fit(x_train, y_train, batch_size=32, nb_epoch=10)`,
        lines: [3],
        fix: 'epochs',
      },
      {
        name: 'Keras optimizers with lr= and decay=',
        code: py`
          import tensorflow as tf
          from keras.optimizers import SGD
          opt = tf.keras.optimizers.Adam(lr=0.001)
          sgd = SGD(learning_rate=0.01, decay=1e-6, momentum=0.9)`,
        lines: [3, 4],
        message: /learning_rate|schedule/,
      },
      {
        name: 'Keras fit_generator',
        code: py`
          import keras
          model.fit_generator(train_gen, steps_per_epoch=100, epochs=5)`,
        lines: [2],
        fix: 'fit',
      },
    ],
    valid: [
      {
        name: 'the current spellings',
        code: py`
          import torch
          import torch.nn as nn
          import torch.nn.functional as F
          x = torch.randn(4, 3, requires_grad=True)
          y = torch.sigmoid(x) + torch.tanh(x) + F.relu(x)
          # warned in PyTorch 0.4.1 to 1.13, plain aliases again since 2.0 (pytorch/pytorch#65909)
          z = F.sigmoid(x) * F.tanh(x)
          nn.init.kaiming_normal_(layer.weight, nonlinearity='relu')
          nn.init.zeros_(layer.bias)
          criterion = nn.CrossEntropyLoss(reduction='sum')
          z = F.interpolate(x, scale_factor=2)
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)`,
      },
      {
        name: 'lr= is the current name in PyTorch optimizers',
        code: py`
          import torch.optim as optim
          from torch.optim import SGD
          opt = optim.Adam(model.parameters(), lr=1e-3)
          sgd = SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)`,
      },
      {
        name: 'names of the program that look deprecated',
        code: py`
          import numpy as np
          from torch import nn
          class Net(nn.Module):
              def sigmoid(self, x):
                  return 1 / (1 + np.exp(-x))
              def forward(self, x):
                  return self.sigmoid(self.upsample(x))
          w = np.random.normal(0, 1, size=3)
          total = functools.reduce(lambda a, b: a + b, [1, 2])
          m = x.scatter(0, idx, src, reduce='add')
          Variable = object
          v = Variable()`,
      },
      {
        name: 'Keras spellings that are current, and a legacy optimizer with decay',
        code: py`
          import keras
          import tensorflow as tf
          model.fit(x, y, epochs=10)
          opt = keras.optimizers.Adam(learning_rate=1e-3)
          old = tf.keras.optimizers.legacy.SGD(learning_rate=0.1, decay=1e-6)`,
      },
      {
        name: 'fit_generator of a program that does not use Keras',
        code: py`
          class Trainer:
              def fit_generator(self, gen):
                  pass
          Trainer().fit_generator(iter([]))`,
      },
    ],
  });
});
