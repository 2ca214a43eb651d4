import type { ArgValue, Layer, Model, Shape } from '../ir.js';
import { add, bias, commonShape, formatShape, ints, mul, num, product } from './arithmetic.js';
import { shapesEqual } from './arrays.js';
import type { LayerShape } from './infer.js';
import { inferShapes } from './infer.js';

const UNKNOWN_SHAPE: LayerShape = { output: null, params: null };

function channelsFirst(layer: Layer, model: Model): boolean {
  return (layer.args.data_format ?? model.dataFormat) === 'channels_first';
}

/** Splits a batch-first shape into its spatial dimensions and its channel count. */
function spatial(layer: Layer, model: Model, input: Shape, rank: number): { dims: (number | null)[]; channels: number | null; build: (dims: (number | null)[], channels: number | null) => Shape } | string {
  if (input.length !== rank + 2) {
    const axes = rank === 1 ? '(batch, steps, channels)' : rank === 2 ? '(batch, height, width, channels)' : '(batch, depth, height, width, channels)';
    return `${layer.type} expects a ${rank + 2}-D input ${axes}, but it receives ${formatShape(input)}.`;
  }
  const first = channelsFirst(layer, model);
  const dims = first ? input.slice(2) : input.slice(1, rank + 1);
  const channels = first ? input[1]! : input[rank + 1]!;
  return {
    dims,
    channels,
    build: (out, c) => (first ? [input[0]!, c, ...out] : [input[0]!, ...out, c]),
  };
}

/** Output length of a convolution or pooling window along one axis, Keras' formula. */
export function windowOutput(size: number | null, window: number | null, stride: number | null, dilation: number | null, padding: string): { size: number | null; collapsed: boolean } {
  if (size === null || window === null || stride === null || dilation === null) return { size: null, collapsed: false };
  if (padding === 'same' || padding === 'causal') return { size: Math.ceil(size / stride), collapsed: false };
  const effective = dilation * (window - 1) + 1;
  if (size < effective) return { size: null, collapsed: true };
  return { size: Math.floor((size - effective) / stride) + 1, collapsed: false };
}

/** 'valid' unless the layer says otherwise; null when the call sets it to something footgun cannot read. */
function paddingMode(layer: Layer): string | null {
  const padding = layer.args.padding;
  if (padding === undefined || padding === null) return 'valid';
  return typeof padding === 'string' ? padding : null;
}

function windowed(layer: Layer, model: Model, input: Shape, rank: number, window: (number | null)[], strides: (number | null)[], dilation: (number | null)[], outChannels: (c: number | null) => number | null): LayerShape {
  const split = spatial(layer, model, input, rank);
  if (typeof split === 'string') return { output: null, params: null, error: { kind: 'mismatch', message: split } };
  const padding = paddingMode(layer);
  if (padding === null) return { output: null, params: null };
  const out: (number | null)[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const result = windowOutput(split.dims[axis] ?? null, window[axis] ?? null, strides[axis] ?? null, dilation[axis] ?? null, padding);
    if (result.collapsed) {
      return {
        output: null,
        params: null,
        error: { kind: 'collapse', message: '', window: { axis, size: split.dims[axis]!, window: (dilation[axis] ?? 1) * ((window[axis] ?? 1) - 1) + 1 }, inputShape: input },
      };
    }
    if (result.size !== null && result.size <= 0) return { output: null, params: null, error: { kind: 'collapse', message: '', window: { axis, size: split.dims[axis]!, window: window[axis]! }, inputShape: input } };
    out.push(result.size);
  }
  return { output: split.build(out, outChannels(split.channels)), params: null };
}

