import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('target-shape-mismatch', () => {
  ruleTester('target-shape-mismatch', {
    invalid: [
      {
        name: 'Keras: one target value per sample for a 4-unit regression output',
        code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(16, activation='relu', input_shape=(3,)), Dense(4)])
          model.compile(optimizer='adam', loss='mse')
          model.fit(np.random.random((50, 3)), np.random.random(50))`,
        lines: [4],
        message: /shape \(50,\), but this output is \(None, 4\).*Error when checking target: expected … to have shape \(4,\) but got array with shape \(1,\)/,
      },
      {
        name: 'Keras functional: one-hot over 5 classes for a 3-unit softmax',
        code: py`
          import numpy as np
          from tensorflow import keras
          inputs = keras.Input(shape=(8,))
          hidden = keras.layers.Dense(32, activation='relu')(inputs)
          outputs = keras.layers.Dense(3, activation='softmax')(hidden)
          model = keras.Model(inputs, outputs)
          model.compile(optimizer='adam', loss='categorical_crossentropy')
          y = np.eye(5)[np.random.randint(0, 5, 40)]
          model.fit(np.zeros((40, 8)), y)`,
        lines: [5],
        message: /Shapes \(None, 5\) and \(None, 3\) are incompatible.*give this layer 5 units/,
      },
      {
        name: 'Keras: labels up to 9 for a 5-class sparse output',
        code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(5, activation='softmax', input_shape=(4,))])
          model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
          model.fit(np.zeros((100, 4)), np.random.randint(0, 10, 100))`,
        lines: [4],
        message: /Received a label value of 9 which is outside the valid range of \[0, 5\)/,
      },
      {
        name: 'PyTorch: BCEWithLogitsLoss on an (N, 1) output with (N,) targets',
        code: py`
          import torch
          import torch.nn as nn
          net = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 1))
          criterion = nn.BCEWithLogitsLoss()
          x = torch.randn(32, 6)
          y = torch.rand(32)
          loss = criterion(net(x), y)`,
        lines: [3],
        message: /Target size \(torch\.Size\(\[32\]\)\) must be the same as input size \(torch\.Size\(\[32, 1\]\)\)/,
      },
      {
        name: 'PyTorch: MSELoss on shapes that do not broadcast',
        code: py`
          import torch
          import torch.nn as nn
          net = nn.Sequential(nn.Linear(6, 5))
          loss = nn.MSELoss()(net(torch.randn(8, 6)), torch.randn(8))`,
        lines: [3],
        message: /do not broadcast/,
      },
    ],
    valid: [
      { name: 'Keras: (n,) targets for a single regression unit', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(16, activation='relu', input_shape=(3,)), Dense(1)])
          model.compile(optimizer='adam', loss='mse')
          model.fit(np.random.random((50, 3)), np.random.random(50))` },
      { name: 'Keras: CIFAR-10 labels (n, 1) with a sparse loss over 10 units', code: py`
          from tensorflow import keras
          (x, y), _ = keras.datasets.cifar10.load_data()
          model = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
          model.fit(x, y)` },
      { name: 'Keras: (n, 64, 64) masks for a (None, 64, 64, 1) sigmoid output', code: py`
          import numpy as np
          from tensorflow import keras
          model = keras.Sequential([keras.Input(shape=(64, 64, 3)), keras.layers.Conv2D(8, 3, padding='same', activation='relu'), keras.layers.Conv2D(1, 1, activation='sigmoid')])
          model.compile(optimizer='adam', loss='binary_crossentropy')
          model.fit(np.zeros((20, 64, 64, 3)), np.random.randint(0, 2, (20, 64, 64)))` },
      { name: 'Keras: an autoencoder fitted on its inputs', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          x = np.random.random((200, 784))
          model = Sequential([Dense(32, activation='relu', input_shape=(784,)), Dense(784, activation='sigmoid')])
          model.compile(optimizer='adam', loss='binary_crossentropy')
          model.fit(x, x)` },
      { name: 'Keras: targets loaded from a file', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(4, input_shape=(3,))])
          model.compile(optimizer='adam', loss='mse')
          model.fit(np.zeros((10, 3)), np.load('targets.npy'))` },
      { name: 'Keras: a custom loss function decides what it accepts', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          def my_loss(y_true, y_pred):
              return y_pred
          model = Sequential([Dense(4, input_shape=(3,))])
          model.compile(optimizer='adam', loss=my_loss)
          model.fit(np.zeros((10, 3)), np.zeros(10))` },
      { name: 'Keras: a two-output model fitted with a list of targets', code: py`
          import numpy as np
          from tensorflow import keras
          inputs = keras.Input(shape=(4,))
          a = keras.layers.Dense(1)(inputs)
          b = keras.layers.Dense(3, activation='softmax')(inputs)
          model = keras.Model(inputs, [a, b])
          model.compile(optimizer='adam', loss=['mse', 'categorical_crossentropy'])
          model.fit(np.zeros((10, 4)), [np.zeros(10), np.zeros(10)])` },
      { name: 'PyTorch: BCE on the squeezed output', code: py`
          import torch
          import torch.nn as nn
          net = nn.Sequential(nn.Linear(6, 1), nn.Sigmoid())
          loss = nn.BCELoss()(net(torch.randn(32, 6)).squeeze(1), torch.rand(32))` },
      { name: 'PyTorch: class ids for CrossEntropyLoss within the classes scored', code: py`
          import torch
          import torch.nn as nn
          net = nn.Sequential(nn.Linear(6, 3))
          loss = nn.CrossEntropyLoss()(net(torch.randn(32, 6)), torch.randint(0, 3, (32,)))` },
    ],
  });
});
