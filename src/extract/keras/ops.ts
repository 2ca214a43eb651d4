// Tensor functions Keras code calls between layers: `keras.ops` (Keras 3), `keras.backend` (`K.*`,
// Keras 2), TensorFlow's (`tf.reshape`, `tf.math.*`, `tf.nn.*`) and `keras.activations`. Each
// becomes a weightless step whose shape rule footgun knows: an activation, a value-by-value
// operation, a merge, a reduction or a reshape. Custom layers' own weights (`add_weight`) take part
// in them: `ops.matmul(x, self.w) + self.b` is a dense projection with a bias.
import type { ArgValue } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import { syntheticLayer } from '../frontend-kit.js';
import type { Interpreter } from '../interpreter.js';
import { activationName } from '../normalise.js';
import type { CallSite, LayerObject, Value } from '../abstract/values.js';
import { argument, flattenTensors, str, toArg } from '../abstract/values.js';
import { weightUse } from './weights.js';

type Tensor = Extract<Value, { kind: 'tensor' }>;
type Weight = Extract<Value, { kind: 'weight' }>;
export type OpFamily = 'ops' | 'backend' | 'tf' | 'activations';

const ACTIVATIONS = new Set(['relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'gelu', 'silu', 'swish', 'elu', 'selu', 'softplus', 'softsign', 'leaky_relu', 'hard_sigmoid', 'hard_silu', 'hard_swish', 'mish', 'exponential']);
const VALUE_BY_VALUE = new Set([
  'abs', 'absolute', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'square', 'negative', 'sign', 'sin', 'cos', 'tan', 'erf', 'floor', 'ceil', 'round',
  'reciprocal', 'cast', 'clip', 'clip_by_value', 'stop_gradient', 'logical_not', 'nan_to_num', 'convert_to_tensor', 'identity', 'zeros_like', 'ones_like',
  'l2_normalize', 'normalize',
]);
/** functions of two tensors (or a tensor and a number) that broadcast, as merge layers where Keras has one */
export const BINARY_FUNCTIONS: Readonly<Record<string, { merge?: string; affine: boolean }>> = {
  add: { merge: 'Add', affine: true },
  subtract: { merge: 'Subtract', affine: true },
  multiply: { merge: 'Multiply', affine: true },
  divide: { affine: true },
  true_divide: { affine: true },
  truediv: { affine: true },
  maximum: { merge: 'Maximum', affine: false },
  minimum: { merge: 'Minimum', affine: false },
  power: { affine: false },
  pow: { affine: false },
  squared_difference: { affine: false },
};
const REDUCTIONS = new Set(['sum', 'mean', 'max', 'min', 'prod', 'std', 'var', 'logsumexp', 'any', 'all', 'argmax', 'argmin']);
const RENAMED: Record<string, string> = {
  reduce_sum: 'sum',
  reduce_mean: 'mean',
  reduce_max: 'max',
  reduce_min: 'min',
  reduce_prod: 'prod',
  reduce_std: 'std',
  reduce_variance: 'var',
  reduce_logsumexp: 'logsumexp',
  reduce_any: 'any',
  reduce_all: 'all',
  concat: 'concatenate',
  permute_dimensions: 'transpose',
  dot: 'matmul',
};
/** where `concatenate`/`stack` join when no axis is given */
const DEFAULT_JOIN_AXIS: Record<OpFamily, number> = { ops: 0, backend: -1, tf: 0, activations: 0 };

/** The value of a tensor function applied to Keras tensors, or undefined when it is not one footgun reads. */
export function tensorFunction(family: OpFamily, written: string, call: CallSite, interp: Interpreter): Value | undefined {
  const name = RENAMED[written] ?? written;
  const first = argument(call, 'x', 0) ?? call.kwargs.get('inputs') ?? call.kwargs.get('input') ?? call.kwargs.get('tensor') ?? call.kwargs.get('a');
  if (name === 'concatenate' || name === 'stack') return join(family, name, call, interp);
  if (family === 'activations' || (ACTIVATIONS.has(name) && family !== 'backend') || (family === 'backend' && ['relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'softplus', 'softsign', 'hard_sigmoid'].includes(name))) {
    if (!ACTIVATIONS.has(name) || !isTensor(first, interp)) return undefined;
    return interp.applyLayer(activation(name, call, interp), [first]);
  }
  const binary = BINARY_FUNCTIONS[name];
  if (binary) return combine(name, binary, first, argument(call, 'y', 1) ?? call.kwargs.get('b'), call.node, interp);
  if (name === 'matmul') return matmul(first, argument(call, 'y', 1) ?? call.kwargs.get('b'), call.node, interp);
  if (!isTensor(first, interp)) return undefined;
  if (name === 'shape' || name === 'int_shape') return interp.expressions.attribute(first, 'shape');
  if (VALUE_BY_VALUE.has(name)) return step('elementwise', written, call.node, interp, [first]);
  if (name === 'where') {
    const tensors = [first, argument(call, 'x1', 1), argument(call, 'x2', 2)].filter((value): value is Tensor => isTensor(value, interp));
    return step('broadcast', written, call.node, interp, tensors);
  }
  if (REDUCTIONS.has(name)) {
    const axis = toArg(argument(call, 'axis', 1) ?? call.kwargs.get('reduction_indices') ?? { kind: 'none' });
    const keepdims = toArg(argument(call, 'keepdims', 2) ?? call.kwargs.get('keep_dims') ?? { kind: 'bool', value: false });
    return step('reduce', written, call.node, interp, [first], { axis: name === 'argmax' || name === 'argmin' ? (axis ?? -1) : axis, keepdims: name === 'argmax' || name === 'argmin' ? false : keepdims });
  }
  if (name === 'expand_dims') return step('expand_dims', written, call.node, interp, [first], { axis: toArg(argument(call, 'axis', 1) ?? call.kwargs.get('dim') ?? { kind: 'unknown' }) });
  if (name === 'squeeze') return step('squeeze', written, call.node, interp, [first], { axis: toArg(argument(call, 'axis', 1) ?? { kind: 'none' }) });
  if (name === 'reshape') return reshape(first, argument(call, 'newshape', 1) ?? call.kwargs.get('shape'), call.node, interp);
  if (name === 'transpose') return transpose(first, argument(call, 'axes', 1) ?? call.kwargs.get('perm') ?? call.kwargs.get('pattern'), call.node, interp);
  if (name === 'batch_flatten') return interp.applyLayer(syntheticLayer('keras', 'batch_flatten', 'flatten', call.node, interp), [first]);
  return undefined;
}

function isTensor(value: Value | undefined, interp: Interpreter): value is Tensor {
  return value?.kind === 'tensor' && interp.graph.nodes[value.node]!.layer.framework === 'keras';
}

/** A weightless step with a shape rule of its own (kerasLayerShape reads `op`). */
function step(op: string, name: string, node: PyNode, interp: Interpreter, inputs: Tensor[], args: Record<string, ArgValue> = {}): Value {
  const rule: Record<string, ArgValue> = op === 'elementwise' ? { elementwise: true } : { op };
  return interp.applyLayer(syntheticLayer('keras', name, 'opaque', node, interp, { parameterless: true, ...rule, ...args }), inputs);
}

function activation(name: string, call: CallSite, interp: Interpreter): LayerObject {
  const layer = syntheticLayer('keras', 'Activation', 'activation', call.node, interp);
  layer.activation = activationName(str(name));
  const axis = argument(call, 'axis', 1);
  if (name.endsWith('softmax') && axis) layer.args.axis = toArg(axis);
  return layer;
}

/**
 * `ops.add(x, y)`, `x * self.gamma`: two tensors merge (broadcasting), a tensor and a number make an
 * affine step or a value-by-value one, and a tensor and a custom layer's weight are a scale or a
 * bias carrying that layer's weights.
 */
export function combine(name: string, binary: { merge?: string; affine: boolean }, left: Value | undefined, right: Value | undefined, node: PyNode, interp: Interpreter): Value | undefined {
  const leftTensor = isTensor(left, interp);
  const rightTensor = isTensor(right, interp);
  if (!leftTensor && !rightTensor) return undefined;
  if (leftTensor && rightTensor) {
    if (binary.merge) return interp.applyLayer(syntheticLayer('keras', binary.merge, 'merge', node, interp), [left, right]);
    return step('broadcast', name, node, interp, [left, right]);
  }
  const tensor = (leftTensor ? left : right) as Tensor;
  const other = leftTensor ? right : left;
  if (other?.kind === 'number') {
    // `1 / x` is not affine, `1 - x` is
    const affine = binary.affine && (leftTensor || !name.includes('div'));
    if (affine) return interp.applyLayer(syntheticLayer('keras', 'TensorOp', 'identity', node, interp), [tensor]);
    return step('elementwise', name, node, interp, [tensor]);
  }
  if (other?.kind === 'weight' && binary.affine && (leftTensor || !name.includes('div'))) {
    const layer = syntheticLayer('keras', name === 'add' || name === 'subtract' ? 'BiasAdd' : 'Scale', 'identity', node, interp, { weight_shape: other.shape });
    return interp.applyLayer(withWeights(layer, other, interp), [tensor]);
  }
  return other?.kind === 'weight' ? interp.opaque(name, 'keras', node, [tensor]) : undefined;
}

/** `ops.matmul(x, self.kernel)` is a dense projection; of two activations, a batched matrix product. */
function matmul(left: Value | undefined, right: Value | undefined, node: PyNode, interp: Interpreter): Value | undefined {
  if (!isTensor(left, interp)) return undefined;
  if (isTensor(right, interp)) return step('matmul', 'matmul', node, interp, [left, right]);
  if (right?.kind !== 'weight' || right.shape.length !== 2) return interp.opaque('matmul', 'keras', node, [left], right?.kind !== 'weight');
  const layer = syntheticLayer('keras', 'MatMul', 'dense', node, interp, { units: right.shape[1] ?? null, use_bias: false, kernel_shape: right.shape });
  layer.activation = 'linear';
  return interp.applyLayer(withWeights(layer, right, interp), [left]);
}

function withWeights(layer: LayerObject, weight: Weight, interp: Interpreter): LayerObject {
  const use = weightUse(weight, interp);
  layer.weightKey = use.key;
  layer.args.weight_count = use.count;
  return layer;
}

function join(family: OpFamily, name: string, call: CallSite, interp: Interpreter): Value | undefined {
  const items = argument(call, 'xs', 0) ?? call.kwargs.get('values') ?? call.kwargs.get('tensors') ?? call.kwargs.get('x');
  const tensors = flattenTensors(items);
  if (tensors.length === 0 || items?.kind !== 'seq' || tensors.length !== items.items.length || !tensors.every((t) => isTensor(t, interp))) return undefined;
  const axis = toArg(argument(call, 'axis', 1) ?? { kind: 'number', value: DEFAULT_JOIN_AXIS[family] });
  if (name === 'stack') return step('stack', name, call.node, interp, tensors, { axis });
  const layer = syntheticLayer('keras', 'Concatenate', 'merge', call.node, interp, { axis });
  return interp.applyLayer(layer, tensors);
}

/**
 * `ops.reshape(x, (-1, 7, 7, 32))`: the new shape includes the batch axis, which real code writes as
 * -1, None or `ops.shape(x)[0]`; any other first size leaves the result unknown.
 */
function reshape(tensor: Tensor, shape: Value | undefined, node: PyNode, interp: Interpreter): Value {
  const target = shape ? toArg(shape) : undefined;
  const batch = Array.isArray(target) ? target[0] : undefined;
  const batchAxis = batch === -1 || batch === null || (typeof batch === 'object' && !Array.isArray(batch));
  if (!Array.isArray(target) || !batchAxis || target.slice(1).some((size) => typeof size !== 'number')) return interp.opaque('reshape', 'keras', node, [tensor], true);
  return interp.applyLayer(syntheticLayer('keras', 'Reshape', 'reshape', node, interp, { target_shape: target.slice(1) }), [tensor]);
}

/** `ops.transpose(x, (0, 2, 1))` keeps the batch first: a Permute of the other axes. */
function transpose(tensor: Tensor, axes: Value | undefined, node: PyNode, interp: Interpreter): Value {
  const order = axes ? toArg(axes) : undefined;
  if (!Array.isArray(order) || order[0] !== 0 || order.some((axis) => typeof axis !== 'number')) return interp.opaque('transpose', 'keras', node, [tensor], true);
  return interp.applyLayer(syntheticLayer('keras', 'Permute', 'reshape', node, interp, { dims: order.slice(1) }), [tensor]);
}

