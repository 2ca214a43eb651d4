// Data that comes in batches or from a loader whose shapes are documented: keras.datasets, the
// TensorFlow 1 MNIST tutorial's read_data_sets, ImageDataGenerator and image_dataset_from_directory,
// tf.data, PyTorch's TensorDataset and DataLoader. Every shape here is the one the library's
// documentation gives; where a documented shape depends on something footgun cannot see (the
// image data format set in a config file), the array is unknown.
import type { DType, Shape } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import { arrayOf, derived, dtypeOf, oneHotRows } from './arrays.js';
import type { ArrayValue, CallSite, Value } from './values.js';
import { UNKNOWN_VALUE, argument, num, numberOf, seq, str } from './values.js';

type Dataset = Extract<Value, { kind: 'dataset' }>;

/** What a loader needs to know about the file: whether it may switch Keras to channels-first images. */
export interface DataContext {
  readonly channelsFirstMentioned: boolean;
}

export type DatasetFunction = (call: CallSite, context: DataContext) => Value | undefined;

interface Split {
  x: Shape;
  xDtype: DType;
  y: Shape;
  yDtype: DType;
  classes?: number;
  /** the images' layout depends on Keras' image_data_format */
  images?: boolean;
}

/**
 * keras.datasets, as https://keras.io/api/datasets/ documents them: MNIST digits are uint8
 * (n, 28, 28) with labels (n,); CIFAR images are (n, 32, 32, 3) with labels (n, 1); IMDB and
 * Reuters reviews are lists of word indices of any length (shown as (n, None)).
 */
function kerasDataset(name: string, call: CallSite): { train: Split; test: Split } | undefined {
  const pair = (train: number | null, test: number | null, split: (n: number | null) => Split) => ({ train: split(train), test: split(test) });
  switch (name) {
    case 'mnist':
    case 'fashion_mnist':
      return pair(60000, 10000, (n) => ({ x: [n, 28, 28], xDtype: 'int', y: [n], yDtype: 'int', classes: 10 }));
    case 'cifar10':
      return pair(50000, 10000, (n) => ({ x: [n, 32, 32, 3], xDtype: 'int', y: [n, 1], yDtype: 'int', classes: 10, images: true }));
    case 'cifar100': {
      const mode = argument(call, 'label_mode', 0);
      const classes = mode === undefined || (mode.kind === 'string' && mode.value === 'fine') ? 100 : mode.kind === 'string' && mode.value === 'coarse' ? 20 : undefined;
      return pair(50000, 10000, (n) => ({ x: [n, 32, 32, 3], xDtype: 'int', y: [n, 1], yDtype: 'int', classes, images: true }));
    }
    case 'imdb': {
      // older versions drop the reviews longer than maxlen
      const count = call.kwargs.has('maxlen') ? null : 25000;
      return pair(count, count, (n) => ({ x: [n, null], xDtype: 'int', y: [n], yDtype: 'int', classes: 2 }));
    }
    case 'reuters':
      return pair(null, null, (n) => ({ x: [n, null], xDtype: 'int', y: [n], yDtype: 'int', classes: 46 }));
    case 'boston_housing':
      return pair(null, null, (n) => ({ x: [n, 13], xDtype: 'float', y: [n], yDtype: 'float' }));
    default:
      return undefined;
  }
}

function loadData(name: string): DatasetFunction {
  return (call, context) => {
    const splits = kerasDataset(name, call);
    if (!splits) return undefined;
    const part = (split: Split) => {
      const x = split.images && context.channelsFirstMentioned ? UNKNOWN_VALUE : arrayOf(split.x, split.xDtype, call.node);
      return seq([x, arrayOf(split.y, split.yDtype, call.node, split.classes)], true);
    };
    return seq([part(splits.train), part(splits.test)], true);
  };
}

/**
 * The TensorFlow 1 tutorial's `input_data.read_data_sets(dir, one_hot=…)`: MNIST as `train`
 * (55,000 images by default), `validation` and `test` sets whose images are float (n, 784), or
 * (n, 28, 28, 1) with reshape=False, and whose labels are (n,) integers or (n, 10) one-hot rows.
 */
