// Output shapes and parameter counts, worked out with Keras' own formulas.
import { describe, expect, it } from 'vitest';
import type { LayerSummary } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import { analyze, configFrom, findingsOf, py, readFixture } from './helpers.js';

function layers(code: string): LayerSummary[] {
  const result = analyze(code);
  expect(result.models).toHaveLength(1);
  return result.models[0]!.layers;
}

function shapes(code: string) {
  return layers(code).map((l) => [l.type, l.output, l.params]);
}

describe('convolutions', () => {
  it('valid and same padding, strides, dilation', () => {
    expect(shapes(py`
      model = Sequential([
          InputLayer((32, 32, 3)),
          Conv2D(16, 3),
          Conv2D(16, 3, padding='same', strides=2),
          Conv2D(8, (3, 5), dilation_rate=2),
          Conv2D(4, 3, strides=2, use_bias=False),
      ])`)).toEqual([
      ['Conv2D', [null, 30, 30, 16], 448],
      ['Conv2D', [null, 15, 15, 16], 2320],
      ['Conv2D', [null, 11, 7, 8], 3 * 5 * 16 * 8 + 8],
      ['Conv2D', [null, 5, 3, 4], 288],
    ]);
  });
  it('channels_first', () => {
    expect(shapes(py`model = Sequential([InputLayer((3, 32, 32)), Conv2D(16, 3, data_format='channels_first')])`)).toEqual([
      ['Conv2D', [null, 16, 30, 30], 448],
    ]);
  });
  it('Conv1D with causal padding, SeparableConv2D, DepthwiseConv2D, grouped convolution', () => {
    expect(shapes(py`model = Sequential([InputLayer((100, 8)), Conv1D(16, 5, padding='causal'), Conv1D(16, 5, strides=2)])`)).toEqual([
      ['Conv1D', [null, 100, 16], 656],
      ['Conv1D', [null, 48, 16], 1296],
    ]);
    expect(shapes(py`model = Sequential([InputLayer((32, 32, 16)), SeparableConv2D(32, 3), DepthwiseConv2D(3, depth_multiplier=2), Conv2D(64, 3, groups=4)])`)).toEqual([
      ['SeparableConv2D', [null, 30, 30, 32], 3*3*16 + 16*32 + 32],
      ['DepthwiseConv2D', [null, 28, 28, 64], 3*3*32*2 + 64],
      ['Conv2D', [null, 26, 26, 64], 3*3*16*64 + 64],
    ]);
  });
  it('Conv2DTranspose with valid and same padding', () => {
    expect(shapes(py`model = Sequential([InputLayer((7, 7, 64)), Conv2DTranspose(32, 3, strides=2, padding='same'), Conv2DTranspose(16, 3, strides=2)])`)).toEqual([
      ['Conv2DTranspose', [null, 14, 14, 32], 3*3*64*32 + 32],
      ['Conv2DTranspose', [null, 29, 29, 16], 3*3*32*16 + 16],
    ]);
  });
});

describe('pooling and reshaping', () => {
  it('pool strides default to the pool size; same padding rounds up; global pooling drops the map', () => {
    expect(shapes(py`model = Sequential([InputLayer((15, 15, 8)), MaxPooling2D(2), AveragePooling2D(3, strides=1), MaxPooling2D(2, padding='same'), GlobalAveragePooling2D()])`)).toEqual([
      ['MaxPooling2D', [null, 7, 7, 8], 0],
      ['AveragePooling2D', [null, 5, 5, 8], 0],
      ['MaxPooling2D', [null, 3, 3, 8], 0],
      ['GlobalAveragePooling2D', [null, 8], 0],
    ]);
  });
  it('Flatten, Reshape with -1, UpSampling, ZeroPadding, Cropping, Permute, RepeatVector', () => {
    expect(shapes(py`model = Sequential([InputLayer((4, 4, 2)), Flatten(), RepeatVector(3), Reshape((-1, 4))])`)).toEqual([
      ['Flatten', [null, 32], 0],
      ['RepeatVector', [null, 3, 32], 0],
      ['Reshape', [null, 24, 4], 0],
    ]);
    expect(shapes(py`model = Sequential([InputLayer((4, 6, 2)), UpSampling2D(), ZeroPadding2D(1), Cropping2D(((1, 0), (2, 2))), Permute((2, 1, 3))])`)).toEqual([
      ['UpSampling2D', [null, 8, 12, 2], 0],
      ['ZeroPadding2D', [null, 10, 14, 2], 0],
      ['Cropping2D', [null, 9, 10, 2], 0],
      ['Permute', [null, 10, 9, 2], 0],
    ]);
  });
});

