// Arrays as abstract values: NumPy arrays and PyTorch tensors made as data. What their methods,
// attributes, subscripts and operators give, with the shape arithmetic of src/shapes/arrays.ts.
// Anything footgun cannot follow gives `unknown`, so an array it reads is one it can vouch for.
import type { DType, Shape, ShapeOp } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import type { IndexKey } from '../../shapes/arrays.js';
import { broadcast, expandDims, flatten, index, normaliseAxis, reduceAxis, reshape, squeeze } from '../../shapes/arrays.js';
import type { ArrayValue, CallSite, Value } from './values.js';
import { UNKNOWN_SPREAD, UNKNOWN_VALUE, argument, num, numberOf, seq, symbolName } from './values.js';

type Prediction = Extract<Value, { kind: 'prediction' }>;

export function arrayOf(shape: Shape, dtype: DType | undefined, origin: PyNode | undefined, classes?: number): ArrayValue {
  const array: ArrayValue = { kind: 'array', shape };
  if (dtype && dtype !== 'unknown') array.dtype = dtype;
  if (origin) array.origin = origin;
  if (classes !== undefined && dtype === 'int') array.classes = classes;
  return array;
}

/** The same data in another shape or element type, made by `origin` (by default where the data was made): labels stay labels. */
export function derived(array: ArrayValue, shape: Shape, origin = array.origin, dtype = array.dtype): ArrayValue {
  const result = arrayOf(shape, dtype, origin, array.classes);
  if (array.oneHot) result.oneHot = true;
  return result;
}

/** Rows of one-hot class labels. */
export function oneHotRows(array: ArrayValue): ArrayValue {
  array.oneHot = true;
  return array;
}

function reshaped(array: ArrayValue, shape: Shape | undefined, origin: PyNode | undefined): Value {
  return shape ? derived(array, shape, origin ?? array.origin) : UNKNOWN_VALUE;
}

const DTYPE_NAMES: [RegExp, DType][] = [
  [/^(float|double|half|bfloat|complex)\d*$|^float_$|^(Float|Double|Half)Tensor$/, 'float'],
  [/^u?int\d*$|^int_$|^long$|^short$|^byte$|^(Long|Int|Short|Byte)Tensor$/, 'int'],
  [/^bool_?$|^BoolTensor$/, 'bool'],
];

/** The element kind a dtype names: `'float32'`, `np.float32`, `float`, `torch.long`, `'uint8'`. */
export function dtypeOf(value: Value | undefined): DType | undefined {
  const name = value?.kind === 'string' ? value.value : symbolName(value);
  if (!name) return undefined;
  for (const [pattern, dtype] of DTYPE_NAMES) if (pattern.test(name)) return dtype;
  return undefined;
}

/** A sequence of sizes written as arguments (`reshape(60000, 784)`) or as one tuple (`reshape((60000, 784))`). */
export function sizesOf(call: CallSite, from = 0): (number | null)[] | undefined {
  if (call.hasSplat) return undefined;
  const given = call.args.length === from + 1 && call.args[from]?.kind === 'seq' ? (call.args[from] as Extract<Value, { kind: 'seq' }>).items : call.args.slice(from);
  if (given.length === 0 || given.includes(UNKNOWN_SPREAD)) return undefined;
  return given.map((size) => numberOf(size) ?? null);
}

/** `x.shape` as a tuple, `x.ndim`, `x.T`; other attributes are methods called later. */
export function arrayAttribute(array: ArrayValue, name: string): Value {
  switch (name) {
    case 'shape':
      return seq(
        array.shape.map((size) => (size === null ? UNKNOWN_VALUE : num(size))),
        true,
      );
    case 'ndim':
      return num(array.shape.length);
    case 'T':
      return reshaped(array, [...array.shape].reverse(), undefined);
    case 'dtype':
    case 'device':
      return UNKNOWN_VALUE;
    default:
      return { kind: 'method', target: array, name };
  }
}

