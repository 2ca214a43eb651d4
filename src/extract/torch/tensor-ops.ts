// PyTorch's operations on tensors between modules: torch.nn.functional layers (F.relu,
// F.max_pool2d, F.interpolate), torch.* functions (cat, stack, chunk, flatten), tensor methods
// (view, size, transpose, split), indexing (x[:, -1], h_n[-2:]) and einops patterns. Each becomes a
// node of the graph whose shape src/shapes/torch.ts computes.
import type { ArgValue, LayerKind } from '../../ir.js';
import { UNKNOWN } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import type { CallSite, LayerObject, Value } from '../abstract/values.js';
import { UNKNOWN_SPREAD, UNKNOWN_VALUE, argument, flattenTensors, numberOf, seq, toArg } from '../abstract/values.js';
import type { IndexKey } from '../expressions.js';
import { elementwise, syntheticLayer, valueNode } from '../frontend-kit.js';
import type { Interpreter } from '../interpreter.js';
import { TORCH_FUNCTIONAL_ACTIVATIONS } from './catalog.js';

type Tensor = Extract<Value, { kind: 'tensor' }>;

const SHAPE_KEEPING_FUNCTIONS = new Set(['normalize', 'layer_norm', 'group_norm', 'batch_norm', 'instance_norm', 'local_response_norm']);
const SHAPE_PRESERVING_METHODS = new Set(['roll', 'flip', 'contiguous', 'clone', 'detach', 'float', 'double', 'half', 'to', 'cuda', 'cpu', 'type_as', 'masked_fill', 'requires_grad_']);
/** in-place updates return the tensor they change: `x.div_(keep)`, `x.mul_(mask)` */
const IN_PLACE = /^(?:add|sub|mul|div|clamp|fill|zero|masked_fill|copy|normal|uniform|bernoulli)_$/;
/** `x.mul(self.gamma)`, `x.add(shortcut)`: the operators written as methods */
const ARITHMETIC_METHODS: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };
/** `F.interpolate`, and the deprecated spellings that do the same */
const INTERPOLATE = new Set(['interpolate', 'upsample', 'upsample_nearest', 'upsample_bilinear']);

export function isParameter(value: Value): value is Extract<Value, { kind: 'layer' }> {
  return value.kind === 'layer' && value.layer.framework === 'pytorch' && value.layer.type === 'Parameter';
}

/**
 * A module's own weight (`self.pos_embed`, an nn.Parameter) where forward() computes with it: a
 * tensor of the parameter's shape, with no input. Each use is a node of the same weights.
 */
export function asTensor(value: Value, interp: Interpreter): Value {
  return isParameter(value) ? interp.applyLayer(value.layer, []) : value;
}

export function synthetic(type: string, kind: LayerKind, node: PyNode, interp: Interpreter, args: Record<string, ArgValue> = {}): LayerObject {
  return syntheticLayer('pytorch', type, kind, node, interp, args);
}

function apply(interp: Interpreter, type: string, kind: LayerKind, node: PyNode, inputs: Value[], args: Record<string, ArgValue> = {}): Value {
  return interp.applyLayer(synthetic(type, kind, node, interp, args), inputs);
}

/** A step that only moves or selects values: no weights, the shape from its arguments. */
function selection(interp: Interpreter, type: string, node: PyNode, input: Value, args: Record<string, ArgValue>): Value {
  return apply(interp, type, 'opaque', node, [input], { parameterless: true, ...args });
}

function activationNode(name: string, tensor: Value, call: CallSite, interp: Interpreter, dim: Value | undefined): Value {
  const layer = synthetic(`F.${name}`, 'activation', call.node, interp);
  layer.activation = TORCH_FUNCTIONAL_ACTIVATIONS[name] ?? name;
  if (name === 'softmax' || name === 'log_softmax') layer.args.dim = dim === undefined ? null : toArg(dim);
  return interp.applyLayer(layer, [tensor]);
}

