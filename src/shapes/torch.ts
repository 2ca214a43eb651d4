import type { Layer, Shape } from '../ir.js';
import { add, bias, commonShape, formatTorchShape as formatShape, ints, mul, num, product } from './arithmetic.js';
import type { Size } from './symbolic.js';
import { BATCH, batchFactor, isSymbolic, multiplySizes, sameSize, sizeText } from './symbolic.js';
import type { LayerShape } from './infer.js';

// PyTorch's layout is (N, C, *spatial) and its parameter counts are those of
// sum(p.numel() for p in model.parameters()): batch-norm running statistics are buffers, not parameters.

function mismatch(message: string): LayerShape {
  return { output: null, params: null, error: { kind: 'mismatch', message } };
}

function expectRank(layer: Layer, input: Shape, rank: number): LayerShape | undefined {
  if (input.length === rank + 2) return undefined;
  const axes = rank === 1 ? '(N, C, L)' : rank === 2 ? '(N, C, H, W)' : '(N, C, D, H, W)';
  return mismatch(`${layer.name ? `self.${layer.name} (${layer.type})` : layer.type} expects a ${rank + 2}-D input ${axes}, but it receives ${formatShape(input)}.`);
}

function channelsCheck(layer: Layer, input: Shape, expected: number | null, what: string): LayerShape | undefined {
  const actual = input[1] ?? null;
  if (expected === null || actual === null || expected === actual) return undefined;
  const name = layer.name ? `self.${layer.name} (${layer.type})` : layer.type;
  if (input.length >= 3 && input[input.length - 1] === expected) {
    // (N, L, C) from an Embedding or a batch_first RNN, or (N, H, W, C) image data: channels last
    const fix = input.length === 3 ? 'x.transpose(1, 2)' : `x.permute(0, ${input.length - 1}, ${Array.from({ length: input.length - 2 }, (_, i) => i + 1).join(', ')})`;
    return mismatch(`${name} reads channels at dim 1, but its input ${formatShape(input)} has its ${expected} channels last: it would convolve over the wrong axis. Move the channels first with ${fix} before this layer.`);
  }
  return mismatch(`${name} expects ${expected} input channels (${what}=${expected}), but the layer before it produces ${actual}. Set ${what}=${actual}, or change the previous layer's output to ${expected}.`);
}

/** Output length of a convolution or pooling window along one axis, PyTorch's formula. */
function windowOutput(size: number | null, kernel: number | null, stride: number | null, padding: number | null, dilation: number | null, ceil: boolean): { size: number | null; collapsed: boolean } {
  if (size === null || kernel === null || stride === null || padding === null || dilation === null) return { size: null, collapsed: false };
  const span = size + 2 * padding - dilation * (kernel - 1) - 1;
  if (span < 0) return { size: null, collapsed: true };
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + padding) out -= 1;
  return out <= 0 ? { size: null, collapsed: true } : { size: out, collapsed: false };
}

function windowed(layer: Layer, input: Shape, rank: number, kernel: (number | null)[], outChannels: number | null): LayerShape {
  const args = layer.args;
  const strides = ints(args.strides, rank, 1);
  const dilation = ints(args.dilation_rate, rank, 1);
  const spatial = input.slice(2);
  let padding: (number | null)[];
  if (args.padding === 'same') padding = kernel.map((k, i) => (k === null || dilation[i] === null ? null : Math.floor((dilation[i]! * (k - 1)) / 2)));
  else if (args.padding === 'valid') padding = kernel.map(() => 0);
  else padding = ints(args.padding, rank, 0);
  const out: (number | null)[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const result = windowOutput(spatial[axis] ?? null, kernel[axis] ?? null, strides[axis] ?? null, padding[axis] ?? null, dilation[axis] ?? null, args.ceil_mode === true);
    if (result.collapsed) {
      const effective = (dilation[axis] ?? 1) * ((kernel[axis] ?? 1) - 1) + 1 - 2 * (padding[axis] ?? 0);
      return { output: null, params: null, error: { kind: 'collapse', message: '', window: { axis, size: spatial[axis]!, window: effective }, inputShape: input } };
    }
    out.push(args.padding === 'same' && result.size !== null ? spatial[axis]! : result.size);
  }
  return { output: [input[0]!, outChannels, ...out], params: null };
}

/**
 * Shapes whose first axis is not the batch itself: `x.view(batch * seq_len, c, h, w)` folds time into
 * the batch (the factor is `seq_len`), and a view whose first size footgun cannot read leaves it
 * unknown (null). A shape not listed here has the batch first, as every PyTorch model input does.
 */
const batchFolds = new WeakMap<Shape, Size | null>();

/** What the first axis of a shape holds: the batch (undefined), the batch times a factor, or something unknown (null). */
export function batchFoldOf(shape: Shape): Size | null | undefined {
  return batchFolds.get(shape);
}

/** Shapes without a batch axis: a module's weight used as a tensor (`x + self.pos_embed`) broadcasts against the batch. */
const unbatched = new WeakSet<Shape>();