/** Reductions: `x.max()` is one number (a 0-d array, which scales like one), `x.mean(axis=0)` one per column. */
const REDUCTIONS = new Set(['mean', 'std', 'var', 'sum', 'max', 'min', 'amax', 'amin', 'nanmean', 'nanstd']);

export function reduced(name: string, array: ArrayValue, axis: Value | undefined, keepdims: Value | undefined, node: PyNode): Value {
  const dtype = /mean|std|var/.test(name) ? 'float' : array.dtype;
  if (axis === undefined || axis.kind === 'none') return arrayOf([], dtype, node);
  const index = numberOf(axis);
  const shape = index === undefined ? undefined : reduceAxis(array.shape, index, keepdims?.kind === 'bool' && keepdims.value);
  return shape ? arrayOf(shape, dtype, node) : UNKNOWN_VALUE;
}

const SAME_ARRAY = new Set(['copy', 'clone', 'detach', 'cpu', 'cuda', 'numpy', 'contiguous', 'requires_grad_', 'pin_memory']);
const TO_FLOAT = new Set(['float', 'double', 'half', 'bfloat16']);
const TO_INT = new Set(['long', 'int', 'short', 'byte', 'char']);

/** A method of a NumPy array or a PyTorch tensor made as data. */
export function arrayMethod(array: ArrayValue, name: string, call: CallSite): Value | undefined {
  const node = call.node;
  if (SAME_ARRAY.has(name)) return array;
  if (TO_FLOAT.has(name)) return array.dtype === 'float' ? array : arrayOf(array.shape, 'float', node);
  if (TO_INT.has(name)) return array.dtype === 'int' ? array : arrayOf(array.shape, 'int', node);
  if (name === 'bool') return arrayOf(array.shape, 'bool', node);
  if (REDUCTIONS.has(name)) return reduced(name, array, argument(call, call.kwargs.has('dim') ? 'dim' : 'axis', 0), argument(call, call.kwargs.has('keepdim') ? 'keepdim' : 'keepdims'), node);
  switch (name) {
    case 'astype':
    case 'to':
    case 'type': {
      // `x.to(device)` keeps the array; `x.to(torch.float32)`, `x.astype('int')` change its elements
      const dtype = dtypeOf(argument(call, 'dtype', 0));
      if (!dtype) return name === 'to' ? array : arrayOf(array.shape, 'unknown', node);
      return dtype === array.dtype ? array : derived(array, array.shape, node, dtype);
    }
    case 'reshape':
    case 'view': {
      const sizes = sizesOf(call);
      return sizes ? reshaped(array, reshape(array.shape, sizes), node) : UNKNOWN_VALUE;
    }
    case 'squeeze': {
      const axis = argument(call, name === 'squeeze' && call.kwargs.has('dim') ? 'dim' : 'axis', 0);
      return reshaped(array, squeeze(array.shape, axis ? numberOf(axis) : undefined), node);
    }
    case 'unsqueeze': {
      const axis = numberOf(argument(call, 'dim', 0));
      return axis === undefined ? UNKNOWN_VALUE : reshaped(array, expandDims(array.shape, axis), node);
    }
    case 'flatten':
    case 'ravel': {
      const start = numberOf(argument(call, 'start_dim', 0)) ?? 0;
      return reshaped(array, flatten(array.shape, name === 'ravel' ? 0 : start), node);
    }
    case 't':
      return array.shape.length <= 2 ? reshaped(array, [...array.shape].reverse(), node) : UNKNOWN_VALUE;
    case 'transpose':
    case 'permute':
      return reshaped(array, transposed(array.shape, name, call), node);
    case 'argmax':
    case 'argmin': {
      const axis = numberOf(argument(call, call.kwargs.has('dim') ? 'dim' : 'axis', 0));
      return (axis === undefined ? undefined : argExtreme(array, axis, node)) ?? UNKNOWN_VALUE;
    }
    case 'size':
      return call.args.length === 0 ? arrayAttribute(array, 'shape') : axisSize(array, numberOf(call.args[0]));
    case 'dim':
      return num(array.shape.length);
    default:
      return undefined;
  }
}