describe('dense, normalisation, embeddings and recurrent layers', () => {
  it('Dense acts on the last axis; BatchNormalization has 4 parameters per channel, LayerNormalization 2', () => {
    expect(shapes(py`model = Sequential([InputLayer((10, 6)), Dense(4), BatchNormalization(), LayerNormalization(), Dense(3, use_bias=False)])`)).toEqual([
      ['Dense', [null, 10, 4], 28],
      ['BatchNormalization', [null, 10, 4], 16],
      ['LayerNormalization', [null, 10, 4], 8],
      ['Dense', [null, 10, 3], 12],
    ]);
  });
  it('Embedding, LSTM, GRU (reset_after), SimpleRNN, Bidirectional', () => {
    expect(shapes(py`
      model = Sequential([
          InputLayer((20,)),
          Embedding(1000, 16),
          LSTM(32, return_sequences=True),
          GRU(8, return_sequences=True),
          Bidirectional(SimpleRNN(4)),
      ])`)).toEqual([
      ['Embedding', [null, 20, 16], 16000],
      ['LSTM', [null, 20, 32], 4 * (32 * (16 + 32) + 32)],
      ['GRU', [null, 20, 8], 3 * (8 * (32 + 8) + 2 * 8)],
      ['Bidirectional', [null, 8], 2 * (4 * (8 + 4) + 4)],
    ]);
  });
  it('input_dim on the first layer, and input_shape', () => {
    expect(shapes(py`model = Sequential([Dense(5, input_dim=3)])`)).toEqual([['Dense', [null, 5], 20]]);
    expect(analyze(py`model = Sequential([Dense(5, input_shape=(3,))])`).models[0]!.input).toEqual([null, 3]);
  });
});

describe('the functional API', () => {
  it('merges: Add broadcasts nothing, Concatenate sums its axis, shared layers count once', () => {
    const result = analyze(py`
      from keras import layers
      a = keras.Input(shape=(8, 8, 4))
      b = keras.Input(shape=(8, 8, 6))
      shared = layers.Conv2D(4, 1)
      x = layers.concatenate([a, b])
      y = layers.add([shared(a), shared(a)])
      model = keras.Model([a, b], [x, y])`);
    const model = result.models[0]!;
    expect(model.input).toEqual([null, 8, 8, 4]);
    expect(model.layers.map((l) => [l.type, l.output])).toEqual([
      ['Concatenate', [null, 8, 8, 10]],
      ['Conv2D', [null, 8, 8, 4]],
      ['Conv2D', [null, 8, 8, 4]],
      ['Add', [null, 8, 8, 4]],
    ]);
    expect(model.params).toBe(20);
  });
  it('a keras.Model subclass that only overrides train_step, built as CustomModel(inputs, outputs)', () => {
    const result = analyze(py`
      import tensorflow as tf
      from tensorflow import keras
      class CustomModel(keras.Model):
          def train_step(self, data):
              x, y = data
              with tf.GradientTape() as tape:
                  loss = self.compute_loss(y=y, y_pred=self(x, training=True))
              return {"loss": loss}
      inputs = keras.Input(shape=(32,))
      outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Dense(64, activation="relu")(inputs))
      model = CustomModel(inputs, outputs)
      model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))`);
    expect(result.models.map((m) => [m.name, m.kind, m.params])).toEqual([['model', 'functional', 32 * 64 + 64 + 64 * 10 + 10]]);
    expect(result.findings.map((f) => [f.rule, f.line])).toEqual([['double-softmax', 10]]);
  });
  it('a call footgun cannot follow makes the shapes after it unknown, and nothing is reported on them', () => {
    const result = analyze(py`
      from keras import layers
      inputs = keras.Input(shape=(28, 28, 1))
      x = my_custom_block(inputs)
      x = layers.Conv2D(8, 50)(x)
      model = keras.Model(inputs, x)`);
    expect(result.models[0]!.layers.map((l) => l.output)).toEqual([null, null]);
    expect(result.findings.filter((f) => f.rule.startsWith('shape'))).toEqual([]);
  });
});