function foldOfAll(all: Shape[]): Size | null | undefined {
  const inputs = all.filter((shape) => !unbatched.has(shape));
  const folds = inputs.map((shape) => batchFolds.get(shape));
  const first = folds[0];
  return folds.every((fold) => fold === first || (fold !== undefined && fold !== null && first !== undefined && first !== null && sameSize(fold, first))) ? first : null;
}

export function torchLayerShape(layer: Layer, inputs: Shape[]): LayerShape {
  const result = layerShape(layer, inputs);
  // what is computed from weights alone has no batch axis either
  if (result.output && inputs.length > 0 && !('torch_expand' in layer.args) && inputs.every((shape) => unbatched.has(shape))) unbatched.add(result.output);
  // every layer but a view or a selection keeps the first axis as it is
  else if (result.output && !batchFolds.has(result.output) && !choosesFirstAxis(layer) && inputs.length > 0) {
    const fold = foldOfAll(inputs);
    if (fold !== undefined) batchFolds.set(result.output, fold);
  }
  return result;
}

/** Layers whose output's first axis is decided by the layer (a view, an index, an RNN state, a stack), not inherited. */
function choosesFirstAxis(layer: Layer): boolean {
  const args = layer.args;
  return layer.kind === 'reshape' || Array.isArray(args.torch_index) || args.rnn_state === true || args.stack === true;
}

/**
 * The arguments PyTorch needs as ints that the layer is given as floats (`nn.Conv2d(c, out / 4, 1)`
 * under Python 3): the constructor raises TypeError when it allocates the weights, so the model
 * never builds. Checked with PyTorch 1.13.
 */
export function torchRejectedFloats(layer: Layer): string[] {
  const floats = layer.floatArguments;
  if (!floats || layer.framework !== 'pytorch') return [];
  return Object.keys(floats).filter((name) => integerArguments(layer).includes(name));
}

function integerArguments(layer: Layer): readonly string[] {
  switch (layer.kind) {
    case 'conv':
    case 'conv-transpose':
    case 'depthwise-conv':
      return ['in_channels', 'filters', 'kernel_size', 'groups'];
    case 'dense':
      return ['in_features', 'units'];
    case 'embedding':
      return ['input_dim', 'output_dim'];
    case 'recurrent':
      return ['input_size', 'units', 'num_layers'];
    case 'norm':
      if (layer.type.startsWith('BatchNorm') || (layer.type.startsWith('InstanceNorm') && layer.args.affine === true)) return ['num_features'];
      if (layer.type === 'GroupNorm') return layer.args.affine === false ? [] : ['num_channels'];
      return layer.type === 'LayerNorm' ? ['normalized_shape'] : [];
    case 'attention':
      return layer.type === 'MultiheadAttention' ? ['embed_dim'] : ['d_model', 'dim_feedforward'];
    case 'activation':
      return layer.type === 'PReLU' ? ['num_parameters'] : [];
    default:
      return [];
  }
}