export function kerasLayerShape(layer: Layer, inputs: Shape[], model: Model): LayerShape {
  const input = inputs[0]!;
  const rank = layer.rank ?? 2;
  const args = layer.args;
  if (layer.type === 'TimeDistributed') return timeDistributed(layer, input, model);
  switch (layer.kind) {
    case 'dense': {
      const units = typeof args.units === 'number' ? args.units : null;
      const features = input[input.length - 1] ?? null;
      if (input.length < 2) return UNKNOWN_SHAPE;
      // a custom layer's `ops.matmul(x, self.kernel)` carries that layer's own weights
      const params = 'weight_count' in args ? num(args.weight_count) : add(mul(features, units), bias(layer, units));
      return { output: [...input.slice(0, -1), units], params };
    }
    case 'conv': {
      const kernel = ints(args.kernel_size, rank, 1);
      const filters = typeof args.filters === 'number' ? args.filters : null;
      const result = windowed(layer, model, input, rank, kernel, ints(args.strides, rank, 1), ints(args.dilation_rate, rank, 1), () => filters);
      if (!result.output) return result;
      const split = spatial(layer, model, input, rank);
      const inChannels = typeof split === 'string' ? null : split.channels;
      const kernelArea = product(kernel);
      if (args.separable === true) {
        const multiplier = typeof args.depth_multiplier === 'number' ? args.depth_multiplier : 1;
        result.params = add(mul(kernelArea, inChannels, multiplier), mul(inChannels, multiplier, filters), bias(layer, filters));
      } else {
        const groups = typeof args.groups === 'number' ? args.groups : 1;
        result.params = add(mul(kernelArea, inChannels === null ? null : inChannels / groups, filters), bias(layer, filters));
      }
      return result;
    }
    case 'depthwise-conv': {
      const kernel = ints(args.kernel_size, rank, 1);
      const multiplier = typeof args.depth_multiplier === 'number' ? args.depth_multiplier : 1;
      const result = windowed(layer, model, input, rank, kernel, ints(args.strides, rank, 1), ints(args.dilation_rate, rank, 1), (c) => mul(c, multiplier));
      if (!result.output) return result;
      const split = spatial(layer, model, input, rank);
      const inChannels = typeof split === 'string' ? null : split.channels;
      result.params = add(mul(product(kernel), inChannels, multiplier), bias(layer, mul(inChannels, multiplier)));
      return result;
    }
    case 'conv-transpose': {
      const split = spatial(layer, model, input, rank);
      if (typeof split === 'string') return { output: null, params: null, error: { kind: 'mismatch', message: split } };
      const kernel = ints(args.kernel_size, rank, 1);
      const strides = ints(args.strides, rank, 1);
      const dilation = ints(args.dilation_rate, rank, 1);
      const filters = typeof args.filters === 'number' ? args.filters : null;
      if (paddingMode(layer) === null) return { output: null, params: null };
      const same = args.padding === 'same';
      const outputPadding = args.output_padding === null || args.output_padding === undefined ? undefined : ints(args.output_padding, rank, 0);
      const out = split.dims.map((size, axis) => {
        const k = kernel[axis] ?? null;
        const s = strides[axis] ?? null;
        const d = dilation[axis] ?? null;
        if (size === null || k === null || s === null || d === null) return null;
        const dilated = k + (k - 1) * (d - 1);
        if (outputPadding) {
          const pad = same ? Math.floor(dilated / 2) : 0;
          const extra = outputPadding[axis] ?? null;
          return extra === null ? null : (size - 1) * s + dilated - 2 * pad + extra;
        }
        return same ? size * s : size * s + Math.max(dilated - s, 0);
      });
      return { output: split.build(out, filters), params: add(mul(product(kernel), split.channels, filters), bias(layer, filters)) };
    }
    case 'pool': {
      const pool = ints(args.pool_size, rank, 2);
      const strides = args.strides === null || args.strides === undefined ? pool : ints(args.strides, rank, 1);
      const result = windowed(layer, model, input, rank, pool, strides, pool.map(() => 1), (c) => c);
      result.params = result.output ? 0 : null;
      return result;
    }
    case 'global-pool': {
      const split = spatial(layer, model, input, rank);
      if (typeof split === 'string') return { output: null, params: 0, error: { kind: 'mismatch', message: split } };
      const keep = args.keepdims === true;
      return { output: keep ? split.build(split.dims.map(() => 1), split.channels) : [input[0]!, split.channels], params: 0 };
    }
    case 'upsample': {
      const split = spatial(layer, model, input, rank);
      if (typeof split === 'string') return { output: null, params: 0, error: { kind: 'mismatch', message: split } };
      const size = ints(args.size, rank, 2);
      return { output: split.build(split.dims.map((d, i) => mul(d, size[i] ?? null)), split.channels), params: 0 };
    }
    case 'padding': {
      const split = spatial(layer, model, input, rank);
      if (typeof split === 'string') return { output: null, params: 0, error: { kind: 'mismatch', message: split } };
      const isCrop = layer.type.startsWith('Cropping');
      const amount = isCrop ? args.cropping : args.padding;
      const perAxis = (axis: number): number | null => {
        const value = Array.isArray(amount) ? amount[axis] : amount;
        if (typeof value === 'number') return value * 2;
        if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return (value as number[]).reduce((a, b) => a + b, 0);
        return null;
      };
      const out = split.dims.map((d, axis) => {
        const delta = perAxis(axis);
        return d === null || delta === null ? null : isCrop ? d - delta : d + delta;
      });
      return { output: split.build(out, split.channels), params: 0 };
    }
    case 'flatten':
      return { output: [input[0]!, product(input.slice(1))], params: 0 };
    case 'reshape':
      return reshape(layer, input);
    case 'dropout':
    case 'activation':
    case 'identity':
      if ('weight_count' in args) return { output: Array.isArray(args.weight_shape) ? broadcast([input, ints(args.weight_shape, 0, 0)]) : input, params: num(args.weight_count) };
      if (layer.type === 'Normalization') return { output: input, params: normalizationWeights(layer, input) };
      return { output: input, params: layer.type === 'PReLU' ? product(input.slice(1)) : 0 };
    case 'norm': {
      const channels = input[input.length - 1] ?? null;
      const groups = typeof args.groups === 'number' ? args.groups : null;
      if (layer.type === 'GroupNormalization' && args.axis === -1 && groups !== null && channels !== null && channels % groups !== 0) {
        const message = `GroupNormalization(groups=${groups}) splits the channels into ${groups} equal groups, but its input ${formatShape(input)} has ${channels} channels. Use a group count that divides ${channels}.`;
        return { output: null, params: null, error: { kind: 'mismatch', message } };
      }
      const perChannel = layer.type === 'BatchNormalization' ? 4 : layer.type === 'UnitNormalization' ? 0 : 2;
      const scaled = (args.center === false ? 0 : 1) + (args.scale === false ? 0 : 1);
      const factor = layer.type === 'BatchNormalization' ? 2 + scaled : layer.type === 'UnitNormalization' ? 0 : scaled;
      return { output: input, params: perChannel === 0 ? 0 : mul(channels, factor) };
    }
    case 'merge':
      return merge(layer, inputs);
    case 'embedding': {
      const inputDim = typeof args.input_dim === 'number' ? args.input_dim : null;
      const outputDim = typeof args.output_dim === 'number' ? args.output_dim : null;
      return { output: [...input, outputDim], params: mul(inputDim, outputDim) };
    }
    case 'recurrent':
      return recurrent(layer, input);
    case 'attention':
      return layer.type === 'MultiHeadAttention' ? multiHeadAttention(layer, inputs) : { output: input, params: null };
    default:
      // an operation footgun cannot name but knows to act value by value (`Lambda(lambda x: ops.exp(x))`)
      if (args.elementwise === true) return { output: input, params: 0 };
      // a value made under a condition footgun cannot decide: what every alternative has in common
      if (args.branch === true) return { output: commonShape(inputs), params: args.alternatives === true ? null : 0 };
      return typeof args.op === 'string' ? { output: tensorOperation(args.op, layer, inputs), params: 0 } : UNKNOWN_SHAPE;
  }
}