/** `F.relu(x)`, `F.max_pool2d(x, 2)`, `F.adaptive_avg_pool2d(x, 1)`, `F.dropout(x, p)`, `F.interpolate(x, scale_factor=2)` */
export function functional(name: string, call: CallSite, interp: Interpreter): Value | undefined {
  const [input] = call.args;
  if (input?.kind !== 'tensor') return undefined;
  if (TORCH_FUNCTIONAL_ACTIVATIONS[name]) return activationNode(name, input, call, interp, argument(call, 'dim', 1));
  const pool = /^(max|avg)_pool([123])d$/.exec(name);
  if (pool) {
    const rank = Number(pool[2]);
    const kernel = toArg(argument(call, 'kernel_size', 1) ?? UNKNOWN_VALUE);
    const stride = argument(call, 'stride', 2);
    const perAxis = (v: ArgValue) => (typeof v === 'number' ? Array.from({ length: rank }, () => v) : v);
    const layer = synthetic(`F.${name}`, 'pool', call.node, interp, {
      pool_size: perAxis(kernel),
      strides: stride && stride.kind !== 'none' ? perAxis(toArg(stride)) : perAxis(kernel),
      padding: perAxis(toArg(argument(call, 'padding', 3) ?? { kind: 'number', value: 0 })),
      dilation_rate: perAxis(1),
      ceil_mode: toArg(argument(call, 'ceil_mode') ?? { kind: 'bool', value: false }),
      pool_mode: pool[1] === 'max' ? 'max' : 'average',
      data_format: 'channels_first',
    });
    layer.rank = rank;
    return interp.applyLayer(layer, [input]);
  }
  const adaptive = /^adaptive_(max|avg)_pool([123])d$/.exec(name);
  if (adaptive) {
    const layer = synthetic(`F.${name}`, 'global-pool', call.node, interp, { output_size: toArg(argument(call, 'output_size', 1) ?? UNKNOWN_VALUE), pool_mode: adaptive[1] === 'max' ? 'max' : 'average', data_format: 'channels_first' });
    layer.rank = Number(adaptive[2]);
    return interp.applyLayer(layer, [input]);
  }
  if (/^dropout[123]?d?$/.test(name) || name === 'alpha_dropout') {
    const rate = argument(call, 'p', 1);
    const layer = synthetic(`F.${name}`, 'dropout', call.node, interp, { rate: rate ? toArg(rate) : 0.5 });
    const source = valueNode(call.kwargNodes.get('p') ?? call.argNodes[1]);
    if (source) layer.argRanges.rate = source.range;
    return interp.applyLayer(layer, [input]);
  }
  if (name === 'pad') {
    // F.pad(x, (left, right, top, bottom, …)): pairs from the last axis backwards; an unknown amount leaves only its axis unknown
    const pads = argument(call, 'pad', 1);
    if (pads?.kind !== 'seq' || pads.items.length % 2 !== 0) return undefined;
    return selection(interp, 'F.pad', call.node, input, { torch_pad: pads.items.map((item) => (item.kind === 'number' ? item.value : null)) });
  }
  // normalisations without weights of their own (the caller passes them, if any): the shape stays
  if (SHAPE_KEEPING_FUNCTIONS.has(name)) return selection(interp, `F.${name}`, call.node, input, { same_shape: true });
  if (INTERPOLATE.has(name)) {
    const size = argument(call, 'size', 1);
    const scale = argument(call, 'scale_factor', 2);
    return apply(interp, `F.${name}`, 'upsample', call.node, [input], { size: size ? toArg(size) : null, scale_factor: scale ? toArg(scale) : null });
  }
  return undefined;
}