function readDataSets(call: CallSite): Value {
  const flag = (name: string, position: number, fallback: boolean) => {
    const value = argument(call, name, position);
    return value === undefined ? fallback : value.kind === 'bool' ? value.value : undefined;
  };
  const oneHot = flag('one_hot', 2, false);
  const flat = flag('reshape', 4, true);
  const validation = call.kwargs.has('validation_size') ? numberOf(call.kwargs.get('validation_size')) : 5000;
  const dtype = call.kwargs.has('dtype') ? dtypeOf(call.kwargs.get('dtype')) : 'float';
  const set = (n: number | null): Value => {
    const images = flat === undefined || !dtype ? UNKNOWN_VALUE : arrayOf(flat ? [n, 784] : [n, 28, 28, 1], dtype, call.node);
    const labels = oneHot === undefined ? UNKNOWN_VALUE : oneHot ? oneHotRows(arrayOf([n, 10], 'float', call.node)) : arrayOf([n], 'int', call.node, 10);
    return { kind: 'dataset', item: seq([sample(images), sample(labels)], true), batched: false, fields: new Map([['images', images], ['labels', labels], ['num_examples', n === null ? UNKNOWN_VALUE : num(n)]]) };
  };
  return {
    kind: 'dict',
    entries: new Map([
      ['train', set(validation === undefined ? null : 60000 - validation)],
      ['validation', set(validation ?? null)],
      ['test', set(10000)],
    ]),
  };
}

/** One row of an array: what a dataset of it yields per sample. */
function sample(value: Value): Value {
  return value.kind === 'array' ? derived(value, value.shape.slice(1)) : UNKNOWN_VALUE;
}

/** A batch of `size` samples: what a loader yields. */
function batchOf(value: Value, size: number | null): Value {
  if (value.kind === 'array') return derived(value, [size, ...value.shape]);
  if (value.kind === 'seq') return seq(value.items.map((item) => batchOf(item, size)), value.tuple);
  return UNKNOWN_VALUE;
}

/** (batch, height, width, channels) images of `target_size` in `color_mode`, channels first when the data format says so. */
function imageBatch(call: CallSite, sizeName: string, batch: number | null, channelsFirst: boolean | undefined, at: PyNode): Value {
  const size = argument(call, sizeName);
  const [height, width] = size === undefined ? [256, 256] : size.kind === 'seq' && size.items.length === 2 ? size.items.map((d) => numberOf(d) ?? null) : [undefined, undefined];
  const mode = argument(call, 'color_mode');
  const channels = mode === undefined ? 3 : mode.kind === 'string' ? { grayscale: 1, rgb: 3, rgba: 4 }[mode.value] : undefined;
  if (height === undefined || width === undefined || channels === undefined || channelsFirst === undefined) return UNKNOWN_VALUE;
  return arrayOf(channelsFirst ? [batch, channels, height, width] : [batch, height, width, channels], 'float', at);
}

/** Keras' default channels-last, unless the call or the file says otherwise: undefined when footgun cannot tell. */
function channelsFirst(call: CallSite | undefined, context: DataContext): boolean | undefined {
  const format = call ? argument(call, 'data_format') : undefined;
  if (format?.kind === 'string') return format.value === 'channels_first';
  if (format !== undefined && format.kind !== 'none') return undefined;
  return context.channelsFirstMentioned ? undefined : false;
}

function batchSize(call: CallSite, fallback: number | null): number | null | undefined {
  const given = argument(call, 'batch_size');
  if (given === undefined) return fallback;
  return given.kind === 'none' ? undefined : (numberOf(given) ?? null);
}

/**
 * `ImageDataGenerator(...).flow_from_directory(dir, target_size, class_mode=…)`: batches of images
 * with labels: 'categorical' one-hot rows (one per class folder), 'binary' and 'sparse' class ids
 * (b,), 'input' the images again, None no labels.
 */
function flowFromDirectory(generator: CallSite, call: CallSite, context: DataContext): Value {
  const size = batchSize(call, 32);
  if (size === undefined) return UNKNOWN_VALUE;
  const images = imageBatch(call, 'target_size', size, channelsFirst(generator, context), call.node);
  const mode = argument(call, 'class_mode');
  const name = mode === undefined ? 'categorical' : mode.kind === 'none' ? 'none' : mode.kind === 'string' ? mode.value : undefined;
  const labels =
    name === 'categorical' ? oneHotRows(arrayOf([size, null], 'float', call.node))
    // class ids, stored as float32
    : name === 'binary' ? arrayOf([size], 'int', call.node, 2)
    : name === 'sparse' ? arrayOf([size], 'int', call.node)
    : name === 'input' ? images
    : undefined;
  return { kind: 'dataset', item: name === 'none' ? images : labels ? seq([images, labels], true) : UNKNOWN_VALUE, batched: true };
}