function layerShape(layer: Layer, inputs: Shape[]): LayerShape {
  // a layer PyTorch cannot build has no shape and no parameters
  if (torchRejectedFloats(layer).length > 0) return { output: null, params: null };
  const input = inputs[0]!;
  const args = layer.args;
  const rank = layer.rank ?? 2;
  switch (layer.kind) {
    case 'dense': {
      const features = input[input.length - 1] ?? null;
      const expected = num(args.in_features);
      const units = num(args.units);
      if (expected !== null && features !== null && expected !== features) {
        const name = layer.name ? `self.${layer.name} (Linear)` : 'Linear';
        return mismatch(`${name} expects in_features=${expected}, but its input has ${features} features per sample (${formatShape(input)}). Set in_features=${features}.`);
      }
      const inFeatures = expected ?? features;
      return { output: [...input.slice(0, -1), units], params: add(mul(inFeatures, units), bias(layer, units)) };
    }
    case 'conv':
    case 'depthwise-conv': {
      const wrongRank = expectRank(layer, input, rank);
      if (wrongRank) return wrongRank;
      const wrongChannels = channelsCheck(layer, input, num(args.in_channels), 'in_channels');
      if (wrongChannels) return wrongChannels;
      const kernel = ints(args.kernel_size, rank, 1);
      const filters = num(args.filters);
      const result = windowed(layer, input, rank, kernel, filters);
      const inChannels = num(args.in_channels) ?? input[1] ?? null;
      const groups = num(args.groups) ?? 1;
      result.params = groups <= 0 ? null : add(mul(inChannels === null ? null : inChannels / groups, product(kernel), filters), bias(layer, filters));
      return result;
    }
    case 'conv-transpose': {
      const wrongRank = expectRank(layer, input, rank);
      if (wrongRank) return wrongRank;
      const wrongChannels = channelsCheck(layer, input, num(args.in_channels), 'in_channels');
      if (wrongChannels) return wrongChannels;
      const kernel = ints(args.kernel_size, rank, 1);
      const strides = ints(args.strides, rank, 1);
      const padding = ints(args.padding, rank, 0);
      const outputPadding = ints(args.output_padding, rank, 0);
      const dilation = ints(args.dilation_rate, rank, 1);
      const filters = num(args.filters);
      const out = input.slice(2).map((size, i) => {
        const [k, s, p, op, d] = [kernel[i], strides[i], padding[i], outputPadding[i], dilation[i]];
        if (size === null || k == null || s == null || p == null || op == null || d == null) return null;
        return (size - 1) * s - 2 * p + d * (k - 1) + op + 1;
      });
      const inChannels = num(args.in_channels) ?? input[1] ?? null;
      const groups = num(args.groups) ?? 1;
      return { output: [input[0]!, filters, ...out], params: groups <= 0 ? null : add(mul(inChannels, filters === null ? null : filters / groups, product(kernel)), bias(layer, filters)) };
    }
    case 'pool': {
      const wrongRank = expectRank(layer, input, rank);
      if (wrongRank) return wrongRank;
      const result = windowed(layer, input, rank, ints(args.pool_size, rank, 2), input[1] ?? null);
      result.params = result.output ? 0 : null;
      return result;
    }
    case 'global-pool': {
      const size = args.output_size;
      const out = input.slice(2).map((d, i) => (Array.isArray(size) ? (typeof size[i] === 'number' ? (size[i] as number) : size[i] === null ? d : null) : typeof size === 'number' ? size : null));
      return { output: [input[0]!, input[1] ?? null, ...out], params: 0 };
    }
    case 'flatten': {
      const start = normaliseDim(num(args.start_dim) ?? 1, input.length);
      const end = normaliseDim(num(args.end_dim) ?? -1, input.length);
      if (start === null || end === null || start > end) return { output: null, params: 0 };
      return { output: [...input.slice(0, start), product(input.slice(start, end + 1)), ...input.slice(end + 1)], params: 0 };
    }
    case 'reshape':
      return reshape(layer, input);
    case 'norm': {
      const channels = input[1] ?? null;
      if (layer.type.startsWith('BatchNorm') || layer.type.startsWith('InstanceNorm')) {
        const expected = num(args.num_features);
        if (expected !== null && channels !== null && expected !== channels) {
          const name = layer.name ? `self.${layer.name} (${layer.type})` : layer.type;
          return mismatch(`${name} expects ${expected} channels (num_features=${expected}), but the layer before it produces ${channels}. Set num_features=${channels}.`);
        }
        return { output: input, params: args.affine === false ? 0 : mul(2, expected ?? channels) };
      }
      if (layer.type === 'LayerNorm') {
        const shape = Array.isArray(args.normalized_shape) ? args.normalized_shape.map(num) : [num(args.normalized_shape)];
        return { output: input, params: args.elementwise_affine === false ? 0 : mul(2, product(shape)) };
      }
      if (layer.type === 'GroupNorm') return { output: input, params: args.affine === false ? 0 : mul(2, num(args.num_channels)) };
      return { output: input, params: null };
    }
    case 'dropout':
    case 'identity':
      return { output: input, params: 0 };
    case 'activation':
      return { output: input, params: layer.type === 'PReLU' ? (num(args.num_parameters) ?? 1) : 0 };
    case 'embedding':
      return { output: [...input, num(args.output_dim)], params: mul(num(args.input_dim), num(args.output_dim)) };
    case 'recurrent':
      return recurrent(layer, input);
    case 'attention':
      return attention(layer, input);
    case 'merge':
      return merge(layer, inputs);
    case 'upsample': {
      const scale = ints(args.scale_factor, input.length - 2, 1);
      const size = args.size;
      // PyTorch floors size × scale_factor
      const scaled = (d: number | null, factor: number | null) => (d === null || factor === null ? null : Math.floor(d * factor));
      const out = input.slice(2).map((d, i) => (size !== undefined && size !== null ? (Array.isArray(size) ? num(size[i]) : num(size)) : scaled(d, scale[i] ?? null)));
      return { output: [input[0]!, input[1] ?? null, ...out], params: 0 };
    }
    case 'opaque':
      // a branch between modules that may not all exist has unknown parameters
      if (args.branch === true) return { output: commonShape(inputs), params: args.alternatives === true ? null : 0 };
      if (Array.isArray(args.torch_index)) return { output: selected(input, args.torch_index), params: 0 };
      if (Array.isArray(args.torch_pad)) return { output: padded(input, args.torch_pad.map(num)), params: 0 };
      if (args.same_shape === true) return { output: input, params: 0 };
      if (args.rnn_state === true) return { output: recurrentState(layer, input), params: 0 };
      // nn.Parameter: as many parameters as its data has values
      if (layer.type === 'Parameter') {
        const shape = Array.isArray(args.parameter_shape) ? args.parameter_shape.map(num) : null;
        // used as a tensor, it has the shape of its data, and no batch axis
        if (shape) unbatched.add(shape);
        return { output: shape, params: shape ? product(shape) : null };
      }
      return { output: null, params: null };
    case 'padding': {
      const padding = args.padding;
      const pads = typeof padding === 'number' ? [padding, padding, padding, padding] : Array.isArray(padding) ? padding.map(num) : [null, null, null, null];
      const [left, right, top, bottom] = pads as (number | null)[];
      return { output: [input[0]!, input[1] ?? null, add(input[2] ?? null, top ?? null, bottom ?? null), add(input[3] ?? null, left ?? null, right ?? null)], params: 0 };
    }
    default:
      return { output: null, params: null };
  }
}