/** The batch axis, when an operation would move or fold it: footgun does not follow that. */
function axisOf(axis: ArgValue | undefined, rank: number): number | null {
  if (typeof axis !== 'number') return null;
  const normal = axis < 0 ? rank + axis : axis;
  return normal > 0 && normal < rank ? normal : null;
}

/** Shapes of the tensor functions of `keras.ops`, `K.*` and `tf.*` (see extract/keras/ops.ts). */
function tensorOperation(op: string, layer: Layer, inputs: Shape[]): Shape | null {
  const input = inputs[0]!;
  const args = layer.args;
  switch (op) {
    case 'broadcast':
      return broadcast(inputs);
    case 'reduce': {
      const axes = (Array.isArray(args.axis) ? args.axis : [args.axis ?? null]).map((axis) => axisOf(axis, input.length));
      if (axes.some((axis) => axis === null)) return null;
      return args.keepdims === true ? input.map((size, axis) => (axes.includes(axis) ? 1 : size)) : input.filter((_, axis) => !axes.includes(axis));
    }
    case 'expand_dims': {
      const axis = axisOf(args.axis, input.length + 1);
      return axis === null ? null : [...input.slice(0, axis), 1, ...input.slice(axis)];
    }
    case 'squeeze': {
      if (args.axis === null || args.axis === undefined) return input.slice(1).every((size) => size !== null) ? [input[0]!, ...input.slice(1).filter((size) => size !== 1)] : null;
      const axis = axisOf(args.axis, input.length);
      return axis === null || input[axis] !== 1 ? null : input.filter((_, index) => index !== axis);
    }
    case 'stack': {
      const axis = axisOf(args.axis, input.length + 1);
      const same = inputs.every((shape) => shapesEqual(shape, input));
      return axis === null || !same ? null : [...input.slice(0, axis), inputs.length, ...input.slice(axis)];
    }
    case 'matmul': {
      const [left, right] = inputs as [Shape, Shape | undefined];
      if (!right || left.length < 2 || right.length < 2 || right.length > left.length) return null;
      return [...left.slice(0, -1), right[right.length - 1]!];
    }
    default:
      return null;
  }
}

