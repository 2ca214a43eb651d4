// What footgun reads of the arrays a program makes: shape, element kind, label classes and the
// expression that made them, as NumPy, PyTorch and the documented loaders define them. Each case
// fits a model on `x, y` and reads the model's record of that data.
import { describe, expect, it } from 'vitest';
import type { DataArray, Model } from '../src/ir.js';
import { extractModels } from '../src/extract/index.js';
import { parsePython } from '../src/parse/parse-python.js';
import { py } from './helpers.js';

const PRELUDE = 'import numpy as np\nimport torch\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom keras.utils import to_categorical\nfrom sklearn.model_selection import train_test_split\n';

function models(code: string): Model[] {
  return extractModels(parsePython(code).doc).models;
}

/** The x and y a Keras model is fitted on, after `code` makes them. */
function fitted(code: string): { x?: DataArray; y?: DataArray } {
  const [model] = models(`${PRELUDE}${code}\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.fit(x, y)\n`);
  const use = model?.data?.find((u) => u.kind === 'fit');
  return { x: use?.x, y: use?.y };
}

type Expected = [shape: (number | null)[], dtype: DataArray['dtype'], extra?: Partial<DataArray>];

function expectArray(array: DataArray | undefined, [shape, dtype, extra]: Expected): void {
  expect(array).toBeDefined();
  expect(array!.shape).toEqual(shape);
  expect(array!.dtype).toBe(dtype);
  for (const [key, value] of Object.entries(extra ?? {})) expect(array![key as keyof DataArray]).toEqual(value);
}

const CASES: [name: string, code: string, x: Expected, y: Expected][] = [
  ['np.zeros and np.ones with dtype', 'x = np.zeros((100, 28, 28))\ny = np.ones((100, 1), dtype=np.int32)', [[100, 28, 28], 'float'], [[100, 1], 'int']],
  ['random sizes positional and size=', 'x = np.random.rand(64, 3)\ny = np.random.randint(0, 5, size=(64,))', [[64, 3], 'float'], [[64], 'int', { classes: 5 }]],
  ['randint(high, size) and uniform/normal with size', 'x = np.random.normal(0, 1, (10, 4))\ny = np.random.randint(3, size=10)', [[10, 4], 'float'], [[10], 'int', { classes: 3 }]],
  ['np.array of a literal: nested shape, ints and floats by the text', 'x = np.array([[0, 1], [1, 0], [1, 1]])\ny = np.array([1.0, 0.0, 1.0])', [[3, 2], 'int'], [[3], 'float']],
  ['astype and arithmetic', "x = np.random.randint(0, 255, (8, 4)).astype('float32') / 255\ny = (np.random.random(8) > 0.5).astype(int)", [[8, 4], 'float'], [[8], 'int']],
  ['reshape with -1, expand_dims, squeeze', 'x = np.expand_dims(np.zeros((60, 28, 28)).reshape(-1, 784), -1)\ny = np.squeeze(np.zeros((60, 1)))', [[60, 784, 1], 'float'], [[60], 'float']],
  ['np.eye(k)[y] one-hot encodes, keeping the labels\' axes', 'x = np.zeros((50, 2))\ny = np.eye(4)[np.random.randint(0, 4, (50, 1))]', [[50, 2], 'float'], [[50, 1, 4], 'float', { oneHot: true }]],
  ['to_categorical drops a trailing axis of 1 and infers the classes', 'x = np.zeros((50, 2))\ny = to_categorical(np.random.randint(0, 7, (50, 1)))', [[50, 2], 'float'], [[50, 7], 'float', { oneHot: true }]],
  ['tf.one_hot and argmax', 'x = tf.one_hot(np.random.randint(0, 3, 20), 3)\ny = np.argmax(x, axis=1)', [[20, 3], 'float', { oneHot: true }], [[20], 'int', { classes: 3 }]],
  ['slices, indices and new axes', 'data = np.random.random((100, 10, 3))\nx = data[:70, :, None]\ny = data[:70, -1, 0]', [[70, 10, 1, 3], 'float'], [[70], 'float']],
  ['concatenate, stack and x.T', 'x = np.concatenate([np.zeros((10, 3)), np.ones((5, 3))], axis=0)\ny = np.stack([np.zeros(15), np.zeros(15)]).T', [[15, 3], 'float'], [[15, 2], 'float']],
  ['train_test_split keeps the trailing axes', 'X = np.zeros((100, 6))\nlabels = np.random.randint(0, 2, 100)\nx, x_test, y, y_test = train_test_split(X, labels, test_size=0.2)', [[null, 6], 'float'], [[null], 'int', { classes: 2 }]],
  ['mnist.load_data(): uint8 images and labels 0-9', '(x, y), _ = keras.datasets.mnist.load_data()', [[60000, 28, 28], 'int'], [[60000], 'int', { classes: 10 }]],
  ['cifar10.load_data(): labels are a column', '_, (x, y) = keras.datasets.cifar10.load_data()', [[10000, 32, 32, 3], 'int'], [[10000, 1], 'int', { classes: 10 }]],
  ['imdb.load_data(): reviews of any length, padded', '(seqs, y), _ = keras.datasets.imdb.load_data(num_words=10000)\nx = keras.utils.pad_sequences(seqs, maxlen=200)', [[25000, 200], 'int'], [[25000], 'int', { classes: 2 }]],
  ['boston_housing.load_data(): 13 features, float targets', '(x, y), _ = keras.datasets.boston_housing.load_data()', [[null, 13], 'float'], [[null], 'float']],
  ['torch tensors made as data', 'x = torch.randn(32, 3, 8, 8).view(32, -1)\ny = torch.tensor([0, 1, 1, 0] * 8).float()', [[32, 192], 'float'], [[32], 'float']],
  ['torch.randint and torch.from_numpy', 'x = torch.from_numpy(np.random.rand(16, 5))\ny = torch.randint(0, 4, (16,)).unsqueeze(1)', [[16, 5], 'float'], [[16, 1], 'int', { classes: 4 }]],
];