function normaliseDim(dim: number, rank: number): number | null {
  const value = dim < 0 ? rank + dim : dim;
  return value >= 0 && value < rank ? value : null;
}

/** `x.transpose(1, 2)`, `x.permute(0, 2, 1)`, `x.unsqueeze(1)`: axes moved or added; `x.mean([2, 3])`: axes reduced. */
function moveAxes(layer: Layer, input: Shape): LayerShape {
  const args = layer.args;
  const axes = (value: unknown) => (Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : null);
  const transpose = axes(args.torch_transpose);
  if (transpose && transpose.length === 2) {
    const [a, b] = transpose.map((d) => normaliseDim(d, input.length));
    if (a === null || b === null || a === undefined || b === undefined) return { output: null, params: 0 };
    const output = [...input];
    [output[a], output[b]] = [input[b]!, input[a]!];
    return { output, params: 0 };
  }
  const permute = axes(args.torch_permute);
  if (permute && permute.length === input.length) {
    const order = permute.map((d) => normaliseDim(d, input.length));
    if (order.some((d) => d === null) || new Set(order).size !== order.length) return { output: null, params: 0 };
    return { output: order.map((d) => input[d!]!), params: 0 };
  }
  const reduce = axes(args.torch_reduce);
  if (reduce) {
    const dims = new Set(reduce.map((d) => normaliseDim(d, input.length)));
    if (dims.has(null) || dims.has(0)) return { output: null, params: 0 };
    const keep = args.keepdim === true;
    if (args.keepdim !== true && args.keepdim !== false) return { output: null, params: 0 };
    return { output: input.flatMap((size, axis) => (dims.has(axis) ? (keep ? [1] : []) : [size])), params: 0 };
  }
  const unsqueeze = axes(args.torch_unsqueeze);
  if (unsqueeze && unsqueeze.length === 1) {
    const at = normaliseDim(unsqueeze[0]!, input.length + 1);
    return at === null ? { output: null, params: 0 } : { output: [...input.slice(0, at), 1, ...input.slice(at)], params: 0 };
  }
  const squeeze = axes(args.torch_squeeze);
  if (squeeze) {
    // squeeze(d) drops axis d when its size is 1 and leaves it otherwise; squeeze() drops every size-1 axis
    const dims = squeeze.length === 0 ? input.map((_, axis) => axis) : squeeze.map((d) => normaliseDim(d, input.length));
    if (dims.some((d) => d === null || input[d] === null)) return { output: null, params: 0 };
    return { output: input.filter((size, axis) => !(dims.includes(axis) && size === 1)), params: 0 };
  }
  return { output: null, params: 0 };
}

/** What `x[i, a:b, None, ...]` leaves of each axis: an index drops it, a slice keeps part of it, None adds one. */
/** `F.pad(x, pads)`: pads[2i] and pads[2i + 1] widen the i-th axis from the last. */
function padded(input: Shape, pads: readonly (number | null)[]): Shape | null {
  const axes = pads.length / 2;
  if (axes > input.length) return null;
  const output = [...input];
  for (let i = 0; i < axes; i++) output[input.length - 1 - i] = add(input[input.length - 1 - i] ?? null, pads[2 * i]!, pads[2 * i + 1]!);
  return output;
}

function selected(input: Shape, entries: readonly unknown[]): Shape | null {
  const consumed = entries.filter((entry) => entry !== 'newaxis' && entry !== '...').length;
  if (consumed > input.length || entries.filter((entry) => entry === '...').length > 1) return null;
  const filler = Array.from({ length: input.length - consumed }, () => ['slice', null, null, null]);
  const at = entries.indexOf('...');
  const expanded = at < 0 ? [...entries, ...filler] : [...entries.slice(0, at), ...filler, ...entries.slice(at + 1)];
  const output: Shape = [];
  let axis = 0;
  for (const entry of expanded) {
    if (entry === 'newaxis') {
      output.push(1);
      continue;
    }
    if (!Array.isArray(entry)) return null;
    if (entry[0] === 'slice') output.push(sliceLength(input[axis] ?? null, entry[1], entry[2], entry[3]));
    else if (entry[0] !== 'index') return null;
    axis++;
  }
  // what the first axis holds afterwards: the same, the batch (an index into a state's layers), or unknown
  const first = expanded[0];
  const keepsFirst = Array.isArray(first) && first[0] === 'slice' && first[1] === null && first[2] === null;
  if (!keepsFirst) {
    if (batchSecond.has(input) && Array.isArray(first) && first[0] === 'index') batchFolds.delete(output);
    else if (batchSecond.has(input) && Array.isArray(first) && first[0] === 'slice') markBatchSecond(output);
    else batchFolds.set(output, null);
  } else if (batchSecond.has(input)) {
    markBatchSecond(output);
  }
  return output;
}