describe('code that reads shapes', () => {
  it('x.shape decides a branch: projection shortcuts only where the block changes width', () => {
    const model = analyzeSource('resnet_blocks.py', readFixture('keras/idiomatic/resnet_blocks.py'), configFrom()).models[0]!;
    // blocks (32, 1), (64, 2), (128, 2) on 32 channels: the last two project their shortcut (line 14)
    expect(model.layers.filter((l) => l.type === 'Conv2D' && l.line === 14)).toHaveLength(2);
  });
  it('Conv1D(filters=inputs.shape[-1]) and MultiHeadAttention (Keras time-series transformer, 29,258 parameters)', () => {
    const result = analyze(py`
      import keras
      from keras import layers
      def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0):
          x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(inputs, inputs)
          x = layers.Dropout(dropout)(x)
          x = layers.LayerNormalization(epsilon=1e-6)(x)
          res = x + inputs
          x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
          x = layers.Dropout(dropout)(x)
          x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
          x = layers.LayerNormalization(epsilon=1e-6)(x)
          return x + res
      inputs = keras.Input(shape=(500, 1))
      x = inputs
      for _ in range(4):
          x = transformer_encoder(x, 256, 4, 4, 0.25)
      x = layers.GlobalAveragePooling1D(data_format="channels_last")(x)
      x = layers.Dense(128, activation="relu")(x)
      x = layers.Dropout(0.4)(x)
      outputs = layers.Dense(2, activation="softmax")(x)
      model = keras.Model(inputs, outputs)`);
    const model = result.models[0]!;
    const attention = model.layers.find((l) => l.type === 'MultiHeadAttention')!;
    // query, key and value: 1 × 4 × 256 + 4 × 256 each; output: 4 × 256 × 1 + 1
    expect([attention.output, attention.params]).toEqual([[null, 500, 1], 3 * 2048 + 1025]);
    expect(model.params).toBe(29_258);
  });
  it('MultiHeadAttention with its own value_dim, output_shape and no biases, over a separate key/value sequence', () => {
    expect(shapes(py`
      import keras
      from keras import layers
      q = keras.Input(shape=(10, 16))
      kv = keras.Input(shape=(20, 8))
      y = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=6, output_shape=12, use_bias=False)(q, kv)
      model = keras.Model([q, kv], y)`).slice(-1)).toEqual([['MultiHeadAttention', [null, 10, 12], 16 * 2 * 4 + 8 * 2 * 4 + 8 * 2 * 6 + 2 * 6 * 12]]);
  });
});

describe('data made in the file', () => {
  it('x_train = np.zeros(…): Input(shape=x_train.shape[1:]) and a subclassed model called on tf.zeros(…)', () => {
    const result = analyze(py`
      import numpy as np
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers
      x_train = np.zeros((100, 500, 1))
      inputs = keras.Input(shape=x_train.shape[1:])
      outputs = layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling1D()(layers.Conv1D(8, 3)(inputs)))
      model = keras.Model(inputs, outputs)
      class Tiny(keras.Model):
          def __init__(self):
              super().__init__()
              self.conv = layers.Conv2D(4, 3)
          def call(self, x):
              return self.conv(x)
      tiny = Tiny()
      tiny(tf.zeros((1, 28, 28, 1)))`);
    expect(result.models.map((m) => m.input)).toEqual([[null, 500, 1], [null, 28, 28, 1]]);
    expect(result.models[1]!.layers.at(-1)!.output).toEqual([null, 26, 26, 4]);
  });
  it('spectral_norm(module) is the module, with as many parameters', () => {
    const result = analyze(py`
      import torch
      import torch.nn as nn
      from torch.nn.utils import spectral_norm
      disc = nn.Sequential(spectral_norm(nn.Conv2d(3, 64, 4, 2, 1)), nn.LeakyReLU(0.2), nn.utils.spectral_norm(nn.Conv2d(64, 1, 4, 1, 0)))
      disc(torch.randn(8, 3, 32, 32))`);
    expect(result.models[0]!.layers.map((l) => [l.type, l.output])).toEqual([
      ['Conv2d', [null, 64, 16, 16]],
      ['LeakyReLU', [null, 64, 16, 16]],
      ['Conv2d', [null, 1, 13, 13]],
    ]);
    expect(result.models[0]!.params).toBe(3 * 64 * 16 + 64 + 64 * 16 + 1);
  });
});