/** NumPy broadcasting from the last axis; a pair of sizes that cannot broadcast leaves the result unknown. */
function broadcast(shapes: Shape[]): Shape | null {
  const rank = Math.max(...shapes.map((shape) => shape.length));
  const out: Shape = [];
  for (let fromEnd = 1; fromEnd <= rank; fromEnd++) {
    const sizes = shapes.map((shape) => (fromEnd <= shape.length ? shape[shape.length - fromEnd]! : 1));
    const known = sizes.filter((size): size is number => size !== null && size !== 1);
    if (new Set(known).size > 1) return null;
    out.unshift(known[0] ?? (sizes.some((size) => size === null) ? null : 1));
  }
  return out;
}

/**
 * `TimeDistributed(layer)` applies the layer to every step of axis 1 with the same weights: the
 * layer sees (batch, …rest) and the steps axis is put back in its output (keras/src/layers/rnn/time_distributed.py).
 */
function timeDistributed(layer: Layer, input: Shape, model: Model): LayerShape {
  if (input.length < 3) {
    return { output: null, params: null, error: { kind: 'mismatch', message: `TimeDistributed applies its layer to every step of axis 1, so it needs an input of at least 3 dimensions (batch, steps, …), but it receives ${formatShape(input)}.` } };
  }
  if (!layer.wrapped) return UNKNOWN_SHAPE;
  const inner = kerasLayerShape(layer.wrapped, [[input[0]!, ...input.slice(2)]], model);
  return { output: inner.output && [inner.output[0]!, input[1]!, ...inner.output.slice(1)], params: inner.params, error: inner.error };
}

/**
 * `mha(query, value, key=value)`: query, key and value are each projected to `num_heads` heads of
 * `key_dim` (`value_dim` for the value) features, and the heads back to `output_shape` features
 * (the query's by default), every projection with a bias unless `use_bias=False`.
 */
function multiHeadAttention(layer: Layer, inputs: Shape[]): LayerShape {
  const [query, value = query, key = value] = inputs as [Shape, Shape?, Shape?];
  const args = layer.args;
  const heads = typeof args.num_heads === 'number' ? args.num_heads : null;
  const keyDim = typeof args.key_dim === 'number' ? args.key_dim : null;
  const valueDim = typeof args.value_dim === 'number' ? args.value_dim : keyDim;
  const requested = Array.isArray(args.output_shape) && args.output_shape.length === 1 ? args.output_shape[0] : args.output_shape;
  if (requested !== undefined && requested !== null && typeof requested !== 'number') return UNKNOWN_SHAPE;
  const outputDim = typeof requested === 'number' ? requested : (query[query.length - 1] ?? null);
  const project = (features: number | null, width: number | null) => add(mul(features, heads, width), bias(layer, mul(heads, width)));
  const params = add(
    project(query[query.length - 1] ?? null, keyDim),
    project(key[key.length - 1] ?? null, keyDim),
    project(value[value.length - 1] ?? null, valueDim),
    mul(heads, valueDim, outputDim),
    bias(layer, outputDim),
  );
  return { output: [...query.slice(0, -1), outputDim], params };
}

