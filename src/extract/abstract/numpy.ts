// The array libraries' functions that make or reshape data: NumPy, PyTorch tensors made as data,
// TensorFlow/Keras constructors and label utilities, scikit-learn's splits. Each returns an array
// with its shape, element kind and origin, or undefined when it cannot read one: the call is then
// an unknown call (which keeps a model's tensors in its graph when they are what it was given).
import type { DType, Shape } from '../../ir.js';
import { concatenate, expandDims, flatten, reshape, squeeze, stack } from '../../shapes/arrays.js';
import { argExtreme, arrayOf, derived, dtypeOf, oneHotRows, reduced, sizesOf, transposed } from './arrays.js';
import type { ArrayValue, CallSite, Value } from './values.js';
import { UNKNOWN_SPREAD, UNKNOWN_VALUE, argument, argumentNode, numberOf, seq } from './values.js';

export type ArrayFunction = (call: CallSite) => Value | undefined;

const MAX_LITERAL_ITEMS = 100_000;

function arrayArgument(call: CallSite, name: string, position: number): ArrayValue | undefined {
  const value = argument(call, name, position);
  return value?.kind === 'array' ? value : undefined;
}

function axisArgument(call: CallSite, position: number, fallback: number | undefined, name = 'axis'): number | undefined {
  const value = argument(call, name, position);
  return value === undefined ? fallback : numberOf(value);
}

/** `np.zeros((100, 28, 28))`, `torch.randn(8, 3, 32, 32)`, `tf.random.normal([1, 32])`: data of a given size. */
function ofSize(dtype: DType, options: { keyword: string; sizesAsArguments: boolean; position?: number }): ArrayFunction {
  return (call) => {
    const given = call.kwargs.get(options.keyword);
    const sizes = given ? sizesList(given) : options.sizesAsArguments ? sizesOf(call) : sizesList(call.args[options.position ?? 0]);
    if (!sizes) return undefined;
    return arrayOf(sizes, dtypeOf(argument(call, 'dtype')) ?? dtype, call.node);
  };
}

function sizesList(value: Value | undefined): (number | null)[] | undefined {
  if (!value || value.kind === 'none') return undefined;
  if (value.kind === 'number') return [value.value];
  if (value.kind !== 'seq' || value.items.includes(UNKNOWN_SPREAD)) return undefined;
  return value.items.map((item) => numberOf(item) ?? null);
}

/** `np.random.uniform(low, high, size)`, `np.random.normal(loc, scale, size)`: the size is the third argument. */
function sampled(dtype: DType): ArrayFunction {
  return (call) => {
    const sizes = sizesList(argument(call, 'size', 2));
    return sizes ? arrayOf(sizes, dtype, call.node) : undefined;
  };
}

/** `np.random.randint(0, 2, 100)` and `np.random.randint(10, size=(100, 1))`: integers below `high` (or `low` alone). */
function randomIntegers(call: CallSite): Value | undefined {
  const sizes = sizesList(argument(call, 'size', 2));
  if (!sizes) return undefined;
  const low = numberOf(argument(call, 'low', 0));
  const high = argument(call, 'high', 1);
  const bound = high && high.kind !== 'none' ? numberOf(high) : low;
  const classes = bound !== undefined && (low === undefined || low >= 0 || high === undefined) ? bound : undefined;
  return arrayOf(sizes, dtypeOf(argument(call, 'dtype')) ?? 'int', call.node, classes);
}

/** `torch.randint(0, 5, (N,))`, `torch.randint(5, (N,))`: the size is the tuple. */
function torchRandomIntegers(call: CallSite): Value | undefined {
  const sizeAt = call.args.findIndex((arg) => arg.kind === 'seq');
  const sizes = sizesList(call.kwargs.get('size') ?? call.args[sizeAt]);
  if (!sizes) return undefined;
  const bounds = call.args.slice(0, sizeAt < 0 ? call.args.length : sizeAt).map(numberOf);
  const high = numberOf(call.kwargs.get('high')) ?? bounds[bounds.length - 1];
  const low = bounds.length === 2 ? bounds[0] : 0;
  return arrayOf(sizes, dtypeOf(argument(call, 'dtype')) ?? 'int', call.node, low !== undefined && low >= 0 ? high : undefined);
}

/**
 * `np.array(...)`, `torch.tensor(...)` of a literal (nested lists give the shape; the text says
 * whether the numbers are floats) or of another array (the same shape).
 */