/** `torch.cat`, `torch.stack`, `torch.flatten`, `torch.chunk`, … on tensors. */
export function tensorFunction(name: string, call: CallSite, interp: Interpreter): Value | undefined {
  const tensors = call.args.flatMap(flattenTensors);
  if (tensors.length === 0) return undefined;
  const [input] = call.args;
  if (TORCH_FUNCTIONAL_ACTIVATIONS[name] && input?.kind === 'tensor') return activationNode(name, input, call, interp, argument(call, 'dim', 1));
  if (name === 'flatten' && input?.kind === 'tensor') {
    return apply(interp, 'torch.flatten', 'flatten', call.node, [input], { start_dim: toArg(argument(call, 'start_dim', 1) ?? { kind: 'number', value: 0 }), end_dim: toArg(argument(call, 'end_dim', 2) ?? { kind: 'number', value: -1 }) });
  }
  if (name === 'cat' || name === 'concat' || name === 'stack') {
    // a list footgun read only in part (items added under a condition) makes the result unknown
    const list = argument(call, 'tensors', 0);
    if (list?.kind === 'seq' && list.items.some((item) => item.kind !== 'tensor')) return interp.opaque(`torch.${name}`, 'pytorch', call.node, tensors, true);
    const axis = toArg(argument(call, 'dim', 1) ?? { kind: 'number', value: 0 });
    return apply(interp, name === 'stack' ? 'torch.stack' : 'torch.cat', 'merge', call.node, tensors, name === 'stack' ? { axis, stack: true } : { axis, concat: true });
  }
  if (name === 'add') return apply(interp, 'Add', 'merge', call.node, tensors);
  // torch.roll(x, shifts, dims) (Swin's shifted windows), torch.flip: the values move, the shape stays
  if ((name === 'roll' || name === 'flip') && input?.kind === 'tensor' && tensors.length === 1) return apply(interp, `torch.${name}`, 'identity', call.node, [input]);
  if (input?.kind === 'tensor' && (name === 'chunk' || name === 'split' || name === 'unbind')) return pieces(input, name, call.args.slice(1), call, interp);
  if (input?.kind === 'tensor' && (name === 'transpose' || name === 'permute' || name === 'unsqueeze' || name === 'squeeze' || name === 'reshape')) {
    return tensorMethod(input, name, { node: call.node, args: call.args.slice(1), argNodes: call.argNodes.slice(1), kwargs: call.kwargs, kwargNodes: call.kwargNodes, hasSplat: call.hasSplat }, interp);
  }
  return undefined;
}