/** The length of `a:b:c` over an axis of `size`, as Python computes it; null when it depends on what footgun does not know. */
function sliceLength(size: number | null, start: unknown, stop: unknown, step: unknown): number | null {
  if ((start !== null && typeof start !== 'number') || (stop !== null && typeof stop !== 'number') || (step !== null && typeof step !== 'number')) return null;
  const by = step ?? 1;
  if (by <= 0) return null;
  if (start === null && stop === null) return by === 1 ? size : size === null ? null : Math.ceil(size / by);
  if (size === null) return null;
  const clamp = (value: number) => Math.min(size, Math.max(0, value < 0 ? size + value : value));
  const from = start === null ? 0 : clamp(start);
  const to = stop === null ? size : clamp(stop);
  return Math.max(0, Math.ceil((to - from) / by));
}

/**
 * Shapes whose batch is the second axis: an RNN's states (num_layers × directions, N, hidden) and the
 * output of an RNN without batch_first (L, N, H). Indexing their first axis (`h_n[-1]`) leaves the batch first.
 */
const batchSecond = new WeakSet<Shape>();

function markBatchSecond(shape: Shape): void {
  batchSecond.add(shape);
  batchFolds.set(shape, null);
}

/** h_n and c_n of an RNN: (num_layers × directions, N, hidden). */
function recurrentState(layer: Layer, output: Shape): Shape | null {
  const args = layer.args;
  if (output.length !== 3) return null;
  const layers = num(args.num_layers);
  const state: Shape = [layers === null ? null : layers * (args.bidirectional === true ? 2 : 1), args.batch_first === true ? output[0]! : output[1]!, num(args.units)];
  markBatchSecond(state);
  return state;
}

/** `x.view(x.size(0), -1)`, `x.view(-1, 16 * 5 * 5)`, `x.reshape(n, 4, 4)`: the batch comes first. */
function reshape(layer: Layer, input: Shape): LayerShape {
  if ('torch_transpose' in layer.args || 'torch_permute' in layer.args || 'torch_unsqueeze' in layer.args || 'torch_reduce' in layer.args) {
    const moved = moveAxes(layer, input);
    const fold = batchFolds.get(input);
    if (moved.output && batchSecond.has(input) && bringsSecondAxisFirst(layer)) return moved;
    if (moved.output && fold !== undefined) batchFolds.set(moved.output, movesFirstAxis(layer) ? null : fold);
    else if (moved.output && movesFirstAxis(layer)) batchFolds.set(moved.output, null);
    return moved;
  }
  if (typeof layer.args.einops_pattern === 'string') return einops(layer, input);
  if ('torch_expand' in layer.args) return expand(layer, input);
  if (unbatched.has(input)) return reshapeWeight(layer, input);
  const sizes = Array.isArray(layer.args.torch_shape) ? layer.args.torch_shape.map((d) => (typeof d === 'number' || isSymbolic(d) ? d : null)) : null;
  if (!sizes || sizes.length === 0) return { output: null, params: 0 };
  const lead = sizes[0]!;
  const fold = batchFolds.get(input);
  if (typeof lead === 'number' && lead !== -1) return { output: null, params: 0 };
  const byBatch = isBatch(lead) ? 1 : lead === -1 ? undefined : batchFactor(lead);
  if (fold === undefined && (byBatch === 1 || lead === -1)) return reshapePerSample(layer, input, sizes.map((d) => (isSymbolic(d) ? null : d)));
  // the first axis is the batch folded with another axis (`x.view(b * t, c, h, w)`), or the input's is
  return reshapeFolded(layer, input, fold, byBatch ?? null, sizes.slice(1));
}

/**
 * `self.cls_token.expand(x.shape[0], -1, -1)`: sizes aligned from the right, -1 keeping the
 * input's; a first size that is the batch makes a batch of copies.
 */
function expand(layer: Layer, input: Shape): LayerShape {
  const sizes = layer.args.torch_expand;
  if (!Array.isArray(sizes) || sizes.length < input.length) return { output: null, params: 0 };
  const offset = sizes.length - input.length;
  const output: Shape = sizes.map((size, axis) => (size === -1 ? (axis >= offset ? (input[axis - offset] ?? null) : null) : typeof size === 'number' ? size : null));
  const lead = sizes[0];
  if (typeof lead === 'number') {
    // -1 keeps the first axis, a batch's or a weight's; a number is no batch
    if (lead !== -1 || unbatched.has(input)) unbatched.add(output);
    else if (batchFolds.has(input)) batchFolds.set(output, batchFolds.get(input)!);
  } else if (!(isSymbolic(lead) && isBatch(lead))) batchFolds.set(output, null);
  return { output, params: 0 };
}

/** `self.gamma.reshape(1, -1, 1, 1)`: a weight's view, all of whose sizes are known. */
function reshapeWeight(layer: Layer, input: Shape): LayerShape {
  const sizes = Array.isArray(layer.args.torch_shape) ? layer.args.torch_shape : null;
  const total = product(input);
  if (!sizes || total === null || sizes.some((size) => typeof size !== 'number') || sizes.filter((size) => size === -1).length > 1) return { output: null, params: 0 };
  const known = product((sizes as number[]).filter((size) => size !== -1));
  if (known === null || known === 0 || total % known !== 0) return { output: null, params: 0 };
  const output = (sizes as number[]).map((size) => (size === -1 ? total / known : size));
  return product(output) === total ? { output, params: 0 } : { output: null, params: 0 };
}

