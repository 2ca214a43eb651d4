// Keras code as people really write it: comments among the layers, Keras 1 and 2 spellings,
// Lambda and TimeDistributed layers, models reused inside other models, branches on the
// backend's image data format. Parameter counts follow Keras' documented formulas (noted per case).
import { describe, expect, it } from 'vitest';
import type { FileResult, ModelSummary } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import { parsePython } from '../src/parse/parse-python.js';
import { modelTable } from '../src/review/architecture.js';
import { analyze, configFrom, findingsOf, py, readFixture } from './helpers.js';

function review(relative: string): FileResult {
  const result = analyzeSource(relative, readFixture(`keras/reading/${relative}`), configFrom());
  expect(result.error).toBeNull();
  return result;
}

function model(result: FileResult, name: string): ModelSummary {
  const found = result.models.find((m) => m.name === name);
  expect(found, `model ${name} among ${result.models.map((m) => m.name).join(', ')}`).toBeDefined();
  return found!;
}

function rows(summary: ModelSummary): [string, (number | null)[] | null, number | null][] {
  return summary.layers.map((layer) => [layer.type, layer.output, layer.params]);
}

function problems(result: FileResult): string[] {
  return result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.line} ${f.rule}: ${f.message}`);
}

describe('comments are not code', () => {
  it('the parser leaves comments out of lists, calls and dicts', () => {
    const { doc } = parsePython('x = [\n    # one\n    1,  # two\n    f(a,  # three\n      b),\n    {  # four\n        "k": 2,  # five\n    },\n]\n');
    const list = doc.root.namedChildren[0]!.namedChildren[0]!.namedChildren[1]!;
    expect(list.type).toBe('list');
    expect(list.namedChildren.map((child) => child.type)).toEqual(['integer', 'call', 'dictionary']);
    expect(list.namedChildren[1]!.namedChildren[1]!.namedChildren.map((child) => child.text)).toEqual(['a', 'b']);
    expect(list.namedChildren[2]!.namedChildren.map((child) => child.type)).toEqual(['pair']);
  });

  it('a commented Sequential list keeps every shape', () => {
    const result = review('comments.py');
    expect(problems(result)).toEqual([]);
    // Conv2D: 3·3·3·16 + 16 = 448; Dense: 4096·10 + 10 = 40,970 (kernel + bias, Keras' Dense and Conv2D)
    expect(rows(model(result, 'annotated'))).toEqual([
      ['Conv2D', [null, 32, 32, 16], 448],
      ['MaxPooling2D', [null, 16, 16, 16], 0],
      ['Flatten', [null, 4096], 0],
      ['Dense', [null, 10], 40_970],
    ]);
    expect(model(result, 'annotated').params).toBe(41_418);
  });
});

describe('layer aliases', () => {
  // Conv: kernel volume · input channels · filters + filters; separable: kernel · in + in · filters + filters;
  // transposed: kernel area · filters · in + filters; Dense: in · units + units (Keras' layer docs).
  const result = review('aliases.py');

  it('reads every alias as the layer it names, silently', () => {
    expect(problems(result)).toEqual([]);
  });
  it('Convolution3D, MaxPool3D, GlobalAvgPool3D', () => {
    expect(rows(model(result, 'volume'))).toEqual([
      ['Convolution3D', [null, 14, 14, 14, 8], 3 * 3 * 3 * 1 * 8 + 8],
      ['MaxPool3D', [null, 7, 7, 7, 8], 0],
      ['Convolution3D', [null, 5, 5, 5, 16], 27 * 8 * 16 + 16],
      ['GlobalAvgPool3D', [null, 16], 0],
      ['Dense', [null, 2], 34],
    ]);
  });
  it('SeparableConvolution1D, AvgPool1D, Convolution1D, GlobalMaxPool1D', () => {
    expect(rows(model(result, 'signal'))).toEqual([
      ['SeparableConvolution1D', [null, 124, 16], 5 * 4 + 4 * 16 + 16],
      ['AvgPool1D', [null, 62, 16], 0],
      ['Convolution1D', [null, 60, 32], 3 * 16 * 32 + 32],
      ['GlobalMaxPool1D', [null, 32], 0],
      ['Dense', [null, 1], 33],
    ]);
  });
  it('Convolution2D, MaxPool2D, AvgPool2D, GlobalMaxPool2D', () => {
    expect(model(result, 'images').params).toBe(896 + 18_496 + 650);
    expect(model(result, 'images').layers.map((layer) => layer.output)).toEqual([[null, 62, 62, 32], [null, 31, 31, 32], [null, 29, 29, 64], [null, 14, 14, 64], [null, 64], [null, 10]]);
  });
  it('Convolution2DTranspose', () => {
    expect(rows(model(result, 'decoder')).slice(2)).toEqual([
      ['Convolution2DTranspose', [null, 14, 14, 16], 3 * 3 * 32 * 16 + 16],
      ['Convolution2DTranspose', [null, 28, 28, 1], 3 * 3 * 16 + 1],
    ]);
  });
});

describe('Keras 1 spellings (the legacy interfaces of Keras 2.0–2.3)', () => {
  const result = review('keras1_style.py');

  it('reads them without a false alarm', () => {
    expect(problems(result)).toEqual([]);
  });
  it('Convolution2D(32, 3, 3) is a 3×3 kernel; dim_ordering="th" is channels first; output_dim, init, p', () => {
    const mnist = model(result, 'model');
    expect(mnist.input).toEqual([null, 1, 28, 28]);
    expect(mnist.layers.filter((layer) => layer.params).map((layer) => [layer.type, layer.output, layer.params])).toEqual([
      ['Convolution2D', [null, 32, 26, 26], 320],
      ['Convolution2D', [null, 32, 24, 24], 9248],
      ['Dense', [null, 128], 4608 * 128 + 128],
      ['Dense', [null, 10], 1290],
    ]);
    expect(mnist.params).toBe(600_810);
  });
  it('AtrousConvolution2D(atrous_rate=…), subsample, border_mode, Deconvolution2D, Model(input=…, output=…)', () => {
    expect(rows(model(result, 'segmenter'))).toEqual([
      ['AtrousConvolution2D', [null, 64, 64, 16], 3 * 3 * 3 * 16 + 16],
      ['Convolution2D', [null, 32, 32, 16], 3 * 3 * 16 * 16 + 16],
      ['Deconvolution2D', [null, 64, 64, 8], 3 * 3 * 16 * 8 + 8],
      ['Convolution2D', [null, 64, 64, 1], 9],
    ]);
  });
  it('Embedding(…, input_length=…), LSTM(output_dim=…, dropout_W=…)', () => {
    // LSTM: 4 · (units · (features + units) + units)
    expect(rows(model(result, 'text'))).toEqual([
      ['Embedding', [null, 100, 32], 5000 * 32],
      ['LSTM', [null, 64], 4 * (64 * (32 + 64) + 64)],
      ['Dense', [null, 1], 65],
    ]);
  });

  const conv = (imports: string, call: string) =>
    analyze(`${imports}\nmodel = Sequential([${call}, Flatten(), Dense(10, activation='softmax')])\n`).models[0]!.layers[0]!;
  it('Conv2D(32, 3, 3): a 3×3 kernel in Keras 2.0–2.3, strides 3 in tf.keras and Keras 3', () => {
    const standalone = 'from keras.models import Sequential\nfrom keras.layers import Conv2D, Flatten, Dense';
    const tfKeras = 'from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Conv2D, Flatten, Dense';
    const call = "Conv2D(32, 3, 3, activation='relu', input_shape=(28, 28, 1))";
    // which Keras runs standalone `keras` code is not written in it: the stride stays unknown, the kernel is 3×3 either way
    expect(conv(standalone, call)).toMatchObject({ output: [null, null, null, 32], params: 320 });
    expect(conv(tfKeras, call)).toMatchObject({ output: [null, 9, 9, 32], params: 320 });
    expect(conv(standalone, "Conv2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1))")).toMatchObject({ output: [null, 28, 28, 32], params: 320 });
    expect(conv(standalone, "Conv2D(32, 3, 3, padding='same', input_shape=(28, 28, 1))")).toMatchObject({ output: [null, 10, 10, 32], params: 320 });
    expect(conv(standalone, "Conv2D(32, 5, 3, input_shape=(28, 28, 1))")).toMatchObject({ output: [null, null, null, 32], params: null });
  });
});

describe('Embedding input_length', () => {
  it('makes the model input (None, input_length), not (None, input_dim)', () => {
    const result = review('embedding_input_length.py');
    expect(problems(result)).toEqual([]);
    const summary = result.models[0]!;
    expect(summary.input).toEqual([null, 256]);
    expect(rows(summary)).toEqual([
      ['Embedding', [null, 256, 16], 10_000 * 16],
      ['GlobalAveragePooling1D', [null, 16], 0],
      ['Dense', [null, 16], 272],
      ['Dense', [null, 1], 17],
    ]);
  });
});

describe('Lambda', () => {
  const result = review('lambda_layers.py');

  it('keeps the shape of rescaling and elementwise functions, and holds no weights', () => {
    expect(problems(result)).toEqual([]);
    // Conv2D 3·3·3·16 + 16 = 448, 3·3·16·32 + 32 = 4,640; Dense 32·10 + 10 = 330
    expect(rows(model(result, 'classifier'))).toEqual([
      ['Lambda', [null, 32, 32, 3], 0],
      ['Conv2D', [null, 30, 30, 16], 448],
      ['MaxPooling2D', [null, 15, 15, 16], 0],
      ['Lambda', [null, 15, 15, 16], 0],
      ['Conv2D', [null, 13, 13, 32], 4640],
      ['Lambda', [null, 13, 13, 32], 0],
      ['GlobalAveragePooling2D', [null, 32], 0],
      ['Dense', [null, 10], 330],
    ]);
  });
  it('leaves a slice unknown', () => {
    expect(rows(model(result, 'regressor')).slice(1)).toEqual([
      ['Lambda', null, 0],
      ['Dense', null, null],
    ]);
  });
  it('a rescaling Lambda adds no nonlinearity; an elementwise function does', () => {
    const code = (fn: string) => `from tensorflow import keras\nfrom tensorflow.keras import layers\nimport tensorflow as tf\nmodel = keras.Sequential([layers.Conv2D(8, 3, input_shape=(16, 16, 3)), layers.Lambda(${fn}), layers.Flatten(), layers.Dense(10, activation='softmax')])\n`;
    const missing = (fn: string) => findingsOf(analyze(code(fn)), 'missing-activation').map((f) => f.line);
    expect(missing('lambda x: x * 2.0 + 1')).toEqual([4]);
    expect(missing('lambda x: x * tf.nn.sigmoid(x)')).toEqual([]);
    expect(missing('tf.nn.relu')).toEqual([]);
  });
});

describe('TimeDistributed', () => {
  const result = review('time_distributed.py');

  it('applies its layer to every step, with the layer’s weights counted once', () => {
    expect(problems(result)).toEqual([]);
    // Conv2D 3·3·3·16 + 16 = 448 on (64, 64, 3) with strides 2 → 31×31; LSTM 4·(32·(16 + 32) + 32) = 6,272
    expect(rows(model(result, 'video'))).toEqual([
      ['TimeDistributed', [null, 8, 31, 31, 16], 448],
      ['TimeDistributed', [null, 8, 16], 0],
      ['LSTM', [null, 32], 6272],
      ['Dense', [null, 5], 165],
    ]);
    // Bidirectional LSTM 2 · 4 · (32 · (64 + 32) + 32) = 24,832; Dense 64 · 12 + 12 = 780 per step
    expect(rows(model(result, 'tagger'))).toEqual([
      ['Embedding', [null, 40, 64], 320_000],
      ['Bidirectional', [null, 40, 64], 24_832],
      ['TimeDistributed', [null, 40, 12], 780],
    ]);
  });
  it('needs a steps axis', () => {
    const findings = findingsOf(analyze('from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([layers.TimeDistributed(layers.Dense(4), input_shape=(8,))])\n'), 'shape-mismatch');
    expect(findings.map((f) => [f.line, f.message])).toEqual([[3, expect.stringMatching(/at least 3 dimensions .* \(None, 8\)/)]]);
  });
});

describe('reused and nested models', () => {
  const result = review('nested_models.py');
  const types = (name: string) => model(result, name).layers.map((layer) => layer.type);

  it('reads them without a false alarm', () => {
    expect(problems(result)).toEqual([]);
  });
  it('models made of another model’s layers are views of it, not models of their own', () => {
    const named = (role: string) => result.models.filter((m) => m.role === role).map((m) => m.name);
    expect(named('model')).toEqual(['autoencoder', 'base', 'retrained', 'early_exit', 'conv_autoencoder', 'siamese', 'stacked', 'digits']);
    expect(named('component')).toEqual(['encoder', 'decoder', 'image_encoder', 'image_decoder', 'embedding', 'block']);
    // Dense 784·32 + 32 and 32·784 + 784
    expect(model(result, 'autoencoder').params).toBe(25_120 + 25_872);
  });
  it('model.layers[-2].output and model.get_layer(name).output start new models on shared layers', () => {
    // the Conv2D layers (448 + 4,640) are base's own; the new head reads the Flatten's 5,408 features: 5,408·3 + 3
    expect(rows(model(result, 'retrained')).slice(-2)).toEqual([
      ['Flatten', [null, 5408], 0],
      ['Dense', [null, 3], 16_227],
    ]);
    expect(model(result, 'retrained').params).toBe(448 + 4640 + 16_227);
    expect(types('early_exit')).toEqual(['Conv2D', 'MaxPooling2D', 'GlobalAveragePooling2D', 'Dense']);
    expect(model(result, 'early_exit').params).toBe(448 + 34);
  });
  it('a model called as a layer: shapes flow through it', () => {
    // Conv2D 3·3·1·16 + 16; Dense 3,136·8 + 8 and 8·3,136 + 3,136; Conv2DTranspose 3·3·16·1 + 1
    expect(rows(model(result, 'conv_autoencoder'))).toEqual([
      ['Conv2D', [null, 14, 14, 16], 160],
      ['Flatten', [null, 3136], 0],
      ['Dense', [null, 8], 25_096],
      ['Dense', [null, 3136], 28_224],
      ['Reshape', [null, 14, 14, 16], 0],
      ['Conv2DTranspose', [null, 28, 28, 1], 145],
    ]);
    expect(model(result, 'conv_autoencoder').params).toBe(53_625);
  });
  it('a model applied twice counts its weights once', () => {
    expect(rows(model(result, 'siamese')).map(([type, output]) => [type, output])).toEqual([
      ['Dense', [null, 16]],
      ['Dense', [null, 16]],
      ['Subtract', [null, 16]],
      ['Dense', [null, 1]],
    ]);
    expect(model(result, 'siamese').params).toBe(64 * 16 + 16 + 17);
  });
  it('Sequential and functional models inside a Sequential', () => {
    expect(rows(model(result, 'stacked'))).toEqual([
      ['Conv2D', [null, 32, 32, 8], 224],
      ['MaxPooling2D', [null, 16, 16, 8], 0],
      ['Flatten', [null, 2048], 0],
      ['Dense', [null, 10], 20_490],
    ]);
    expect(types('digits')).toEqual(['Conv2D', 'Flatten', 'Dense', 'Dense']);
    expect(model(result, 'digits').params).toBe(160 + 25_096 + 90);
  });
});

describe('the backend image data format', () => {
  it('takes the channels-last branch, Keras’ default, and says so in the model summary', () => {
    const result = review('image_data_format.py');
    expect(problems(result)).toEqual([]);
    const mnist = result.models[0]!;
    expect(mnist.input).toEqual([null, 28, 28, 1]);
    // the Keras 2 MNIST example's summary: 1,199,882 parameters
    expect(mnist.params).toBe(1_199_882);
    expect(mnist.notes).toEqual(["`K.image_data_format()` (line 14) reads ~/.keras/keras.json; footgun took Keras' default, channels_last."]);
    expect(modelTable('mnist_cnn.py', mnist).split('\n').slice(0, 4)).toEqual([
      expect.stringContaining('**model** in `mnist_cnn.py:21`'),
      '',
      "> `K.image_data_format()` (line 14) reads ~/.keras/keras.json; footgun took Keras' default, channels_last.",
      '',
    ]);
  });

  const modelAfter = (check: string, imports = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers') =>
    analyze(py`
      ${imports}
      plain = keras.Sequential([layers.Dense(4, input_shape=(8,))], name='before')
      if ${check}:
          shape, axis = (3, 32, 32), 1
      else:
          shape, axis = (32, 32, 3), -1
      model = keras.Sequential([
          layers.Conv2D(16, 3, input_shape=shape),
          layers.BatchNormalization(axis=axis),
          layers.Activation('relu'),
          layers.GlobalAveragePooling2D(),
          layers.Dense(10, activation='softmax'),
      ], name='after')
    `).models;
  it.each([
    ["keras.backend.image_data_format() == 'channels_first'"],
    ["tf.keras.backend.image_data_format() == 'channels_first'"],
    ["keras.config.image_data_format() == 'channels_first'"],
    ["keras.backend.image_data_format() != 'channels_last'"],
  ])('%s', (check) => {
    const [before, after] = modelAfter(check);
    expect(before!.notes).toBeUndefined();
    expect(after!.input).toEqual([null, 32, 32, 3]);
    expect(after!.layers.map((layer) => layer.output)).toEqual([[null, 30, 30, 16], [null, 30, 30, 16], [null, 30, 30, 16], [null, 16], [null, 10]]);
    expect(after!.notes).toHaveLength(1);
  });
  it("K.image_dim_ordering() == 'th' (Keras 1)", () => {
    const [, after] = modelAfter("K.image_dim_ordering() == 'th'", 'from keras import backend as K\nfrom keras import layers\nimport keras');
    expect(after!.input).toEqual([null, 32, 32, 3]);
  });
  it('a format the code sets is no assumption', () => {
    const result = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      keras.backend.set_image_data_format('channels_first')
      if keras.backend.image_data_format() == 'channels_first':
          shape = (3, 32, 32)
      else:
          shape = (32, 32, 3)
      model = keras.Sequential([layers.Conv2D(16, 3, activation='relu', input_shape=shape), layers.Flatten(), layers.Dense(10, activation='softmax')])
    `);
    expect(problems(result)).toEqual([]);
    expect(result.models[0]!.layers[0]!.output).toEqual([null, 16, 30, 30]);
    expect(result.models[0]!.notes).toBeUndefined();
  });
});