/** `x.view(b, -1)`, `x.size(1)`, `x.transpose(1, 2)`, `x.mean((2, 3))`, `x.chunk(2, dim=1)`, `x.sigmoid()`, … */
export function tensorMethod(target: Tensor, method: string, call: CallSite, interp: Interpreter): Value | undefined {
  if (SHAPE_PRESERVING_METHODS.has(method) || IN_PLACE.test(method)) return target;
  if (method === 'size') {
    // x.size() is x.shape; x.size(1) one of its sizes (a symbol where it is unknown)
    const shape = interp.expressions.attribute(target, 'shape');
    const [dim] = call.args;
    if (!dim) return shape;
    const axis = numberOf(dim);
    if (shape.kind !== 'seq' || axis === undefined) return UNKNOWN_VALUE;
    return shape.items[axis < 0 ? shape.items.length + axis : axis] ?? UNKNOWN_VALUE;
  }
  if (method === 'dim' || method === 'ndimension') {
    const shape = interp.expressions.attribute(target, 'shape');
    return shape.kind === 'seq' ? { kind: 'number', value: shape.items.length } : UNKNOWN_VALUE;
  }
  if (method === 'numel') return UNKNOWN_VALUE;
  if (method === 'view' || method === 'reshape') {
    const sizes = call.args.length === 1 && call.args[0]?.kind === 'seq' ? call.args[0].items : call.args;
    // `x.view(new_shape)` with a shape footgun could not read is not a view to one axis
    const unread = call.args.length === 1 && call.args[0]?.kind !== 'seq' && call.args[0]?.kind !== 'number' && call.args[0]?.kind !== 'symbol';
    const shape = call.hasSplat || unread || sizes.includes(UNKNOWN_SPREAD) ? UNKNOWN : sizes.map((size) => (size.kind === 'number' || size.kind === 'symbol' ? toArg(size) : null));
    return apply(interp, `.${method}`, 'reshape', call.node, [target], { torch_shape: shape });
  }
  if (method === 'flatten') {
    return apply(interp, '.flatten', 'flatten', call.node, [target], { start_dim: toArg(argument(call, 'start_dim', 0) ?? { kind: 'number', value: 0 }), end_dim: toArg(argument(call, 'end_dim', 1) ?? { kind: 'number', value: -1 }) });
  }
  if ((method === 'mean' || method === 'sum' || method === 'amax') && argument(call, 'dim', 0)) {
    // x.mean([2, 3]) is a hand-written global average pooling
    const dim = argument(call, 'dim', 0)!;
    const dims = dim.kind === 'seq' ? dim.items : [dim];
    const known = dims.every((axis) => numberOf(axis) !== undefined);
    const keepdim = argument(call, 'keepdim', 1);
    return apply(interp, `.${method}`, 'reshape', call.node, [target], { torch_reduce: known ? dims.map((axis) => numberOf(axis)!) : UNKNOWN, keepdim: keepdim ? toArg(keepdim) : false });
  }
  if (method === 'transpose' || method === 'permute' || method === 'unsqueeze' || method === 'squeeze') {
    // x.transpose(1, 2), x.permute(0, 2, 1), x.unsqueeze(1), x.squeeze(0): the axes move, nothing is computed
    const axes = call.args.length === 1 && call.args[0]?.kind === 'seq' ? call.args[0].items : call.args.length > 0 ? call.args : [...call.kwargs.values()];
    const known = !call.hasSplat && axes.every((axis) => numberOf(axis) !== undefined);
    return apply(interp, `.${method}`, 'reshape', call.node, [target], { [`torch_${method}`]: known ? axes.map((axis) => numberOf(axis)!) : UNKNOWN });
  }
  if (method === 'chunk' || method === 'split' || method === 'unbind') return pieces(target, method, call.args, call, interp);
  if (method === 'expand') {
    // `self.cls_token.expand(x.shape[0], -1, -1)`: sizes from the right, -1 keeps the input's
    const sizes = call.args.length === 1 && call.args[0]?.kind === 'seq' ? call.args[0].items : call.args;
    const known = !call.hasSplat && !sizes.includes(UNKNOWN_SPREAD);
    return apply(interp, '.expand', 'reshape', call.node, [target], { torch_expand: known ? sizes.map((size) => (size.kind === 'number' || size.kind === 'symbol' ? toArg(size) : null)) : UNKNOWN });
  }
  const operator = ARITHMETIC_METHODS[method];
  const [other] = call.args;
  if (operator && other && call.args.length === 1) return elementwise('pytorch', operator, target, asTensor(other, interp), call.node, interp);
  if (method === 'expand_as') {
    const [other] = call.args;
    return other?.kind === 'tensor' ? apply(interp, '.expand_as', 'merge', call.node, [target, other]) : undefined;
  }
  if (TORCH_FUNCTIONAL_ACTIVATIONS[method]) return activationNode(method, target, call, interp, argument(call, 'dim', 0));
  return undefined;
}

/**
 * `x.chunk(2, dim=1)`, `x.split([16, 48], 1)`, `x.unbind(0)`: a tuple of tensors when footgun knows
 * how many, each a selection along the axis; else one tensor of unknown shape (unpacking it keeps
 * the graph connected).
 */