function fromData(defaultDtype: DType | undefined): ArrayFunction {
  return (call) => {
    const data = argument(call, 'data', 0) ?? argument(call, 'object', 0);
    const dtype = dtypeOf(argument(call, 'dtype')) ?? defaultDtype;
    if (data?.kind === 'array') return dtype && dtype !== data.dtype ? derived(data, data.shape, call.node, dtype) : data;
    if (data?.kind !== 'seq') return undefined;
    const nested = nestedShape(data);
    if (!nested) return undefined;
    const node = argumentNode(call, 'data', 0) ?? argumentNode(call, 'object', 0);
    return arrayOf(nested.shape, dtype ?? literalDtype(nested.leaves, node?.type === 'list' || node?.type === 'tuple' ? node.text : undefined), call.node);
  };
}

function nestedShape(value: Extract<Value, { kind: 'seq' }>): { shape: Shape; leaves: Value[] } | undefined {
  if (value.items.includes(UNKNOWN_SPREAD) || value.items.length > MAX_LITERAL_ITEMS) return undefined;
  const [first] = value.items;
  if (first?.kind === 'array') {
    const shape = stack(value.items.map((item) => (item.kind === 'array' ? item.shape : [])), 0);
    return shape && value.items.every((item) => item.kind === 'array') ? { shape, leaves: [first] } : undefined;
  }
  if (first?.kind !== 'seq') return value.items.every((item) => item.kind === 'number' || item.kind === 'bool') ? { shape: [value.items.length], leaves: value.items } : undefined;
  const inner = value.items.map((item) => (item.kind === 'seq' ? nestedShape(item) : undefined));
  const shape = inner[0]?.shape;
  if (!shape || inner.some((part) => !part || part.shape.length !== shape.length || part.shape.some((size, i) => size !== shape[i]))) return undefined;
  return { shape: [value.items.length, ...shape], leaves: inner.flatMap((part) => part!.leaves) };
}

function literalDtype(leaves: Value[], text: string | undefined): DType {
  if (leaves[0]?.kind === 'array') return leaves[0].dtype ?? 'unknown';
  if (leaves.every((leaf) => leaf.kind === 'bool')) return 'bool';
  if (leaves.some((leaf) => leaf.kind === 'number' && !Number.isInteger(leaf.value))) return 'float';
  // 1.0 reads as the number 1: only the source says it is a float
  if (text === undefined) return 'unknown';
  return /\d\.|\.\d|\d[eE]/.test(text) ? 'float' : 'int';
}

function likeArray(dtype?: DType): ArrayFunction {
  return (call) => {
    const array = arrayArgument(call, 'input', 0) ?? arrayArgument(call, 'a', 0);
    return array ? arrayOf(array.shape, dtypeOf(argument(call, 'dtype')) ?? dtype ?? array.dtype, call.node) : undefined;
  };
}

/** `np.eye(10)`: the identity, whose rows index as one-hot vectors (`np.eye(10)[labels]`). */
function eye(call: CallSite): Value | undefined {
  const n = numberOf(argument(call, 'N', 0) ?? argument(call, 'n', 0));
  const m = argument(call, 'M', 1) ?? argument(call, 'm', 1);
  if (n === undefined) return undefined;
  const columns = m && m.kind !== 'none' ? numberOf(m) : n;
  // its rows are one-hot vectors: `np.eye(10)[labels]` one-hot encodes the labels
  return columns === undefined ? undefined : oneHotRows(arrayOf([n, columns], dtypeOf(argument(call, 'dtype')) ?? 'float', call.node));
}

function withArray(transform: (array: ArrayValue, call: CallSite) => Shape | undefined, dtype?: (array: ArrayValue) => DType | undefined): ArrayFunction {
  return (call) => {
    const array = arrayArgument(call, 'a', 0) ?? arrayArgument(call, 'input', 0) ?? arrayArgument(call, 'x', 0);
    if (!array) return undefined;
    const shape = transform(array, call);
    if (!shape) return undefined;
    const kind = dtype ? dtype(array) : array.dtype;
    return arrayOf(shape, kind, call.node, kind === 'int' ? array.classes : undefined);
  };
}

function joined(how: 'concatenate' | 'stack', axisName = 'axis'): ArrayFunction {
  return (call) => {
    const list = argument(call, 'arrays', 0) ?? argument(call, 'tensors', 0);
    if (list?.kind !== 'seq' || list.items.length === 0 || list.items.some((item) => item.kind !== 'array')) return undefined;
    const arrays = list.items as ArrayValue[];
    const axis = axisArgument(call, 1, 0, axisName);
    if (axis === undefined) return undefined;
    const shape = how === 'concatenate' ? concatenate(arrays.map((a) => a.shape), axis) : stack(arrays.map((a) => a.shape), axis);
    const dtypes = new Set(arrays.map((a) => a.dtype));
    return shape ? arrayOf(shape, dtypes.size === 1 ? arrays[0]!.dtype : dtypes.has('float') ? 'float' : undefined, call.node) : undefined;
  };
}