describe('Dense on an axis Keras leaves None', () => {
  it('is reported where Keras refuses to build, and nowhere else', () => {
    const result = review('undefined_features.py');
    expect(result.findings.filter((f) => f.severity !== 'info').map((f) => [f.line, f.rule])).toEqual([
      [9, 'shape-mismatch'],
      [19, 'shape-mismatch'],
    ]);
    expect(findingsOf(result, 'shape-mismatch')[0]!.message).toBe(
      "Dense sizes its kernel from its input's last axis, but Flatten (line 8) gives it (None, None): the model's input (None, None, 16) leaves a size None, and it reaches that axis. Give the input a fixed size, or reduce the None axis first (GlobalAveragePooling, an LSTM without return_sequences). Keras cannot build this model.",
    );
    // GlobalAveragePooling2D leaves the 16 channels: Dense 16·10 + 10
    expect(model(result, 'pooled').params).toBe(448 + 170);
  });
  it('a size footgun could not read is not None', () => {
    const unread = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      from config import MAX_LENGTH
      model = keras.Sequential([layers.LSTM(8, return_sequences=True, input_shape=(MAX_LENGTH, 4)), layers.Flatten(), layers.Dense(1)])
    `);
    expect(findingsOf(unread, 'shape-mismatch')).toEqual([]);
    // Keras 3 ignores input_length, so an Embedding's None length is the data's
    const embedding = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      model = keras.Sequential([layers.Embedding(1000, 8, input_length=None), layers.Flatten(), layers.Dense(1, activation='sigmoid')])
    `);
    expect(findingsOf(embedding, 'shape-mismatch')).toEqual([]);
  });
});