describe('arrays: shape, element kind and classes', () => {
  for (const [name, code, x, y] of CASES) {
    it(name, () => {
      const data = fitted(code);
      expectArray(data.x, x);
      expectArray(data.y, y);
    });
  }

  it('an array keeps the expression that made its shape or encoding, not the ones that only scale it', () => {
    const { x, y } = fitted('raw = np.random.randint(0, 10, 300)\ny = to_categorical(raw, 10)\ny = y.astype("float32")\nx = np.zeros((300, 5))\nx = x / 2.0');
    expect(y!.made).toBe('to_categorical(raw, 10)');
    expect(y!.origin.line).toBe(8);
    expect(x!.made).toBe('np.zeros((300, 5))');
  });

  it('what footgun cannot read stays unknown: files, branches it cannot decide, unknown sizes', () => {
    for (const code of ['x = np.load("x.npy")\ny = np.load("y.npy")', 'x = np.zeros((10, 2)) if flag else np.zeros((10, 3))\ny = x', 'x = np.zeros(shape)\ny = x.reshape(n, -1, k)']) {
      const { x, y } = fitted(code);
      expect(x).toBeUndefined();
      expect(y).toBeUndefined();
    }
  });

  it('CIFAR images are unknown when the file may switch Keras to channels-first', () => {
    const { x, y } = fitted("keras.backend.set_image_data_format('channels_first')\n(x, y), _ = keras.datasets.cifar10.load_data()");
    expect(x).toBeUndefined();
    expect(y?.shape).toEqual([50000, 1]);
  });
});

