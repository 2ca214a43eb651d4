import type { Layer, Shape } from '../ir.js';
import { add, bias, formatTorchShape as formatShape, ints, mul, num, product } from './arithmetic.js';
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

export function torchLayerShape(layer: Layer, inputs: Shape[]): LayerShape {
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
      result.params = add(mul(inChannels === null ? null : inChannels / groups, product(kernel), filters), bias(layer, filters));
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
      return { output: [input[0]!, filters, ...out], params: add(mul(inChannels, filters === null ? null : filters / groups, product(kernel)), bias(layer, filters)) };
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
      const out = input.slice(2).map((d, i) => (size !== undefined && size !== null ? (Array.isArray(size) ? num(size[i]) : num(size)) : mul(d, scale[i] ?? null)));
      return { output: [input[0]!, input[1] ?? null, ...out], params: 0 };
    }
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
  return { output: null, params: 0 };
}

/** `x.view(x.size(0), -1)`, `x.view(-1, 16 * 5 * 5)`, `x.reshape(n, 4, 4)`: the batch comes first. */
function reshape(layer: Layer, input: Shape): LayerShape {
  if ('torch_transpose' in layer.args || 'torch_permute' in layer.args || 'torch_unsqueeze' in layer.args || 'torch_reduce' in layer.args) return moveAxes(layer, input);
  const target = Array.isArray(layer.args.torch_shape) ? layer.args.torch_shape.map(num) : null;
  if (!target || target.length === 0) return { output: null, params: 0 };
  const perSample = product(input.slice(1));
  const rest = target.slice(1);
  const inferred = rest.filter((d) => d === -1).length;
  const known = product(rest.filter((d) => d !== -1));
  if (target[0] !== -1 && target[0] !== null) return { output: null, params: 0 };
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
  return { output: [input[0]!, input[1]!, mul(hidden, directions)], params };
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
