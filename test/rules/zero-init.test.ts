import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('zero-init', () => {
  ruleTester('zero-init', {
    invalid: [
      {
        name: 'keras.initializers.zeros() on a hidden Dense',
        code: py`
          model = Sequential()
          model.add(Dense(128, kernel_initializer=keras.initializers.zeros()))
          model.add(Dense(1))`,
        lines: [2],
        message: /every weight equal/,
      },
      {
        name: "the string 'zeros' on a convolution",
        code: py`
          from keras import layers
          model = keras.Sequential([
              layers.Conv2D(32, 3, activation="relu", kernel_initializer="zeros"),
              layers.Flatten(),
              layers.Dense(10, activation="softmax"),
          ])`,
        lines: [3],
        fix: '"he_normal"',
      },
      {
        name: 'initializers.Constant(0.1) in the functional API',
        code: py`
          from tensorflow.keras import layers, initializers
          inputs = keras.Input(shape=(8,))
          x = layers.Dense(16, kernel_initializer=initializers.Constant(0.1))(inputs)
          outputs = layers.Dense(1)(x)
          model = keras.Model(inputs, outputs)`,
        lines: [3],
        message: /constant.*0\.1/,
      },
      {
        name: "'ones' through a tf.keras alias",
        code: py`
          import tensorflow as tf
          model = tf.keras.Sequential([tf.keras.layers.Dense(8, kernel_initializer='ones'), tf.keras.layers.Dense(2)])`,
        lines: [2],
      },
    ],
    valid: [
      { name: 'zero bias with a random kernel', code: py`
          model = Sequential()
          model.add(Dense(64, activation='relu', bias_initializer='zeros'))
          model.add(Dense(1))` },
      { name: 'zero-initialised final projection', code: py`
          model = Sequential()
          model.add(Dense(64, activation='relu'))
          model.add(Dense(1, kernel_initializer='zeros'))` },
      { name: 'he_normal', code: py`
          model = Sequential()
          model.add(Dense(64, activation='relu', kernel_initializer='he_normal'))
          model.add(Dense(1))` },
    ],
  });
});

describe('zero-init (PyTorch)', () => {
  ruleTester('zero-init', {
    invalid: [
      { name: 'nn.init.zeros_ on a hidden Linear, at the init call', code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc1 = nn.Linear(10, 32)
                  self.fc2 = nn.Linear(32, 1)
                  nn.init.zeros_(self.fc1.weight)
              def forward(self, x):
                  return self.fc2(torch.relu(self.fc1(x)))`, lines: [7], message: /kaiming_normal_/ },
      { name: 'nn.init.constant_ on an indexed nn.Sequential', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
          nn.init.constant_(model[0].weight, 0.5)`, lines: [3], message: /constant.*0\.5/ },
    ],
    valid: [
      { name: 'zero bias', code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc1 = nn.Linear(10, 32)
                  self.fc2 = nn.Linear(32, 1)
                  nn.init.zeros_(self.fc1.bias)
              def forward(self, x):
                  return self.fc2(torch.relu(self.fc1(x)))` },
    ],
  });
});