describe('custom layers and keras.ops', () => {
  const result = review('custom_layers.py');

  it('reads them without a false alarm', () => {
    expect(problems(result)).toEqual([]);
  });
  it('build() runs with the input shape; add_weight weights count once, on the layer’s first step', () => {
    // Linear: kernel (64, 32) + bias (32,) = 2,080; LayerScale: gamma (32,); Linear: (32, 10) + (10,) = 330
    expect(rows(model(result, 'mlp'))).toEqual([
      ['MatMul', [null, 32], 2080],
      ['BiasAdd', [null, 32], 0],
      ['Activation', [null, 32], 0],
      ['Multiply', [null, 32], 0],
      ['Scale', [null, 32], 32],
      ['MatMul', [null, 10], 330],
      ['BiasAdd', [null, 10], 0],
    ]);
    expect(model(result, 'mlp').params).toBe(2442);
  });
  it('custom layers in a Sequential are called on its input', () => {
    // Linear(8) on 12 features: 12·8 + 8 = 104; Linear(2): 8·2 + 2 = 18
    expect(model(result, 'stacked').layers.map((layer) => layer.output)).toEqual([[null, 8], [null, 8], [null, 8], [null, 8], [null, 2], [null, 2]]);
    expect(model(result, 'stacked').params).toBe(104 + 18);
  });
  it('a custom layer applied twice shares its weights', () => {
    // Linear(16) on 8 features: 8·16 + 16 = 144, once; Dense 32·1 + 1
    expect(model(result, 'pair').params).toBe(144 + 33);
  });
  it('softmax, sum, expand_dims, reshape, transpose between layers', () => {
    expect(rows(model(result, 'attention_pool')).slice(2, 8)).toEqual([
      ['Activation', [null, 20, 1], 0],
      ['Multiply', [null, 20, 16], 0],
      ['sum', [null, 16], 0],
      ['expand_dims', [null, 16, 1], 0],
      ['Reshape', [null, 4, 4], 0],
      ['Permute', [null, 4, 4], 0],
    ]);
    expect(model(result, 'attention_pool').params).toBe(144 + 17 + 17);
  });
  it('Keras 2 backend and TensorFlow spellings of the same functions', () => {
    const shapes = (code: string) => analyze(code).models[0]!.layers.map((layer) => [layer.type, layer.output]);
    expect(shapes(py`
      import tensorflow as tf
      from tensorflow.keras import backend as K
      from tensorflow.keras import layers, Model, Input
      x = Input(shape=(10, 6))
      a = K.mean(x, axis=1, keepdims=True)
      b = tf.reduce_max(x, axis=K.int_shape(x)[-1] - 7)
      c = tf.expand_dims(b, 2)
      d = K.concatenate([c, x - a])
      e = tf.math.exp(d) / 2.0
      model = Model(x, layers.Dense(3)(layers.Flatten()(e)))
    `)).toEqual([
      ['mean', [null, 1, 6]],
      ['reduce_max', [null, 10]],
      ['expand_dims', [null, 10, 1]],
      ['Subtract', [null, 10, 6]],
      ['Concatenate', [null, 10, 7]],
      ['exp', [null, 10, 7]],
      ['TensorOp', [null, 10, 7]],
      ['Flatten', [null, 70]],
      ['Dense', [null, 3]],
    ]);
  });
});