function pieces(input: Tensor, method: string, args: Value[], call: CallSite, interp: Interpreter): Value {
  const dimValue = call.kwargs.get('dim') ?? (method === 'unbind' ? args[0] : args[1]);
  const dim = dimValue ? numberOf(dimValue) : 0;
  const shape = interp.expressions.attribute(input, 'shape');
  const rank = shape.kind === 'seq' ? shape.items.length : undefined;
  const axis = dim === undefined ? undefined : dim < 0 && rank !== undefined ? rank + dim : dim;
  const sizeValue = shape.kind === 'seq' && axis !== undefined ? shape.items[axis] : undefined;
  const size = numberOf(sizeValue);
  const opaque = () => interp.opaque(`.${method}`, 'pytorch', call.node, [input], true);
  if (axis === undefined || axis < 0 || call.hasSplat) return opaque();
  const lead: ArgValue[] = Array.from({ length: axis }, () => ['slice', null, null, null]);
  const select = (entry: ArgValue) => selection(interp, `.${method}`, call.node, input, { torch_index: [...lead, entry] });
  const first = call.kwargs.get(method === 'chunk' ? 'chunks' : 'split_size_or_sections') ?? args[0];
  if (method === 'unbind') {
    if (size === undefined || size > 64) return opaque();
    return seq(Array.from({ length: size }, (_, i) => select(['index', i])), true);
  }
  if (method === 'chunk') {
    const chunks = numberOf(first);
    if (chunks === undefined || chunks < 1 || chunks > 64) return opaque();
    if (size === undefined) return seq(Array.from({ length: chunks }, () => select(['slice', UNKNOWN, UNKNOWN, null])), true);
    const step = Math.ceil(size / chunks);
    const count = Math.ceil(size / step);
    return seq(Array.from({ length: count }, (_, i) => select(['slice', i * step, Math.min(size, (i + 1) * step), null])), true);
  }
  // split: a size per piece, or one size for every piece
  if (first?.kind === 'seq') {
    const sections = first.items.map(numberOf);
    if (sections.length > 64 || first.items.includes(UNKNOWN_SPREAD)) return opaque();
    let start: number | undefined = 0;
    return seq(
      sections.map((section) => {
        const bounds: ArgValue = start !== undefined && section !== undefined ? ['slice', start, start + section, null] : ['slice', UNKNOWN, UNKNOWN, null];
        start = start !== undefined && section !== undefined ? start + section : undefined;
        return select(bounds);
      }),
      true,
    );
  }
  const each = numberOf(first);
  if (each === undefined || size === undefined || each < 1 || Math.ceil(size / each) > 64) return opaque();
  return seq(Array.from({ length: Math.ceil(size / each) }, (_, i) => select(['slice', i * each, Math.min(size, (i + 1) * each), null])), true);
}

/** `x[:, -1]`, `h_n[-2:]`, `x[:, :c, :, :]`, `x[..., None]`: what each position selects. */
export function indexTensor(tensor: Tensor, keys: IndexKey[], node: PyNode, interp: Interpreter): Value {
  const entries: ArgValue[] = keys.map((key) => {
    switch (key.kind) {
      case 'ellipsis':
        return '...';
      case 'newaxis':
        return 'newaxis';
      case 'slice':
        return ['slice', bound(key.start), bound(key.stop), bound(key.step)];
      default:
        return key.value.kind === 'number' || key.value.kind === 'symbol' ? ['index', toArg(key.value)] : UNKNOWN;
    }
  });
  return selection(interp, 'Slice', node, tensor, { torch_index: entries });
}

function bound(value: Value | undefined): ArgValue {
  if (!value || value.kind === 'none') return null;
  return value.kind === 'number' ? value.value : UNKNOWN;
}

/**
 * `einops.rearrange(x, 'b c h w -> b (h w) c')` and `reduce(x, 'b c h w -> b c', 'mean')`, the
 * pattern with the axis sizes given by keyword (`p1=16`).
 */
export function einopsOperation(name: string, input: Tensor, pattern: Value | undefined, call: CallSite, interp: Interpreter, node: PyNode): Value {
  if (pattern?.kind !== 'string') return interp.opaque(name, 'pytorch', node, [input], true);
  const sizes: ArgValue[] = [...call.kwargs].filter(([, value]) => value.kind === 'number').map(([key, value]) => [key, toArg(value)]);
  return apply(interp, name, 'reshape', node, [input], { einops_pattern: pattern.value, einops_sizes: sizes, einops_reduce: name.endsWith('reduce') });
}