function recurrent(layer: Layer, input: Shape): LayerShape {
  if (input.length !== 3) {
    return { output: null, params: null, error: { kind: 'mismatch', message: `${layer.type} expects a 3-D input (batch, timesteps, features), but it receives ${formatShape(input)}.` } };
  }
  const args = layer.args;
  const units = typeof args.units === 'number' ? args.units : null;
  const type = typeof args.wrapped_type === 'string' ? args.wrapped_type : layer.type;
  const features = input[2] ?? null;
  const core = add(mul(units, features), mul(units, units));
  let params: number | null;
  if (type === 'LSTM') params = mul(4, add(core, units));
  else if (type === 'GRU') params = mul(3, add(core, mul(args.reset_after === false ? 1 : 2, units)));
  else if (type === 'SimpleRNN') params = add(core, units);
  else params = null;
  const bidirectional = layer.type === 'Bidirectional';
  const outUnits = bidirectional && (args.merge_mode ?? 'concat') === 'concat' ? mul(units, 2) : units;
  if (bidirectional) params = mul(params, 2);
  const sequences = args.return_sequences === true;
  return { output: sequences ? [input[0]!, input[1]!, outUnits] : [input[0]!, outUnits], params };
}

function reshape(layer: Layer, input: Shape): LayerShape {
  const args = layer.args;
  if (layer.type === 'RepeatVector') return { output: [input[0]!, typeof args.n === 'number' ? args.n : null, input[1] ?? null], params: 0 };
  if (layer.type === 'Permute') {
    const dims = Array.isArray(args.dims) ? args.dims : null;
    if (!dims) return { output: null, params: 0 };
    return { output: [input[0]!, ...dims.map((d) => (typeof d === 'number' ? (input[d] ?? null) : null))], params: 0 };
  }
  const target = Array.isArray(args.target_shape) ? args.target_shape.map((d) => (typeof d === 'number' ? d : null)) : typeof args.target_shape === 'number' ? [args.target_shape] : null;
  if (!target) return { output: null, params: 0 };
  const total = product(input.slice(1));
  const known = target.filter((d) => d !== -1);
  const knownProduct = product(known);
  const inferredAxis = target.indexOf(-1);
  if (total === null || knownProduct === null) return { output: [input[0]!, ...target.map((d) => (d === -1 ? null : d))], params: 0 };
  if (inferredAxis >= 0) {
    if (knownProduct === 0 || total % knownProduct !== 0) {
      return { output: null, params: 0, error: { kind: 'mismatch', message: `Reshape cannot split ${total} values into ${formatShape(target.map((d) => (d === -1 ? null : d)))}: ${total} is not a multiple of ${knownProduct}.` } };
    }
    return { output: [input[0]!, ...target.map((d) => (d === -1 ? total / knownProduct : d))], params: 0 };
  }
  if (knownProduct !== total) {
    return { output: null, params: 0, error: { kind: 'mismatch', message: `Reshape to ${formatShape(target)} needs ${knownProduct} values per sample, but its input ${formatShape(input)} has ${total}.` } };
  }
  return { output: [input[0]!, ...target], params: 0 };
}

function merge(layer: Layer, inputs: Shape[]): LayerShape {
  if (inputs.length < 2) return { output: inputs[0] ?? null, params: 0 };
  if (layer.type === 'Concatenate') {
    const rank = inputs[0]!.length;
    if (inputs.some((s) => s.length !== rank)) {
      return { output: null, params: 0, error: { kind: 'mismatch', message: `Concatenate needs inputs of the same rank, but it receives ${inputs.map(formatShape).join(' and ')}.` } };
    }
    const rawAxis = typeof layer.args.axis === 'number' ? layer.args.axis : -1;
    const axis = rawAxis < 0 ? rank + rawAxis : rawAxis;
    const out: Shape = [];
    for (let i = 0; i < rank; i++) {
      const dims = inputs.map((s) => s[i] ?? null);
      if (i === axis) {
        out.push(dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a + b, 0));
      } else {
        const known = dims.filter((d): d is number => d !== null);
        if (new Set(known).size > 1) {
          return { output: null, params: 0, error: { kind: 'mismatch', message: `Concatenate along axis ${rawAxis} needs every other axis to match, but it receives ${inputs.map(formatShape).join(' and ')}.` } };
        }
        out.push(known[0] ?? null);
      }
    }
    return { output: out, params: 0 };
  }
  const rank = Math.max(...inputs.map((s) => s.length));
  if (inputs.some((s) => s.length !== rank)) {
    return { output: null, params: 0, error: { kind: 'mismatch', message: `${layer.type} needs inputs of the same shape, but it receives ${inputs.map(formatShape).join(' and ')}.` } };
  }
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const known = inputs.map((s) => s[i] ?? null).filter((d): d is number => d !== null && d !== 1);
    if (new Set(known).size > 1) {
      return { output: null, params: 0, error: { kind: 'mismatch', message: `${layer.type} needs inputs of the same shape, but it receives ${inputs.map(formatShape).join(' and ')}.` } };
    }
    const all = inputs.map((s) => s[i] ?? null);
    out.push(all.some((d) => d === null) ? (known[0] ?? null) : (known[0] ?? 1));
  }
  return { output: out, params: 0 };
}

