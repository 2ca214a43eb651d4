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
      {
        name: 'unknown widths, when the option asks for them',
        code: py`
          from keras import layers
          def projection_head(inputs, hidden, bottleneck):
              x = layers.Dense(bottleneck)(inputs)
              x = layers.BatchNormalization()(x)
              return layers.Dense(hidden, activation='relu')(x)
          inputs = keras.Input(shape=(config['features'],))
          model = keras.Model(inputs, projection_head(inputs, config['hidden'], config['bottleneck']))`,
        lines: [3],
        config: 'rules:\n  missing-activation: { check_unknown_widths: true }\n',
      },
      {
        name: 'a linear model written with two Dense layers: the message says one layer is the same model',
        code: py`
          model = Sequential()
          model.add(Dense(8, input_dim=1))
          model.add(Dense(1))
          model.compile(optimizer='adam', loss='mse')`,
        lines: [2],
        severity: 'warning',
        message: /Nothing in this network is nonlinear, so it is a linear model: if that is the intent, one layer computes the same function/,
      },
      {
        name: 'a plain 3×3 convolution (groups=1) followed by a 1×1 one, with the channel count kept',
        code: py`
          from keras import layers
          inputs = keras.Input(shape=(28, 28, 64))
          x = layers.Conv2D(64, 3, padding='same', groups=1)(inputs)
          x = layers.Conv2D(128, 1, activation='relu')(x)
          model = keras.Model(inputs, x)`,
        lines: [3],
        message: /only pay as a factorisation/,
      },
    ],
    valid: [
      { name: 'an input convolution on a prediction map of unknown width (a refinement module after a loaded model\'s head), then conv-BN-ReLU', code: py`
          from tensorflow import keras
          from tensorflow.keras import layers
          coarse = keras.models.load_model('coarse.keras')
          x = layers.Conv2D(16, 3, padding='same', activation='relu')(coarse.output)
          x = layers.Conv2D(1, 1, activation='sigmoid')(x)
          x = layers.Conv2D(64, 3, padding='same')(x)
          x = layers.Conv2D(64, 3, padding='same')(x)
          x = layers.BatchNormalization()(x)
          x = layers.Activation('relu')(x)
          refiner = keras.Model(coarse.input, layers.Conv2D(1, 3, padding='same', activation='sigmoid')(x))` },
      { name: 'spatial-reduction attention: a patchify convolution, LayerNorm, then the key/value projection', code: py`
          import torch.nn as nn

          class ReducedAttention(nn.Module):
              def __init__(self, dim=64, ratio=4):
                  super().__init__()
                  self.q = nn.Linear(dim, dim)
                  self.reduce = nn.Conv2d(dim, dim, kernel_size=ratio, stride=ratio)
                  self.norm = nn.LayerNorm(dim)
                  self.kv = nn.Linear(dim, 2 * dim)

              def forward(self, x, h=32, w=32):
                  b, n, c = x.shape
                  q = self.q(x)
                  x = x.transpose(1, 2).reshape(b, c, h, w)
                  x = self.reduce(x).flatten(2).transpose(1, 2)
                  kv = self.kv(self.norm(x))
                  return q, kv` },
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
      { name: 'a ConvNeXt block: depthwise 7×7 (groups=dim), LayerNorm, Dense(4 * dim), with dim unknown', code: py`
          from keras import layers
          def convnext_block(inputs, dim):
              x = layers.Conv2D(dim, kernel_size=7, padding='same', groups=dim)(inputs)
              x = layers.LayerNormalization(epsilon=1e-6)(x)
              x = layers.Dense(4 * dim)(x)
              x = layers.Activation('gelu')(x)
              return inputs + layers.Dense(dim)(x)
          inputs = keras.Input(shape=(None, None, width))
          model = keras.Model(inputs, convnext_block(inputs, width))` },
      { name: 'the same block with dim known', code: py`
          from keras import layers
          inputs = keras.Input(shape=(56, 56, 96))
          x = layers.Conv2D(96, kernel_size=7, padding='same', groups=96)(inputs)
          x = layers.LayerNormalization(epsilon=1e-6)(x)
          x = layers.Dense(384, activation='gelu')(x)
          model = keras.Model(inputs, layers.Dense(96)(x))` },
      { name: 'a grouped convolution followed by a 1×1 one (a factorised convolution)', code: py`
          from keras import layers
          inputs = keras.Input(shape=(28, 28, 64))
          x = layers.Conv2D(64, 3, padding='same', groups=4)(inputs)
          x = layers.Conv2D(128, 1, activation='relu')(x)
          model = keras.Model(inputs, x)` },
      { name: 'a 1×5 then 5×1 convolution (a factorised 5×5)', code: py`
          from keras import layers
          inputs = keras.Input(shape=(28, 28, 64))
          x = layers.Conv2D(64, (1, 5), padding='same')(inputs)
          x = layers.Conv2D(64, (5, 1), padding='same', activation='relu')(x)
          model = keras.Model(inputs, x)` },
      { name: 'a narrow layer between layers whose widths are unknown may be a bottleneck', code: py`
          from keras import layers
          def projection_head(inputs, hidden, bottleneck):
              x = layers.Dense(bottleneck)(inputs)
              x = layers.BatchNormalization()(x)
              return layers.Dense(hidden, activation='relu')(x)
          inputs = keras.Input(shape=(config['features'],))
          model = keras.Model(inputs, projection_head(inputs, config['hidden'], config['bottleneck']))` },
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
      { name: 'a plain convolution (groups=1) with its channel counts known, then a 1×1 one', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.Conv2d(64, 128, 1), nn.ReLU())`, lines: [2] },
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
      { name: 'a depthwise convolution whose channel count is a parameter, then a pointwise one', code: py`
          import torch.nn as nn
          class SeparableConv(nn.Module):
              def __init__(self, in_chs, out_chs, kernel_size=3):
                  super().__init__()
                  self.conv_dw = nn.Conv2d(in_chs, in_chs, kernel_size, padding=kernel_size // 2, groups=in_chs, bias=False)
                  self.bn = nn.BatchNorm2d(in_chs)
                  self.conv_pw = nn.Conv2d(in_chs, out_chs, 1)
              def forward(self, x):
                  return self.conv_pw(self.bn(self.conv_dw(x)))` },
      { name: 'a 1×1 projection before a depthwise transposed convolution that upsamples', code: py`
          import torch.nn as nn
          class Upsampler(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.proj = nn.Conv2d(128, 64, 1)
                  self.up = nn.ConvTranspose2d(64, 64, 4, stride=2, padding=1, groups=64)
              def forward(self, x):
                  return self.up(self.proj(x))` },
      { name: 'a linear embedding of unknown width before a wider layer', code: py`
          import torch.nn as nn
          class Tower(nn.Module):
              def __init__(self, in_dim, embed_dim, hidden=512):
                  super().__init__()
                  self.embed = nn.Linear(in_dim, embed_dim)
                  self.fc = nn.Linear(embed_dim, hidden)
              def forward(self, x):
                  return torch.relu(self.fc(self.embed(x)))` },
    ],
  });
});