describe('*args and **kwargs', () => {
  it('a layer given **kwargs of unknown contents assumes no default (its activation may be in them)', () => {
    const result = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      dense_kwargs = load_config()["dense"]
      inputs = keras.Input(shape=(32,))
      x = layers.Dense(64, **dense_kwargs)(inputs)
      x = layers.Dense(64, **dense_kwargs)(x)
      outputs = layers.Dense(10, activation="softmax")(x)
      model = keras.Model(inputs, outputs)`);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    // use_bias=False may be among them too: the parameter count is unknown, not 64 × 32 + 64
    expect(result.models[0]!.layers.filter((l) => l.type === 'Dense').map((l) => l.params)).toEqual([null, null, 64 * 10 + 10]);
  });
  it('padding hidden in **kwargs is unknown, not valid: no collapse is claimed', () => {
    const result = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      conv_kw = get_kwargs()
      model = keras.Sequential([
          layers.Conv2D(16, 5, strides=1, activation='relu', input_shape=(8, 8, 1), **conv_kw),
          layers.Conv2D(16, 5, strides=1, activation='relu', **conv_kw),
          layers.Conv2D(16, 5, strides=1, activation='relu', **conv_kw),
      ])`);
    expect(result.models[0]!.layers.map((l) => l.output)).toEqual([null, null, null]);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
  it('**kwargs of a helper are the keyword arguments its caller gave', () => {
    const result = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      def block(x, units, **kwargs):
          return layers.Dense(units, **kwargs)(x)
      inputs = keras.Input(shape=(32,))
      x = block(inputs, 64, activation="relu")
      x = block(x, 32)
      outputs = layers.Dense(10, activation="softmax")(x)
      model = keras.Model(inputs, outputs)`);
    // the second call passes no activation: its Dense is linear and feeds the output Dense
    expect(findingsOf(result, 'missing-activation').map((f) => f.message.slice(0, 30))).toEqual(['Dense(32) feeds Dense(10) at l']);
  });
  it('view(n, *shape): with shape unknown the result is unknown, with shape known it is read', () => {
    const generator = (shape: string) => py`
      import torch
      import torch.nn as nn
      class Generator(nn.Module):
          def __init__(self, img_shape):
              super().__init__()
              self.img_shape = img_shape
              self.model = nn.Sequential(nn.Linear(100, 784), nn.Tanh())
          def forward(self, z):
              img = self.model(z)
              return img.view(img.size(0), *self.img_shape)
      generator = Generator(${shape})
      generator(torch.randn(4, 100))`;
    const unknown = analyze(generator('load_shape()'));
    expect(unknown.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(unknown.models[0]!.layers.at(-1)!.output).toBeNull();
    expect(analyze(generator('(1, 28, 28)')).models[0]!.layers.at(-1)!.output).toEqual([null, 1, 28, 28]);
  });
  it('(None, *dims) with dims unknown is a shape of unknown rank, not a 2-D one', () => {
    const result = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      inputs = layers.Input(shape=(None, *frame_shape))
      x = layers.Conv2D(8, 3)(inputs)
      model = keras.Model(inputs, x)`);
    expect(result.models[0]!.input).toBeNull();
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe('constants and loops', () => {
  it('evaluates constants, arithmetic and loops over range()', () => {
    const result = analyze(py`
      NUM_CLASSES = 10
      BASE = 16
      model = Sequential([InputLayer((64, 64, 3))])
      for i in range(3):
          model.add(Conv2D(BASE * 2 ** i, 3, padding='same', activation='relu'))
          model.add(MaxPooling2D())
      model.add(Flatten())
      model.add(Dense(NUM_CLASSES, activation='softmax'))`);
    expect(result.models[0]!.layers.map((l) => l.output)).toEqual([
      [null, 64, 64, 16],
      [null, 32, 32, 16],
      [null, 32, 32, 32],
      [null, 16, 16, 32],
      [null, 16, 16, 64],
      [null, 8, 8, 64],
      [null, 4096],
      [null, 10],
    ]);
    expect(result.models[0]!.task).toBe('multiclass');
  });
  it('follows range() with a step, upwards and downwards', () => {
    const widths = (loop: string) =>
      analyze(py`
        model = Sequential([InputLayer((16,))])
        for units in ${loop}:
            model.add(Dense(units, activation='relu'))
        model.add(Dense(len(${loop})))`).models[0]!.layers.map((l) => l.output?.[1]);
    expect(widths('range(16, 65, 16)')).toEqual([16, 32, 48, 64, 4]);
    expect(widths('range(64, 0, -16)')).toEqual([64, 48, 32, 16, 4]);
    expect(widths('range(3, 10, 3)')).toEqual([3, 6, 9, 3]);
  });
});