/** `ImageDataGenerator(...).flow(x, y, batch_size=32)`: batches of the arrays given. */
function flow(call: CallSite): Value {
  const size = batchSize(call, 32);
  const x = argument(call, 'x', 0);
  const y = argument(call, 'y', 1);
  if (size === undefined || x?.kind !== 'array') return UNKNOWN_VALUE;
  const item = y === undefined || y.kind === 'none' ? sample(x) : seq([sample(x), sample(y)], true);
  return { kind: 'dataset', item: batchOf(item, size), batched: true };
}

/**
 * `image_dataset_from_directory(dir, label_mode=…, image_size=(256, 256), batch_size=32)`: a
 * tf.data.Dataset of images with 'int' labels (b,), 'categorical' rows (b, classes) or 'binary'
 * (b, 1) floats; `subset='both'` returns the training and validation datasets.
 */
function imageDatasetFromDirectory(call: CallSite, context: DataContext): Value {
  const size = batchSize(call, 32);
  const images = imageBatch(call, 'image_size', size ?? null, channelsFirst(call, context), call.node);
  const labelsGiven = argument(call, 'labels', 1);
  const mode = labelsGiven?.kind === 'none' ? { kind: 'none' as const } : (argument(call, 'label_mode', 2) ?? str('int'));
  const name = mode.kind === 'none' ? 'none' : mode.kind === 'string' ? mode.value : undefined;
  const labels =
    name === 'int' ? arrayOf([size ?? null], 'int', call.node)
    : name === 'categorical' ? oneHotRows(arrayOf([size ?? null, null], 'float', call.node))
    : name === 'binary' ? arrayOf([size ?? null, 1], 'float', call.node)
    : undefined;
  const batch = name === 'none' ? images : labels ? seq([images, labels], true) : UNKNOWN_VALUE;
  // batch_size=None yields single images
  const dataset: Value = size === undefined ? { kind: 'dataset', item: sampleOf(batch), batched: false } : { kind: 'dataset', item: batch, batched: true };
  const subset = argument(call, 'subset');
  return subset?.kind === 'string' && subset.value === 'both' ? seq([dataset, dataset]) : dataset;
}

function sampleOf(value: Value): Value {
  return value.kind === 'seq' ? seq(value.items.map(sample), value.tuple) : sample(value);
}

/** `tf.data.Dataset.from_tensor_slices((x, y))`, `TensorDataset(x, y)`: one sample per row. */
function slices(value: Value | undefined): Value {
  if (value?.kind === 'array') return sample(value);
  if (value?.kind === 'seq') return seq(value.items.map(slices), value.tuple);
  return UNKNOWN_VALUE;
}

/** PyTorch's `DataLoader(dataset, batch_size=1)`: batches of the dataset's samples. */
function dataLoader(call: CallSite): Value | undefined {
  const dataset = argument(call, 'dataset', 0);
  if (dataset?.kind !== 'dataset' || dataset.batched) return undefined;
  const size = argument(call, 'batch_size', 1);
  if (size?.kind === 'none') return undefined;
  return { kind: 'dataset', item: batchOf(dataset.item, size === undefined ? 1 : (numberOf(size) ?? null)), batched: true, fields: new Map([['dataset', dataset]]) };
}

/** A constructor whose object footgun follows: its methods make the data (`ImageDataGenerator(...).flow(...)`). */
function objectOf(path: string): DatasetFunction {
  return (call) => ({ kind: 'object', path, call });
}