describe("application-style models: Keras' input helpers", () => {
  // Keras' imagenet_utils.obtain_input_shape: no input_shape and the classifier on top gives the
  // default (size, size, 3); without it (None, None, 3). correct_pad pads k // 2 after and one less
  // before an even side. Params: Conv2D k·k·in·filters (no bias), BatchNormalization 4·C (gamma,
  // beta, moving mean and variance), Dense in·units + units (Keras' layer docs).
  const result = review('applications.py');

  it('the default input of a model with its classifier, and the padding before strided convolutions', () => {
    expect(problems(result)).toEqual([]);
    const tiny = model(result, 'tinynet');
    expect(tiny.input).toEqual([null, 96, 96, 3]);
    expect(rows(tiny)).toEqual([
      ['ZeroPadding2D', [null, 97, 97, 3], 0],
      ['Conv2D', [null, 48, 48, 16], 432],
      ['BatchNormalization', [null, 48, 48, 16], 64],
      ['Activation', [null, 48, 48, 16], 0],
      // strides == (1, 1): the 'same' branch, no padding layer
      ['Conv2D', [null, 48, 48, 32], 4608],
      ['BatchNormalization', [null, 48, 48, 32], 128],
      ['Activation', [null, 48, 48, 32], 0],
      ['ZeroPadding2D', [null, 49, 49, 32], 0],
      ['Conv2D', [null, 24, 24, 64], 18_432],
      ['BatchNormalization', [null, 24, 24, 64], 256],
      ['Activation', [null, 24, 24, 64], 0],
      ['GlobalAveragePooling2D', [null, 64], 0],
      ['Dense', [null, 10], 650],
    ]);
    expect(tiny.params).toBe(24_570);
  });

  it('without the classifier the image size stays open, and so does the padding that depends on it', () => {
    const features = model(result, 'tiny_features');
    expect(features.input).toEqual([null, null, null, 3]);
    expect(rows(features)).toEqual([
      ['ZeroPadding2D', [null, null, null, 3], 0],
      ['Conv2D', [null, null, null, 8], 216],
      ['BatchNormalization', [null, null, null, 8], 32],
      ['Activation', [null, null, null, 8], 0],
    ]);
  });

  it('a shape the caller gives is the input; an unknown one leaves it unknown', () => {
    const shapes = (call: string) =>
      analyze(py`
        from keras import layers, Model
        from keras.src.applications import imagenet_utils
        def build(input_shape=None, include_top=True):
            input_shape = ${call}
            inputs = layers.Input(shape=input_shape)
            return Model(inputs, layers.Conv2D(4, 3)(inputs))
      `).models[0]!.input;
    expect(shapes('imagenet_utils.obtain_input_shape((64, 64, 1), 224, 32, "channels_last", include_top)')).toEqual([null, 64, 64, 1]);
    expect(shapes('imagenet_utils.obtain_input_shape(None, 224, 32, "channels_last", require_flatten=include_top)')).toEqual([null, 224, 224, 3]);
    // whether the classifier is on top is unknown: only the channels are sure
    expect(shapes('imagenet_utils.obtain_input_shape(None, 224, 32, "channels_last", require_flatten=unknown_flag)')).toEqual([null, null, null, 3]);
    expect(shapes('imagenet_utils.obtain_input_shape(unknown_shape, 224, 32, "channels_last", include_top)')).toBeNull();
  });

  it('a custom layer chosen by a condition is called like the layer it may be replaced by', () => {
    // Conv2D 3·3·8·8 + 8 = 584; the branch between DropPath and Activation keeps (32, 32, 8)
    expect(problems(result)).toEqual([]);
    expect(rows(model(result, 'residual_net'))).toEqual([
      ['Conv2D', [null, 32, 32, 8], 584],
      ['Activation', [null, 32, 32, 8], 0],
      ['Branch', [null, 32, 32, 8], null],
      ['Add', [null, 32, 32, 8], 0],
      ['Flatten', [null, 8192], 0],
      ['Dense', [null, 10], 81_930],
    ]);
  });
});