/** One side of an einops pattern: its axes, each a group of names (`(h w)`), `1`, or `...`. */
function einopsSide(text: string): string[][] | null {
  const groups: string[][] = [];
  let open: string[] | null = null;
  for (const token of text.match(/\(|\)|\.\.\.|[\w]+/g) ?? []) {
    if (token === '(') {
      if (open) return null;
      open = [];
    } else if (token === ')') {
      if (!open) return null;
      groups.push(open);
      open = null;
    } else if (open) open.push(token);
    else groups.push([token]);
  }
  return open ? null : groups;
}

/** `rearrange(x, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=16, p2=16)` and einops' reduce. */
function einops(layer: Layer, input: Shape): LayerShape {
  const [leftText, rightText, extra] = String(layer.args.einops_pattern).split('->');
  const left = leftText === undefined ? null : einopsSide(leftText);
  const right = rightText === undefined ? null : einopsSide(rightText);
  if (!left || !right || extra !== undefined) return { output: null, params: 0 };
  const sizes = new Map<string, number | null>();
  for (const pair of Array.isArray(layer.args.einops_sizes) ? layer.args.einops_sizes : []) {
    if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'number') sizes.set(pair[0], pair[1]);
  }
  const ellipsisAt = left.findIndex((group) => group.length === 1 && group[0] === '...');
  const spread = input.length - (left.length - (ellipsisAt >= 0 ? 1 : 0));
  if (spread < 0 || (ellipsisAt < 0 && spread !== 0)) return { output: null, params: 0 };
  const ellipsis: Shape = ellipsisAt >= 0 ? input.slice(ellipsisAt, ellipsisAt + spread) : [];
  let axis = 0;
  for (const group of left) {
    if (group[0] === '...') {
      axis += spread;
      continue;
    }
    const size = input[axis++] ?? null;
    const unknown = group.filter((name) => name !== '1' && !sizes.has(name));
    const known = product(group.filter((name) => name !== '1' && sizes.has(name)).map((name) => sizes.get(name)!));
    if (unknown.length === 1) sizes.set(unknown[0]!, size === null || known === null || known === 0 ? null : size / known);
    else for (const name of unknown) sizes.set(name, null);
  }
  const reduce = layer.args.einops_reduce === true;
  const output: Shape = [];
  for (const group of right) {
    if (group[0] === '...') {
      output.push(...ellipsis);
      continue;
    }
    if (group.some((name) => name !== '1' && !sizes.has(name))) return { output: null, params: 0 };
    output.push(product(group.map((name) => (name === '1' ? 1 : sizes.get(name)!))));
  }
  const used = new Set(right.flat());
  if (!reduce && left.flat().some((name) => name !== '1' && !used.has(name))) return { output: null, params: 0 };
  // the batch stays first (`b … -> b …`), folded with other axes (`b h … -> (b h) …`), or not at all
  const batch = left[0]?.length === 1 && left[0][0] !== '...' ? left[0][0] : undefined;
  const lead = right[0] ?? [];
  const fold = batchFolds.get(input);
  if (!batch || !lead.includes(batch) || (fold !== undefined && lead.length > 1)) batchFolds.set(output, null);
  else if (lead.length > 1) batchFolds.set(output, product(lead.filter((name) => name !== batch).map((name) => (name === '1' ? 1 : (sizes.get(name) ?? null)))));
  else if (fold !== undefined) batchFolds.set(output, fold);
  return { output, params: 0 };
}