const DATASETS: Record<string, DatasetFunction> = {
  'tensorflow.examples.tutorials.mnist.input_data.read_data_sets': readDataSets,
  'tensorflow.contrib.learn.python.learn.datasets.mnist.read_data_sets': readDataSets,
  'keras.preprocessing.image.ImageDataGenerator': objectOf('keras.preprocessing.image.ImageDataGenerator'),
  'keras.utils.image_dataset_from_directory': imageDatasetFromDirectory,
  'keras.preprocessing.image_dataset_from_directory': imageDatasetFromDirectory,
  'tensorflow.data.Dataset.from_tensor_slices': (call) => ({ kind: 'dataset', item: slices(argument(call, 'tensors', 0)), batched: false }),
  'torch.utils.data.TensorDataset': (call) => (call.hasSplat ? undefined : { kind: 'dataset', item: slices(seq(call.args, true)), batched: false }),
  'torch.utils.data.DataLoader': dataLoader,
  'torch.utils.data.random_split': (call) => {
    const dataset = argument(call, 'dataset', 0);
    const lengths = argument(call, 'lengths', 1);
    return dataset?.kind === 'dataset' && lengths?.kind === 'seq' ? seq(lengths.items.map(() => dataset)) : undefined;
  },
};
for (const name of ['mnist', 'fashion_mnist', 'cifar10', 'cifar100', 'imdb', 'reuters', 'boston_housing']) DATASETS[`keras.datasets.${name}.load_data`] = loadData(name);
for (const name of ['TensorDataset', 'DataLoader']) DATASETS[`torch.utils.data.${name === 'DataLoader' ? 'dataloader' : 'dataset'}.${name}`] = DATASETS[`torch.utils.data.${name}`]!;

const DATASET_MAP = new Map(Object.entries(DATASETS));

export function datasetFunction(path: string): DatasetFunction | undefined {
  return DATASET_MAP.get(path);
}

/** Methods of the objects made above: a generator's `flow_from_directory`, a tf.data pipeline's `batch`. */
export function datasetObjectMethod(object: Extract<Value, { kind: 'object' }>, name: string, call: CallSite, context: DataContext): Value | undefined {
  if (object.path !== 'keras.preprocessing.image.ImageDataGenerator') return undefined;
  if (name === 'flow_from_directory') return flowFromDirectory(object.call, call, context);
  if (name === 'flow') return flow(call);
  return undefined;
}

/** tf.data pipeline steps that keep the elements; `batch(b)` groups them. */
const SAME_ELEMENTS = new Set(['shuffle', 'prefetch', 'cache', 'repeat', 'take', 'skip', 'with_options', 'apply_options']);

export function datasetMethod(dataset: Dataset, name: string, call: CallSite): Value | undefined {
  if (SAME_ELEMENTS.has(name)) return dataset;
  if (name === 'batch' && !dataset.batched) {
    const size = argument(call, 'batch_size', 0);
    return size ? { kind: 'dataset', item: batchOf(dataset.item, numberOf(size) ?? null), batched: true } : undefined;
  }
  if (name === 'next_batch' && !dataset.batched) {
    const size = argument(call, 'batch_size', 0);
    return size ? batchOf(dataset.item, numberOf(size) ?? null) : undefined;
  }
  return undefined;
}

export function datasetAttribute(dataset: Dataset, name: string): Value {
  return dataset.fields?.get(name) ?? { kind: 'method', target: dataset, name };
}

/**
 * A generator function's batches, when every `yield` gives arrays of the same shapes
 * (`yield x[idx], y[idx]`); anything else it yields is unknown.
 */
export function generatorOf(yields: Value[]): Value {
  const shapes = (value: Value): string => (value.kind === 'array' ? JSON.stringify(value.shape) : value.kind === 'seq' ? `(${value.items.map(shapes).join(',')})` : '?');
  const key = shapes(yields[0]!);
  if (key.includes('?') || yields.some((value) => shapes(value) !== key)) return UNKNOWN_VALUE;
  return { kind: 'dataset', item: yields[0]!, batched: true };
}

/** The arrays of one batch: `(x, y)`, `(x, y, sample_weight)` or the inputs alone. */
export function batchArrays(dataset: Dataset): { x?: ArrayValue; y?: ArrayValue } {
  if (!dataset.batched) return {};
  const item = dataset.item;
  if (item.kind === 'array') return { x: item };
  if (item.kind !== 'seq') return {};
  const [x, y] = item.items;
  return { x: x?.kind === 'array' ? x : undefined, y: y?.kind === 'array' ? y : undefined };
}