/** `np.vstack` stacks 1-D arrays as rows and joins the rest along the first axis; `np.hstack` joins along the second (the first for 1-D). */
function sideBySide(vertical: boolean): ArrayFunction {
  return (call) => {
    const list = argument(call, 'tup', 0);
    if (list?.kind !== 'seq' || list.items.some((item) => item.kind !== 'array') || list.items.length === 0) return undefined;
    const shapes = (list.items as ArrayValue[]).map((a) => a.shape);
    const flat = shapes[0]!.length === 1;
    const shape = vertical ? (flat ? stack(shapes, 0) : concatenate(shapes, 0)) : concatenate(shapes, flat ? 0 : 1);
    return shape ? arrayOf(shape, (list.items[0] as ArrayValue).dtype, call.node) : undefined;
  };
}

function argExtremeOf(axisName: string): ArrayFunction {
  return (call) => {
    const array = arrayArgument(call, 'a', 0) ?? arrayArgument(call, 'input', 0);
    const axis = axisArgument(call, 1, undefined, axisName);
    return array && axis !== undefined ? argExtreme(array, axis, call.node) : undefined;
  };
}

/**
 * `to_categorical(y, k)`: one column per class, the classes axis last; a trailing axis of size 1
 * is dropped first, so (n, 1) labels give (n, k). Without `num_classes`, k is the largest label + 1.
 */
function toCategorical(call: CallSite): Value | undefined {
  const labels = argument(call, 'y', 0) ?? argument(call, 'x', 0);
  if (labels?.kind !== 'array') return undefined;
  const given = argument(call, 'num_classes', 1);
  const classes = given && given.kind !== 'none' ? (numberOf(given) ?? null) : (labels.classes ?? null);
  const base = labels.shape.length > 1 && labels.shape[labels.shape.length - 1] === 1 ? labels.shape.slice(0, -1) : labels.shape;
  return oneHotRows(arrayOf([...base, classes], dtypeOf(argument(call, 'dtype', 2)) ?? 'float', call.node));
}

/** `tf.one_hot(indices, depth)`, `F.one_hot(t, num_classes)`: a new last axis of that size. */
function oneHot(depthName: string, dtype: DType): ArrayFunction {
  return (call) => {
    const labels = argument(call, 'indices', 0) ?? argument(call, 'tensor', 0) ?? argument(call, 'input', 0);
    if (labels?.kind !== 'array') return undefined;
    const depth = argument(call, depthName, 1);
    const classes = depth && depth.kind !== 'none' ? (numberOf(depth) ?? null) : (labels.classes ?? null);
    return oneHotRows(arrayOf([...labels.shape, classes], dtypeOf(argument(call, 'dtype')) ?? dtype, call.node));
  };
}

/** `pad_sequences(seqs, maxlen=k)`: (len(seqs), k) integers. */
function padSequences(call: CallSite): Value {
  const sequences = argument(call, 'sequences', 0);
  const count = sequences?.kind === 'array' ? (sequences.shape[0] ?? null) : sequences?.kind === 'seq' && !sequences.items.includes(UNKNOWN_SPREAD) ? sequences.items.length : null;
  const maxlen = argument(call, 'maxlen', 1);
  return arrayOf([count, maxlen && maxlen.kind !== 'none' ? (numberOf(maxlen) ?? null) : null], dtypeOf(argument(call, 'dtype', 2)) ?? 'int', call.node);
}

/** `train_test_split(X, y, test_size=0.2)`: each array in two, the rows split, the other axes kept. */
function trainTestSplit(call: CallSite): Value | undefined {
  if (call.hasSplat || call.args.length === 0) return undefined;
  return seq(
    call.args.flatMap((array) => {
      const part = array.kind === 'array' ? derived(array, [null, ...array.shape.slice(1)]) : UNKNOWN_VALUE;
      return [part, part];
    }),
  );
}

/** `torch.Tensor(3, 4)` makes a tensor of that size; `torch.Tensor(data)` one from the data. */
function tensorClass(dtype: DType): ArrayFunction {
  return (call) => {
    const first = call.args[0];
    if (first?.kind === 'number') {
      const sizes = sizesOf(call);
      return sizes ? arrayOf(sizes, dtype, call.node) : undefined;
    }
    return fromData(dtype)(call);
  };
}

