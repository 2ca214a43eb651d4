import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('missing-activation', () => {
  ruleTester('missing-activation', {
    invalid: [
      {
        name: 'Dense → Dropout → Dense without activation',
        code: py`
          model = Sequential()
          model.add(Dense(64))
          model.add(Dropout(0.5))
          model.add(Dense(10, activation='softmax'))`,
        lines: [2],
        message: /Dense\(64\) feeds Dense\(10\) at line 4/,
        fix: ", activation='relu'",
      },
      {
        name: 'a convolution followed by a 1×1 convolution',
        code: py`
          from keras import layers
          inputs = keras.Input(shape=(32, 32, 3))
          x = layers.Conv2D(64, 3)(inputs)
          x = layers.Conv2D(16, 1, activation="relu")(x)
          model = keras.Model(inputs, x)`,
        lines: [3],
        message: /1×1 convolution/,
      },
      {
        name: 'activation=None written out, through BatchNormalization and pooling',
        code: py`
          model = Sequential([
              Conv2D(32, 3, activation=None, input_shape=(28, 28, 1)),
              BatchNormalization(),
              MaxPooling2D(),
              Conv2D(64, 3, activation='relu'),
          ])`,
        lines: [2],
      },
      {
        name: "Activation('linear') is no activation",
        code: py`
          model = Sequential()
          model.add(Dense(64, input_dim=20))
          model.add(Activation('linear'))
          model.add(Dense(8, activation='relu'))`,
        lines: [2],
      },
    ],
    valid: [
      { name: 'the output layer itself has no activation (logits, regression)', code: py`
          model = Sequential()
          model.add(Dense(64, activation='relu'))
          model.add(Dense(1))` },
      { name: 'conv without activation, batch norm, then ReLU', code: py`
          model = Sequential()
          model.add(Conv2D(32, 3, use_bias=False))
          model.add(BatchNormalization())
          model.add(Activation('relu'))
          model.add(Conv2D(32, 3))` },
      { name: 'a residual add between the layers', code: py`
          from keras import layers
          inputs = keras.Input(shape=(16,))
          x = layers.Dense(16)(inputs)
          x = layers.add([x, inputs])
          x = layers.Dense(4)(x)
          model = keras.Model(inputs, x)` },
      { name: 'depthwise then pointwise (a separable convolution)', code: py`
          model = Sequential()
          model.add(DepthwiseConv2D(3, padding='same'))
          model.add(Conv2D(64, 1, activation='relu'))` },
      { name: 'the linear bottleneck of MobileNetV2', code: py`
          from keras import layers
          inputs = keras.Input(shape=(32, 32, 24))
          x = layers.Conv2D(16, 1, use_bias=False)(inputs)
          x = layers.BatchNormalization()(x)
          x = layers.Conv2D(96, 1, use_bias=False)(x)
          x = layers.BatchNormalization()(x)
          x = layers.ReLU(6.0)(x)
          model = keras.Model(inputs, x)` },
      { name: 'project and reshape in a generator', code: py`
          model = Sequential([
              Dense(7 * 7 * 64, input_shape=(100,)),
              Reshape((7, 7, 64)),
              Conv2DTranspose(32, 3, strides=2, padding='same', activation='relu'),
          ])` },
      { name: "an autoencoder's linear code", code: py`
          model = Sequential([
              Dense(128, activation='relu', input_shape=(784,)),
              Dense(2),
              Dense(128, activation='relu'),
              Dense(784, activation='sigmoid'),
          ])` },
      { name: 'an activation whose value footgun cannot know', code: py`
          def build(act):
              model = Sequential()
              model.add(Dense(64, activation=act))
              model.add(Dense(1))
              return model` },
    ],
  });
});

describe('missing-activation (PyTorch)', () => {
  ruleTester('missing-activation', {
    invalid: [
      { name: 'Linear → Linear in nn.Sequential', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(784, 256), nn.Dropout(0.2), nn.Linear(256, 10))`, lines: [2], message: /nn.ReLU\(\)/ },
      { name: 'nested calls in forward', code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc1 = nn.Linear(20, 64)
                  self.fc2 = nn.Linear(64, 2)
              def forward(self, x):
                  return self.fc2(self.fc1(x))`, lines: [8] },
    ],
    valid: [
      { name: 'F.relu between', code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc1 = nn.Linear(20, 64)
                  self.fc2 = nn.Linear(64, 2)
              def forward(self, x):
                  return self.fc2(F.relu(self.fc1(x)))` },
      { name: 'conv, batch norm, ReLU', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 16, 3, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True), nn.Conv2d(16, 16, 3))` },
    ],
  });
});