export { formatShape };

/** A size given to the axes an input leaves `None`, to see which unknown sizes only come from them. */
const PROBE_SIZE = 257;

/**
 * A Dense layer sizes its kernel from its input's last axis, so Keras refuses to build it when that
 * axis is None ("The last dimension of the inputs to a Dense layer should be defined. Found None."
 * in Keras 2; "Shapes used to initialize variables must be fully-defined" in Keras 3): a `Flatten`
 * after an LSTM over `Input(shape=(None, 16))`, or after convolutions over `Input(shape=(None, None, 3))`.
 * Only Keras' own None counts: an axis the code writes as None. A size footgun could not read is
 * not None, so the model is shaped again with the None axes given a size, and an axis that becomes
 * known that way is None in Keras.
 */
/**
 * A Normalization layer given no `mean` and `variance` adapts them: it keeps a mean and a variance
 * for each position of its kept axes (`axis`, the last by default; none for `axis=None`) and a
 * count, all non-trainable weights (Keras' Normalization.build). Given them, it holds constants.
 */
function normalizationWeights(layer: Layer, input: Shape): number | null {
  const args = layer.args;
  if (args.mean !== undefined && args.mean !== null) return 0;
  const axes = args.axis === undefined ? [-1] : args.axis === null ? [] : Array.isArray(args.axis) ? args.axis : [args.axis];
  const kept = axes.map((axis) => (typeof axis === 'number' ? (input[axis < 0 ? input.length + axis : axis] ?? null) : null));
  const size = product(kept);
  return size === null ? null : 2 * size + 1;
}

export function checkUndefinedFeatures(model: Model): void {
  const declared = model.layers.filter((layer) => layer.kind === 'input' && Array.isArray(layer.args.none_axes));
  if (declared.length === 0 || !model.layers.some((layer) => layer.kind === 'dense')) return;
  const sized = (shape: Shape | null, layer: Layer): Shape | null => {
    const axes = layer.args.none_axes as number[];
    return shape && shape.map((size, axis) => (axes.includes(axis) ? PROBE_SIZE : size));
  };
  const probe: Model = {
    ...model,
    input: model.input && sized(model.input, declared[0]!),
    unwiredModules: [],
    layers: model.layers.map((layer) => {
      const args = { ...layer.args };
      if (layer.kind === 'input' && Array.isArray(args.none_axes)) {
        args.shape = sized(Array.isArray(layer.args.shape) ? (layer.args.shape as Shape) : layer.output, layer);
        delete args.none_axes;
      }
      return { ...layer, args, output: null, params: null, shapeError: undefined };
    }),
  };
  inferShapes(probe);
  for (const layer of model.layers) {
    // a custom layer's own matmul (`weight_count`) may have a kernel of a written size
    if (layer.kind !== 'dense' || 'weight_count' in layer.args || layer.shapeError || layer.inputs.length !== 1) continue;
    const producer = model.layers[layer.inputs[0]!]!;
    const input = producer.output;
    const features = probe.layers[producer.id]!.output;
    if (!input || !features || input[input.length - 1] !== null || features[features.length - 1] === null) continue;
    const source = declared[0]!.output;
    layer.shapeError = {
      kind: 'mismatch',
      inputShape: input,
      message:
        `${layer.type} sizes its kernel from its input's last axis, but ${producer.type} (line ${producer.range.line}) gives it ${formatShape(input)}: ` +
        `the model's input ${source ? `${formatShape(source)} ` : ''}leaves a size None, and it reaches that axis. Give the input a fixed size, or reduce the None axis first (GlobalAveragePooling, an LSTM without return_sequences).`,
    };
  }
}