/** `np.reshape(a, newshape)`, `tf.reshape(t, shape)`. */
const reshapeArray = withArray((array, call) => {
  const sizes = sizesList(argument(call, 'newshape', 1) ?? argument(call, 'shape', 1));
  return sizes ? reshape(array.shape, sizes) : undefined;
});

/** `np.expand_dims(a, axis)`, `tf.expand_dims(t, axis)`. */
const expandArray = withArray((array, call) => {
  const axis = axisArgument(call, 1, undefined);
  return axis === undefined ? undefined : expandDims(array.shape, axis);
});

/** `np.squeeze(a, axis=None)`, `tf.squeeze(t, axis=None)`. */
const squeezeArray = withArray((array, call) => {
  const axis = argument(call, 'axis', 1);
  return squeeze(array.shape, axis && axis.kind !== 'none' ? numberOf(axis) : undefined);
});

const FLOAT_FUNCTIONS = ['exp', 'log', 'log1p', 'sqrt', 'sin', 'cos', 'tanh', 'floor', 'ceil'];
const KEEP_DTYPE_FUNCTIONS = ['abs', 'absolute', 'square', 'round', 'around', 'clip', 'negative', 'nan_to_num', 'copy', 'ascontiguousarray'];

const NUMPY: Record<string, ArrayFunction> = {
  'numpy.zeros': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'numpy.ones': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'numpy.empty': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'numpy.full': (call) => {
    const fill = argument(call, 'fill_value', 1);
    const text = argumentNode(call, 'fill_value', 1)?.text ?? '';
    const dtype = fill?.kind === 'number' && Number.isInteger(fill.value) && !/[.eE]/.test(text) ? 'int' : 'float';
    return ofSize(dtype, { keyword: 'shape', sizesAsArguments: false })(call);
  },
  'numpy.zeros_like': likeArray(),
  'numpy.ones_like': likeArray(),
  'numpy.empty_like': likeArray(),
  'numpy.random.rand': ofSize('float', { keyword: 'size', sizesAsArguments: true }),
  'numpy.random.randn': ofSize('float', { keyword: 'size', sizesAsArguments: true }),
  'numpy.random.random': ofSize('float', { keyword: 'size', sizesAsArguments: false }),
  'numpy.random.random_sample': ofSize('float', { keyword: 'size', sizesAsArguments: false }),
  'numpy.random.sample': ofSize('float', { keyword: 'size', sizesAsArguments: false }),
  'numpy.random.uniform': sampled('float'),
  'numpy.random.normal': sampled('float'),
  'numpy.random.randint': randomIntegers,
  'numpy.random.choice': (call) => {
    const sizes = sizesList(argument(call, 'size', 1));
    const pool = numberOf(argument(call, 'a', 0));
    return sizes ? arrayOf(sizes, pool === undefined ? undefined : 'int', call.node, pool) : undefined;
  },
  'numpy.array': fromData(undefined),
  'numpy.asarray': fromData(undefined),
  'numpy.eye': eye,
  'numpy.identity': eye,
  'numpy.arange': (call) => {
    const bounds = call.args.map(numberOf);
    if (call.hasSplat || bounds.length === 0 || bounds.length > 3 || bounds.some((b) => b === undefined)) return undefined;
    const [a, b, c] = bounds as number[];
    const [start, stop, step] = bounds.length === 1 ? [0, a!, 1] : [a!, b!, c ?? 1];
    if (step === 0) return undefined;
    const integers = [start, stop, step].every(Number.isInteger);
    return arrayOf([Math.max(0, Math.ceil((stop - start) / step))], dtypeOf(argument(call, 'dtype')) ?? (integers ? 'int' : 'float'), call.node);
  },
  'numpy.linspace': (call) => {
    const count = argument(call, 'num', 2);
    const n = count ? numberOf(count) : 50;
    return n === undefined ? undefined : arrayOf([n], 'float', call.node);
  },
  'numpy.reshape': reshapeArray,
  'numpy.expand_dims': expandArray,
  'numpy.squeeze': squeezeArray,
  'numpy.transpose': withArray((array, call) => transposed(array.shape, 'transpose', call, 1)),
  'numpy.ravel': withArray((array) => flatten(array.shape, 0)),
  'numpy.concatenate': joined('concatenate'),
  'numpy.stack': joined('stack'),
  'numpy.vstack': sideBySide(true),
  'numpy.row_stack': sideBySide(true),
  'numpy.hstack': sideBySide(false),
  'numpy.argmax': argExtremeOf('axis'),
  'numpy.argmin': argExtremeOf('axis'),
  'sklearn.model_selection.train_test_split': trainTestSplit,
  'sklearn.cross_validation.train_test_split': trainTestSplit,
  'keras.utils.to_categorical': toCategorical,
  'keras.utils.np_utils.to_categorical': toCategorical,
  'keras.utils.pad_sequences': padSequences,
  'keras.preprocessing.sequence.pad_sequences': padSequences,
  'tensorflow.one_hot': oneHot('depth', 'float'),
  'tensorflow.reshape': reshapeArray,
  'tensorflow.squeeze': squeezeArray,
  'tensorflow.expand_dims': expandArray,
  'tensorflow.convert_to_tensor': fromData(undefined),
  'tensorflow.constant': fromData(undefined),
  'tensorflow.zeros': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'tensorflow.ones': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'tensorflow.fill': ofSize('float', { keyword: 'dims', sizesAsArguments: false }),
  'tensorflow.random.normal': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'tensorflow.random.uniform': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'keras.ops.zeros': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'keras.ops.ones': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'keras.random.normal': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'keras.random.uniform': ofSize('float', { keyword: 'shape', sizesAsArguments: false }),
  'torch.randn': ofSize('float', { keyword: 'size', sizesAsArguments: true }),
  'torch.rand': ofSize('float', { keyword: 'size', sizesAsArguments: true }),
  'torch.zeros': ofSize('float', { keyword: 'size', sizesAsArguments: true }),
  'torch.ones': ofSize('float', { keyword: 'size', sizesAsArguments: true }),
  'torch.empty': ofSize('float', { keyword: 'size', sizesAsArguments: true }),
  'torch.full': (call) => {
    const sizes = sizesList(argument(call, 'size', 0));
    return sizes ? arrayOf(sizes, dtypeOf(argument(call, 'dtype')), call.node) : undefined;
  },
  'torch.randint': torchRandomIntegers,
  'torch.tensor': fromData(undefined),
  'torch.as_tensor': fromData(undefined),
  'torch.from_numpy': fromData(undefined),
  'torch.Tensor': tensorClass('float'),
  'torch.FloatTensor': tensorClass('float'),
  'torch.DoubleTensor': tensorClass('float'),
  'torch.LongTensor': tensorClass('int'),
  'torch.IntTensor': tensorClass('int'),
  'torch.BoolTensor': tensorClass('bool'),
  'torch.eye': eye,
  'torch.zeros_like': likeArray(),
  'torch.ones_like': likeArray(),
  'torch.randn_like': likeArray('float'),
  'torch.rand_like': likeArray('float'),
  'torch.cat': joined('concatenate', 'dim'),
  'torch.concat': joined('concatenate', 'dim'),
  'torch.stack': joined('stack', 'dim'),
  'torch.squeeze': withArray((array, call) => {
    const axis = argument(call, 'dim', 1);
    return squeeze(array.shape, axis ? numberOf(axis) : undefined);
  }),
  'torch.unsqueeze': withArray((array, call) => {
    const axis = axisArgument(call, 1, undefined, 'dim');
    return axis === undefined ? undefined : expandDims(array.shape, axis);
  }),
  'torch.flatten': withArray((array, call) => {
    const start = axisArgument(call, 1, 0, 'start_dim');
    return start === undefined ? undefined : flatten(array.shape, start);
  }),
  'torch.argmax': argExtremeOf('dim'),
  'torch.nn.functional.one_hot': oneHot('num_classes', 'int'),
};
for (const name of ['mean', 'std', 'var', 'sum', 'max', 'min', 'amax', 'amin']) {
  NUMPY[`numpy.${name}`] = (call) => {
    const array = arrayArgument(call, 'a', 0);
    return array ? reduced(name, array, argument(call, 'axis', 1), argument(call, 'keepdims'), call.node) : undefined;
  };
}
for (const name of FLOAT_FUNCTIONS) NUMPY[`numpy.${name}`] = withArray((array) => array.shape, () => 'float');
for (const name of KEEP_DTYPE_FUNCTIONS) NUMPY[`numpy.${name}`] = withArray((array) => array.shape);

const NUMPY_MAP = new Map(Object.entries(NUMPY));

export function arrayFunction(path: string): ArrayFunction | undefined {
  return NUMPY_MAP.get(path);
}