/** `scores.argmax(axis)`: class ids below the size of the axis reduced. */
export function argExtreme(array: ArrayValue, axis: number, node: PyNode): ArrayValue | undefined {
  const shape = reduceAxis(array.shape, axis);
  const size = array.shape[normaliseAxis(axis, array.shape.length) ?? -1];
  return shape ? arrayOf(shape, 'int', node, typeof size === 'number' ? size : undefined) : undefined;
}

function axisSize(array: ArrayValue, axis: number | undefined): Value {
  const index = axis === undefined ? undefined : normaliseAxis(axis, array.shape.length);
  const size = index === undefined ? null : array.shape[index];
  return size === null || size === undefined ? UNKNOWN_VALUE : num(size);
}

/** NumPy's `x.transpose(axes)` (all axes reversed by default), PyTorch's `x.transpose(0, 1)` (two swapped) and `x.permute(…)`. */
export function transposed(shape: Shape, name: string, call: CallSite, from = 0): Shape | undefined {
  const axes = sizesOf(call, from);
  if (!axes) return name === 'transpose' && call.args.length === from ? [...shape].reverse() : undefined;
  if (axes.some((axis) => axis === null)) return undefined;
  const indices = (axes as number[]).map((axis) => normaliseAxis(axis, shape.length));
  if (indices.some((i) => i === undefined)) return undefined;
  if (name === 'transpose' && indices.length === 2 && shape.length !== 2) {
    const [a, b] = indices as number[];
    return shape.map((size, i) => (i === a ? shape[b!]! : i === b ? shape[a!]! : size));
  }
  return indices.length === shape.length ? indices.map((i) => shape[i!]!) : undefined;
}

/** `x[:70]`, `x[:, :, None]`, `x[..., 0]`, `np.eye(10)[labels]`: `key` evaluates one key node. */
export function subscriptArray(array: ArrayValue, keyNodes: PyNode[], node: PyNode, key: (node: PyNode) => Value): Value {
  const keys: IndexKey[] = [];
  for (const keyNode of keyNodes) {
    const indexKey = indexKeyOf(keyNode, key);
    if (!indexKey) return UNKNOWN_VALUE;
    keys.push(indexKey);
  }
  const shape = index(array.shape, keys);
  // slicing and picking rows keep what the array is; `np.eye(k)[labels]` (one-hot encoding), `x[0]` or `x[..., None]` make another
  const slicing = keys.every((k) => k.kind === 'slice' || k.kind === 'ellipsis' || (k.kind === 'array' && (k.boolean || !array.oneHot)));
  return shape ? derived(array, shape, slicing ? (array.origin ?? node) : node) : UNKNOWN_VALUE;
}

function indexKeyOf(keyNode: PyNode, key: (node: PyNode) => Value): IndexKey | undefined {
  switch (keyNode.type) {
    case 'slice': {
      const parts = keyNode.text.split(':');
      const bounds = keyNode.namedChildren.map(key);
      let cursor = 0;
      const read = (text: string | undefined): number | undefined | null => {
        if (!text?.trim()) return undefined;
        const n = numberOf(bounds[cursor++]);
        return n === undefined ? null : n;
      };
      const [start, stop, step] = [read(parts[0]), read(parts[1]), read(parts[2])];
      if (start === null || stop === null || step === null) return { kind: 'slice', unknown: true };
      return { kind: 'slice', start, stop, step };
    }
    case 'ellipsis':
      return { kind: 'ellipsis' };
    case 'none':
      return { kind: 'newaxis' };
    default: {
      const value = key(keyNode);
      if (value.kind === 'none' || (value.kind === 'external' && value.path === 'numpy.newaxis')) return { kind: 'newaxis' };
      if (value.kind === 'number') return { kind: 'index' };
      if (value.kind === 'array') return { kind: 'array', shape: value.shape, boolean: value.dtype === 'bool' };
      if (value.kind === 'seq' && !value.items.includes(UNKNOWN_SPREAD) && value.items.every((item) => item.kind === 'number')) return { kind: 'array', shape: [value.items.length], boolean: false };
      return undefined;
    }
  }
}

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

