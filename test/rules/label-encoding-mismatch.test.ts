import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('label-encoding-mismatch', () => {
  ruleTester('label-encoding-mismatch', {
    invalid: [
      {
        name: 'Keras: integer class ids with categorical_crossentropy',
        code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(3, activation='softmax', input_shape=(4,))])
          model.compile(optimizer='adam', loss='categorical_crossentropy')
          model.fit(np.zeros((30, 4)), np.random.randint(0, 3, 30))`,
        lines: [5],
        message: /integer class ids of shape \(30,\).*Shapes \(None, 1\) and \(None, 3\) are incompatible/,
        fix: "'sparse_categorical_crossentropy'",
      },
      {
        name: 'Keras: one-hot rows with sparse_categorical_crossentropy',
        code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          from keras.utils import to_categorical
          model = Sequential([Dense(3, activation='softmax', input_shape=(4,))])
          model.compile(optimizer='adam', loss="sparse_categorical_crossentropy")
          model.fit(np.zeros((30, 4)), to_categorical(np.random.randint(0, 3, 30), 3))`,
        lines: [6],
        message: /Can not squeeze dim\[1\], expected a dimension of 1, got 3/,
        fix: '"categorical_crossentropy"',
      },
      {
        name: 'Keras: a loss object, and labels from mnist.load_data()',
        code: py`
          from tensorflow import keras
          (x, y), _ = keras.datasets.mnist.load_data()
          model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)), keras.layers.Dense(10)])
          model.compile(optimizer='adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))
          model.fit(x, y)`,
        lines: [4],
      },
      {
        name: 'PyTorch: float class ids for CrossEntropyLoss',
        code: py`
          import torch
          import torch.nn as nn
          criterion = nn.CrossEntropyLoss()
          net = nn.Sequential(nn.Linear(4, 3))
          loss = criterion(net(torch.randn(16, 4)), torch.rand(16))`,
        lines: [3],
        message: /expected scalar type Long but found Float/,
      },
      {
        name: 'PyTorch: (N, 1) integer targets for NLLLoss',
        code: py`
          import torch
          import torch.nn as nn
          import torch.nn.functional as F
          net = nn.Sequential(nn.Linear(4, 3), nn.LogSoftmax(dim=1))
          loss = F.nll_loss(net(torch.randn(16, 4)), torch.randint(0, 3, (16, 1)))`,
        lines: [5],
        message: /0D or 1D target tensor expected, multi-target not supported/,
      },
      {
        name: 'PyTorch: integer targets for MSELoss',
        code: py`
          import torch
          import torch.nn as nn
          criterion = nn.MSELoss()
          net = nn.Sequential(nn.Linear(4, 1))
          loss = criterion(net(torch.randn(16, 4)), torch.randint(0, 10, (16, 1)))`,
        lines: [3],
        message: /Found dtype Long but expected Float/,
      },
    ],
    valid: [
      { name: 'Keras: class ids with a sparse loss, as (n,) or (n, 1)', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(3, activation='softmax', input_shape=(4,))])
          model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
          model.fit(np.zeros((30, 4)), np.random.randint(0, 3, 30))
          model.fit(np.zeros((30, 4)), np.random.randint(0, 3, (30, 1)))` },
      { name: 'Keras: one-hot labels with categorical_crossentropy', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          from keras.utils import to_categorical
          model = Sequential([Dense(3, activation='softmax', input_shape=(4,))])
          model.compile(optimizer='adam', loss='categorical_crossentropy')
          model.fit(np.zeros((30, 4)), to_categorical(np.random.randint(0, 3, 30)))` },
      { name: 'Keras: 0/1 integer labels with binary_crossentropy (Keras casts them)', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(1, activation='sigmoid', input_shape=(4,))])
          model.compile(optimizer='adam', loss='binary_crossentropy')
          model.fit(np.zeros((30, 4)), np.random.randint(0, 2, 30))` },
      { name: 'PyTorch: soft labels of the output\'s width for CrossEntropyLoss', code: py`
          import torch
          import torch.nn as nn
          net = nn.Sequential(nn.Linear(4, 3))
          loss = nn.CrossEntropyLoss()(net(torch.randn(16, 4)), torch.softmax(torch.randn(16, 3), dim=1))` },
      { name: 'PyTorch: integer targets converted with .float() for MSELoss', code: py`
          import torch
          import torch.nn as nn
          net = nn.Sequential(nn.Linear(4, 1))
          loss = nn.MSELoss()(net(torch.randn(16, 4)), torch.randint(0, 10, (16, 1)).float())` },
    ],
  });
});