describe('block tables: the Python that scales an EfficientNet-style model', () => {
  it('copies and pops its dicts, tests names with str methods and chained comparisons', () => {
    const result = analyze(py`
      import copy
      from keras import layers, Model

      BLOCKS = [
          {"repeats": 1, "filters_in": 8, "filters_out": 8, "expand_ratio": 1, "se_ratio": 0.25},
          {"repeats": 2, "filters_in": 8, "filters_out": 16, "expand_ratio": 4, "se_ratio": 0},
      ]

      def block(x, filters_in, filters_out, expand_ratio, se_ratio):
          if expand_ratio != 1:
              x = layers.Conv2D(filters_in * expand_ratio, 1, use_bias=False, activation="swish")(x)
          if 0 < se_ratio <= 1:
              x = layers.multiply([x, layers.Conv2D(filters_in, 1, activation="sigmoid")(x)])
          return layers.Conv2D(filters_out, 1, use_bias=False, activation="swish")(x)

      def build(name="scaled-b0", blocks_args=BLOCKS):
          inputs = layers.Input(shape=(8, 8, 3))
          if name.split("-")[-1].startswith("b"):
              x = layers.Normalization()(inputs)
          else:
              x = layers.Rescaling(1.0 / 255)(inputs)
          x = layers.Conv2D(8, 3, padding="same", use_bias=False, activation="swish")(x)
          blocks_args = copy.deepcopy(blocks_args)
          for args in blocks_args:
              for j in range(args.pop("repeats")):
                  if j > 0:
                      args["filters_in"] = args["filters_out"]
                  x = block(x, **args)
          return Model(inputs, x, name="scaled")
    `);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const scaled = model(result, 'scaled');
    // Normalization without mean and variance adapts them: a mean and a variance per channel and a
    // count (2·3 + 1); Conv2D k·k·in·filters (+ filters with a bias)
    expect(rows(scaled)).toEqual([
      ['Normalization', [null, 8, 8, 3], 7],
      ['Conv2D', [null, 8, 8, 8], 216],
      ['Conv2D', [null, 8, 8, 8], 72],
      ['Multiply', [null, 8, 8, 8], 0],
      ['Conv2D', [null, 8, 8, 8], 64],
      ['Conv2D', [null, 8, 8, 32], 256],
      ['Conv2D', [null, 8, 8, 16], 512],
      ['Conv2D', [null, 8, 8, 64], 1024],
      ['Conv2D', [null, 8, 8, 16], 1024],
    ]);
    expect(scaled.params).toBe(3175);
  });

  it('the table stays untouched for the next model: deepcopy copies it', () => {
    const shapes = analyze(py`
      import copy
      from keras import layers, Model
      TABLE = {"repeats": 2, "filters": 4}
      def build(table=TABLE):
          inputs = layers.Input(shape=(4,))
          x = inputs
          for _ in range(copy.deepcopy(table).pop("repeats")):
              x = layers.Dense(table["filters"])(x)
          return Model(inputs, layers.Dense(table.get("repeats", 0))(x), name="copied")
    `).models[0]!;
    expect(shapes.layers.map((layer) => layer.output)).toEqual([[null, 4], [null, 4], [null, 2]]);
  });

  it('a layer chosen by a condition keeps its shape in a functional model, not in a Sequential', () => {
    const result = analyze(py`
      from keras import layers, Model, Sequential
      def build(scale):
          inputs = layers.Input(shape=(6,))
          if scale:
              x = layers.Rescaling(scale)(inputs)
          else:
              x = layers.Dense(6)(inputs)
          return Model(inputs, layers.Dense(2)(x), name="functional")
      def stack(extra):
          model = Sequential([layers.Input(shape=(6,)), layers.Dense(4)], name="sequential")
          if extra:
              model.add(layers.Dense(3))
          model.add(layers.Dense(2))
          return model
    `);
    expect(model(result, 'functional').layers.map((layer) => [layer.type, layer.output])).toEqual([
      ['Rescaling', [null, 6]],
      ['Dense', [null, 6]],
      ['Branch', [null, 6]],
      ['Dense', [null, 2]],
    ]);
    // the Dense(3) may not be there: what follows it is unknown
    expect(model(result, 'sequential').layers.map((layer) => [layer.type, layer.output])).toEqual([
      ['Dense', [null, 4]],
      ['Dense', null],
      ['Dense', null],
    ]);
  });
});