/**
 * `x / 255.0`, `y - 1`, `a + b`, `x > 0.5`: elementwise, with NumPy broadcasting. A number keeps
 * the array's element kind unless it is a division or a float written as one (`y * 1.0`).
 */
export function arrayOperator(operator: string, left: Value, right: Value, node: PyNode): Value {
  const shapes: Shape[] = [];
  const dtypes: (DType | undefined)[] = [];
  for (const [operand, position] of [
    [left, 0],
    [right, 1],
  ] as const) {
    if (operand.kind === 'array') {
      shapes.push(operand.shape);
      dtypes.push(operand.dtype);
    } else if (operand.kind === 'number') {
      const text = node.namedChildren[position]?.text ?? '';
      dtypes.push(Number.isInteger(operand.value) && !/[.eE]/.test(text) ? 'int' : 'float');
    } else if (operand.kind === 'bool') {
      dtypes.push('bool');
    } else {
      return UNKNOWN_VALUE;
    }
  }
  const shape = shapes.length === 2 ? broadcast(shapes[0]!, shapes[1]!) : shapes[0];
  if (!shape) return UNKNOWN_VALUE;
  // scaling by a number or a 0-d array (`x / x.max()`) keeps the array
  const scalar = (value: Value) => value.kind !== 'array' || value.shape.length === 0;
  const array = left.kind === 'array' && (scalar(right) || !scalar(left)) ? left : (right as ArrayValue);
  const scaled = scalar(left) || scalar(right);
  if (COMPARISONS.has(operator)) return arrayOf(shape, 'bool', node);
  const [a, b] = dtypes;
  const dtype: DType | undefined =
    operator === '/' || a === 'float' || b === 'float' ? 'float' : a === undefined || b === undefined ? undefined : a === 'bool' && b === 'bool' ? 'bool' : 'int';
  // scaling keeps the array (and where it was made); mixing two arrays makes a new one
  if (scaled && dtype === array.dtype) return array;
  return arrayOf(shape, dtype, scaled ? array.origin : node);
}

/** What the code does to a model's output before its loss: `out.squeeze(1)`, `out.view(-1)`, `torch.sigmoid(out)`. */
export function predictionMethod(prediction: Prediction, name: string, call: CallSite): Value | undefined {
  if (SAME_ARRAY.has(name) || TO_FLOAT.has(name) || name === 'to' || name === 'type' || name === 'sigmoid' || name === 'softmax' || name === 'log_softmax') return prediction;
  const then = (op: ShapeOp): Value => ({ ...prediction, ops: [...prediction.ops, op] });
  switch (name) {
    case 'squeeze': {
      const axis = argument(call, call.kwargs.has('axis') ? 'axis' : 'dim', 0);
      if (axis && numberOf(axis) === undefined) return UNKNOWN_VALUE;
      return then({ op: 'squeeze', axis: axis ? numberOf(axis) : undefined });
    }
    case 'unsqueeze': {
      const axis = numberOf(argument(call, call.kwargs.has('axis') ? 'axis' : 'dim', 0));
      return axis === undefined ? UNKNOWN_VALUE : then({ op: 'unsqueeze', axis });
    }
    case 'view':
    case 'reshape': {
      const sizes = sizesOf(call);
      return sizes ? then({ op: 'reshape', shape: sizes }) : UNKNOWN_VALUE;
    }
    case 'flatten':
      return then({ op: 'flatten', start: numberOf(argument(call, 'start_dim', 0)) ?? 0 });
    default:
      return undefined;
  }
}