describe('batches', () => {
  it('TensorDataset + DataLoader batches feed a PyTorch model and its loss', () => {
    const [model] = models(py`
      import torch
      import torch.nn as nn
      from torch.utils.data import TensorDataset, DataLoader
      loader = DataLoader(TensorDataset(torch.randn(100, 6), torch.randint(0, 3, (100,))), batch_size=10)
      net = nn.Sequential(nn.Linear(6, 3))
      criterion = nn.CrossEntropyLoss()
      for i, (inputs, labels) in enumerate(loader):
          loss = criterion(net(inputs), labels)
    `);
    const use = model!.data!.find((u) => u.kind === 'loss')!;
    expect(use.x?.shape).toEqual([10, 6]);
    expect(use.y).toMatchObject({ shape: [10], dtype: 'int', classes: 3 });
    expect(use.loss?.written).toBe('nn.CrossEntropyLoss');
    expect(model!.input).toEqual([null, 6]);
  });

  it('flow_from_directory: images of target_size, labels by class_mode', () => {
    const [model] = models(py`
      from keras.preprocessing.image import ImageDataGenerator
      from keras import models, layers
      gen = ImageDataGenerator(rescale=1 / 255).flow_from_directory('train', target_size=(64, 64), color_mode='grayscale', batch_size=8, class_mode='sparse')
      model = models.Sequential([layers.Flatten(), layers.Dense(3, activation='softmax')])
      model.fit(gen, epochs=2)
    `);
    const use = model!.data![0]!;
    expect(use.x?.shape).toEqual([8, 64, 64, 1]);
    expect(use.y).toMatchObject({ shape: [8], dtype: 'int' });
  });

  it('image_dataset_from_directory and tf.data keep their batches through cache/shuffle/prefetch', () => {
    const [model] = models(py`
      import tensorflow as tf
      from tensorflow import keras
      ds = keras.utils.image_dataset_from_directory('photos', label_mode='binary', image_size=(96, 96))
      ds = ds.cache().shuffle(100).prefetch(tf.data.AUTOTUNE)
      model = keras.Sequential([keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1, activation='sigmoid')])
      model.fit(ds, validation_data=ds)
    `);
    expect(model!.data!.map((use) => [use.kind, use.x?.shape, use.y?.shape])).toEqual([
      ['fit', [32, 96, 96, 3], [32, 1]],
      ['validation', [32, 96, 96, 3], [32, 1]],
    ]);
  });

  it('the TF1 tutorial MNIST: flat float images, one-hot labels, next_batch', () => {
    const [model] = models(py`
      from tensorflow.examples.tutorials.mnist import input_data
      from keras.models import Sequential
      from keras.layers import Dense
      mnist = input_data.read_data_sets('MNIST_data', one_hot=True)
      model = Sequential([Dense(10, input_shape=(784,))])
      batch_x, batch_y = mnist.train.next_batch(100)
      model.train_on_batch(batch_x, batch_y)
    `);
    expect(model!.data![0]).toMatchObject({ kind: 'train_on_batch', x: { shape: [100, 784], dtype: 'float' }, y: { shape: [100, 10], dtype: 'float', oneHot: true } });
  });
});

describe('where data meets the model', () => {
  it('a Sequential model without input_shape takes its input from the first fit, and its shapes follow', () => {
    const [model] = models(`${PRELUDE}x = np.zeros((10, 28, 28, 1))\nmodel = keras.Sequential([keras.layers.Conv2D(8, 3), keras.layers.Flatten(), keras.layers.Dense(2)])\nmodel.fit(x, np.zeros((10, 2)))\n`);
    expect(model!.input).toEqual([null, 28, 28, 1]);
    expect(model!.inputFromData).toBe(true);
  });

  it('a model that declares its input keeps it: data of another shape is what the rules compare', () => {
    const [model] = models(`${PRELUDE}model = keras.Sequential([keras.layers.Dense(2, input_shape=(4,))])\nmodel.predict(np.zeros((3, 5)))\nmodel(np.zeros((3, 5)))\n`);
    expect(model!.input).toEqual([null, 4]);
    expect(model!.inputFromData).toBeUndefined();
    expect(model!.data!.map((use) => [use.kind, use.x?.shape])).toEqual([
      ['predict', [3, 5]],
      ['call', [3, 5]],
    ]);
  });

  it('a loop meets the model at one call site once, however many passes it makes', () => {
    const [model] = models(py`
      import torch
      import torch.nn as nn
      net = nn.Sequential(nn.Linear(3, 1))
      x = torch.randn(8, 3)
      y = torch.randn(8, 1)
      for step in range(20):
          loss = nn.functional.mse_loss(net(x).view(-1, 1), y)
    `);
    expect(model!.data!.map((use) => [use.kind, use.outputOps])).toEqual([
      ['call', undefined],
      ['loss', [{ op: 'reshape', shape: [-1, 1] }]],
    ]);
  });
});