/** A first size that stands for the batch: `x.size(0)`, or a plain name footgun cannot read (`batch_size`). */
function isBatch(size: Size | null): boolean {
  if (size === null) return true;
  if (typeof size === 'number') return false;
  return size.symbol === BATCH.symbol || (!size.float && /^[\w]+#\d+$/.test(size.symbol));
}

/** `h.transpose(0, 1)`, `out.permute(1, 0, 2)`: the batch of a (L, N, H) tensor comes first. */
function bringsSecondAxisFirst(layer: Layer): boolean {
  const transpose = layer.args.torch_transpose;
  const permute = layer.args.torch_permute;
  if (Array.isArray(transpose)) return [...transpose].sort().join() === '0,1';
  return Array.isArray(permute) && permute[0] === 1;
}

function movesFirstAxis(layer: Layer): boolean {
  const added = layer.args.torch_unsqueeze ?? layer.args.torch_squeeze;
  if (Array.isArray(added)) return added.length === 0 || added.some((d) => d === 0);
  const axes = layer.args.torch_transpose ?? layer.args.torch_permute;
  if (!Array.isArray(axes)) return 'torch_reduce' in layer.args && Array.isArray(layer.args.torch_reduce) && (layer.args.torch_reduce as number[]).some((d) => d === 0);
  return layer.args.torch_permute !== undefined ? axes[0] !== 0 : axes.includes(0);
}

/**
 * A view whose first axis is not just the batch: the batch times `outFactor` after it, times the
 * input's fold before it (null: unknown). The total per batch element must match, as PyTorch
 * requires of every view; a size footgun cannot compare leaves the check out.
 */
function reshapeFolded(layer: Layer, input: Shape, inFactor: Size | null | undefined, outFactor: Size | null, rest: (Size | null)[]): LayerShape {
  const output = (resolved: Size | null) => {
    const shape: Shape = [null, ...rest.map((d) => (d === -1 ? (typeof resolved === 'number' ? resolved : null) : typeof d === 'number' ? d : null))];
    if (outFactor !== 1) batchFolds.set(shape, outFactor);
    return { output: shape, params: 0 };
  };
  const sizeIn = inFactor === null ? null : sizeProduct([inFactor ?? 1, ...input.slice(1)]);
  const inferred = rest.filter((d) => d === -1).length;
  const sizeOut = outFactor === null ? null : sizeProduct([outFactor, ...rest.filter((d) => d !== -1)]);
  if (sizeIn === null || sizeOut === null || inferred > 1) return output(null);
  if (inferred === 1) {
    if (typeof sizeIn === 'number' && typeof sizeOut === 'number' && sizeOut !== 0 && sizeIn % sizeOut === 0) return output(sizeIn / sizeOut);
    return output(null);
  }
  if (typeof sizeIn === 'number' && typeof sizeOut === 'number' && sizeIn !== sizeOut) {
    const folded = inFactor !== undefined && inFactor !== null && inFactor !== 1;
    const shown = folded ? formatShape(input).replace(/^\(N/, `(N×${sizeText(inFactor)}`) : formatShape(input);
    return mismatch(`${layer.type}(…) needs ${sizeOut} values for each sample of the batch, but its input ${shown} holds ${sizeIn}${folded ? ` (its first axis holds ${sizeText(inFactor)} steps of each sample)` : ''}: the sizes must multiply to the same total.`);
  }
  return output(null);
}

function sizeProduct(sizes: (Size | null)[]): Size | null {
  let total: Size = 1;
  for (const size of sizes) {
    if (size === null) return null;
    const next = multiplySizes(total, size);
    if (next === undefined) return null;
    total = next;
  }
  return total;
}

/** `x.view(x.size(0), -1)`, `x.view(-1, 16 * 5 * 5)` on an input whose first axis is the batch. */
function reshapePerSample(layer: Layer, input: Shape, target: (number | null)[]): LayerShape {
  const perSample = product(input.slice(1));
  const rest = target.slice(1);
  const inferred = rest.filter((d) => d === -1).length;
  const known = product(rest.filter((d) => d !== -1));
  if (perSample === null || known === null || inferred > 1) return { output: [null, ...rest.map((d) => (d === -1 ? null : d))], params: 0 };
  if (inferred === 0 && target[0] === -1 && known !== perSample) {
    if (perSample % known === 0) return { output: [null, ...rest], params: 0 };
    const call = `${layer.type}(-1, ${rest.join(', ')})`;
    if (known % perSample === 0) {
      const merged = known / perSample;
      const message = `${call} on ${formatShape(input)} puts ${merged} samples in each row: each sample has ${perSample} values, so the batch shrinks ${merged}-fold and no longer matches the targets (the loss fails, and so does the view when the batch size is not a multiple of ${merged}). Write x${layer.type}(x.size(0), -1) and give the next layer ${perSample} input features.`;
      return { output: null, params: null, error: { kind: 'mismatch', message, explainsFailure: true } };
    }
    return mismatch(`${call} cannot split ${formatShape(input)}: each sample has ${perSample} values, not a multiple of ${known}.`);
  }
  if (inferred === 0 && known !== perSample) {
    return mismatch(`${layer.type}(…, ${rest.join(', ')}) needs ${known} values per sample, but its input ${formatShape(input)} has ${perSample}. The flattened size is ${perSample}.`);
  }
  if (inferred === 1 && (known === 0 || perSample % known !== 0)) return mismatch(`${layer.type} cannot reshape ${formatShape(input)} into ${rest.join(', ')}.`);
  return { output: [input[0]!, ...rest.map((d) => (d === -1 ? perSample / known : d))], params: 0 };
}

function recurrent(layer: Layer, input: Shape): LayerShape {
  if (input.length !== 3) {
    return mismatch(`${layer.type} expects a 3-D input (${layer.args.batch_first === true ? 'N, L, H_in' : 'L, N, H_in'}), but it receives ${formatShape(input)}.`);
  }
  const args = layer.args;
  const hidden = num(args.units);
  const layers = num(args.num_layers) ?? 1;
  const directions = args.bidirectional === true ? 2 : 1;
  const gates = layer.type === 'LSTM' ? 4 : layer.type === 'GRU' ? 3 : 1;
  const inputSize = num(args.input_size) ?? input[2] ?? null;
  const actual = input[2] ?? null;
  if (num(args.input_size) !== null && actual !== null && num(args.input_size) !== actual) {
    return mismatch(`${layer.type} expects input_size=${num(args.input_size)}, but its input has ${actual} features (${formatShape(input)}).`);
  }
  const biases = args.use_bias === false ? 0 : 2;
  let params: number | null = 0;
  for (let index = 0; index < layers; index++) {
    const size = index === 0 ? inputSize : mul(hidden, directions);
    params = add(params, mul(directions, gates, add(mul(hidden, size), mul(hidden, hidden), mul(biases, hidden))));
  }
  const output: Shape = [input[0]!, input[1]!, mul(hidden, directions)];
  if (args.batch_first !== true) markBatchSecond(output);
  return { output, params };
}

function attention(layer: Layer, input: Shape): LayerShape {
  const args = layer.args;
  if (layer.type === 'MultiheadAttention') {
    const embed = num(args.embed_dim);
    return { output: input, params: args.use_bias === false ? mul(4, embed, embed) : add(mul(4, embed, embed), mul(4, embed)) };
  }
  const model = num(args.d_model);
  const ff = num(args.dim_feedforward);
  const perLayer = add(mul(4, model, model), mul(2, model, ff), ff, mul(9, model));
  if (layer.type === 'TransformerEncoder') return { output: input, params: mul(num(args.num_layers), perLayer) };
  return { output: input, params: layer.type === 'TransformerEncoderLayer' ? perLayer : null };
}

function merge(layer: Layer, inputs: Shape[]): LayerShape {
  if (layer.args.stack === true) {
    // torch.stack: tensors of one shape, stacked along a new axis
    const common = commonShape(inputs);
    const dim = common ? normaliseDim(num(layer.args.axis) ?? 0, common.length + 1) : null;
    if (!common || dim === null) return { output: null, params: 0 };
    const output = [...common.slice(0, dim), inputs.length, ...common.slice(dim)];
    if (dim === 0) batchFolds.set(output, null);
    return { output, params: 0 };
  }
  if (inputs.length < 2) return { output: inputs[0] ?? null, params: 0 };
  if (layer.args.concat === true) {
    const rank = inputs[0]!.length;
    const dim = normaliseDim(num(layer.args.axis) ?? 0, rank);
    if (dim === null || inputs.some((s) => s.length !== rank)) return mismatch(`torch.cat needs tensors of the same rank, but it receives ${inputs.map(formatShape).join(' and ')}.`);
    const out: Shape = [];
    for (let i = 0; i < rank; i++) {
      const dims = inputs.map((s) => s[i] ?? null);
      if (i === dim) out.push(dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a + b, 0));
      else {
        const known = dims.filter((d): d is number => d !== null);
        if (i > 0 && new Set(known).size > 1) return mismatch(`torch.cat along dim ${dim} needs every other dimension to match, but it receives ${inputs.map(formatShape).join(' and ')}.`);
        out.push(known[0] ?? null);
      }
    }
    return { output: out, params: 0 };
  }
  const rank = Math.max(...inputs.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    // a missing leading axis broadcasts as 1; an unknown size stays unknown
    const dims = inputs.map((s) => (s.length - rank + i < 0 ? 1 : (s[s.length - rank + i] ?? null)));
    const known = dims.filter((d): d is number => d !== null && d !== 1);
    if (i > 0 && new Set(known).size > 1) return mismatch(`Adding tensors of shapes ${inputs.map(formatShape).join(' and ')} fails: they neither match nor broadcast. A residual connection needs a projection (a 1×1 convolution or a Linear) on the shortcut.`);
    out.push(dims.some((d) => d === null) ? (known[0] ?? null) : (known[0] ?? 1));
  }
  return { output: out, params: 0 };
}

/**
 * The input a layer fixes by its kind alone, for a layer whose input footgun could not follow (it
 * comes from a helper in another module): a Conv2d reads (N, in_channels, H, W), a BatchNorm2d
 * (N, num_features, H, W), an LSTM (N, L, input_size). Layers that take inputs of several ranks
 * (Linear, BatchNorm1d, activations) fix none.
 */
export function torchInputFixedByLayer(layer: Layer): Shape | null {
  const args = layer.args;
  const rank = layer.rank ?? 2;
  const spatial = () => Array.from({ length: rank }, () => null);
  switch (layer.kind) {
    case 'conv':
    case 'conv-transpose':
    case 'depthwise-conv':
      return [null, num(args.in_channels), ...spatial()];
    case 'norm':
      return rank >= 2 && /^(?:Batch|Instance)Norm[23]d$/.test(layer.type) ? [null, num(args.num_features), ...spatial()] : null;
    case 'pool':
    case 'global-pool':
    case 'padding':
      return rank >= 2 ? [null, null, ...spatial()] : null;
    case 'recurrent':
      return [null, null, num(args.input_size)];
    default:
      return null;
  }
}

/** The input shape a PyTorch model's first layer implies when the file does not show one. */
export function torchInputFromFirstLayer(layer: Layer): Shape | null {
  const args = layer.args;
  const rank = layer.rank ?? 2;
  switch (layer.kind) {
    case 'conv':
    case 'conv-transpose':
    case 'depthwise-conv':
      return [null, num(args.in_channels), ...Array.from({ length: rank }, () => null)];
    case 'dense':
      return [null, num(args.in_features)];
    case 'embedding':
      return [null, null];
    case 'norm':
      if (!layer.type.startsWith('BatchNorm')) return null;
      return rank === 1 ? [null, num(args.num_features)] : [null, num(args.num_features), ...Array.from({ length: rank }, () => null)];
    case 'recurrent':
      return [null, null, num(args.input_size)];
    default:
      return null;
  }
}
