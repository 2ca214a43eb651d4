import type { ArgValue, OptimizerSpec } from '../../ir.js';
import { UNKNOWN } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import { ModelBuilder } from '../graph.js';
import { ArgumentRecorder, callOf, elementwise, memoise, syntheticLayer, valueNode } from '../frontend-kit.js';
import type { FrontEnd, Interpreter } from '../interpreter.js';
import { markModelUse } from '../roles.js';
import type { CallSite, LayerObject, Value } from '../abstract/values.js';
import { NONE_VALUE, UNKNOWN_SPREAD, UNKNOWN_VALUE, argument, flattenTensors, numberOf, seq, toArg } from '../abstract/values.js';
import { predictionOf } from '../abstract/data.js';
import type { TorchLayerSpec } from './catalog.js';
import { lossFunctionCall, lossModuleCall } from './loss-calls.js';
import { TORCH_DEFAULT_INITIALIZER, TORCH_FUNCTIONAL_ACTIVATIONS, TORCH_INITIALIZERS, TORCH_LAYERS, TORCH_LOSSES } from './catalog.js';

type TorchNamespace = 'nn' | 'functional' | 'init' | 'optim' | 'torch' | 'bare';

interface TorchSymbol {
  namespace: TorchNamespace;
  name: string;
}

/**
 * Where a dotted path lands in PyTorch: `nn.Conv2d` (after `from torch import nn` or
 * `import torch.nn as nn`), `torch.nn.Conv2d`, `Conv2d` (after `from torch.nn import Conv2d`),
 * `F.relu` (after `import torch.nn.functional as F`), `nn.init.zeros_`, `torch.optim.SGD`.
 */
const torchSymbol = memoise(readTorchSymbol);

function readTorchSymbol(path: string): TorchSymbol | undefined {
  const parts = path.split('.');
  const name = parts[parts.length - 1]!;
  if (parts.length === 1) return { namespace: 'bare', name };
  if (parts[0] !== 'torch') return undefined;
  const middle = parts.slice(1, -1).join('.');
  if (middle === 'nn' || middle === 'nn.modules') return { namespace: 'nn', name };
  if (middle === 'nn.functional') return { namespace: 'functional', name };
  if (middle === 'nn.init') return { namespace: 'init', name };
  if (middle.startsWith('optim')) return { namespace: 'optim', name };
  if (middle === '') return { namespace: 'torch', name };
  return undefined;
}

/** PyTorch Lightning's module, an nn.Module that also holds its training step and optimizer. */
const LIGHTNING_MODULE = /^(?:pytorch_lightning|lightning(?:\.pytorch)?)(?:\.core(?:\.module)?)?\.LightningModule$/;

const OPTIMIZERS = new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam', 'LBFGS', 'SparseAdam', 'ASGD', 'Rprop']);
const SHAPE_PRESERVING_METHODS = new Set(['contiguous', 'clone', 'detach', 'float', 'double', 'half', 'to', 'cuda', 'cpu']);
/**
 * `spectral_norm(nn.Conv2d(…))` returns the module it is given, its weight reparametrised with as
 * many parameters. (weight_norm adds a magnitude per output channel: it stays opaque.)
 */
const WEIGHT_REPARAMETRISATIONS = /^torch\.nn\.utils\.(?:parametrizations\.)?spectral_norm$/;
const PARAMETER_METHODS = new Set(['parameters', 'named_parameters']);
const MODEL_MODE_METHODS = new Set(['to', 'cuda', 'cpu', 'eval', 'train', 'float', 'double', 'half', 'requires_grad_']);
const VOCABULARY = /\b(?:nn|torch|F|optim)\.\w+|\b(?:Conv[123]d|Linear|LSTM|GRU|Embedding|BatchNorm[123]d|Sequential|ModuleList|CrossEntropyLoss|NLLLoss)\b/;

export const torchFrontEnd: FrontEnd = {
  framework: 'pytorch',
  forwardMethod: 'forward',
  vocabulary: VOCABULARY,
  vocabularyCall: callOf(VOCABULARY),

  trainingMethods: ['training_step', 'configure_optimizers'],

  classRole(path) {
    if (LIGHTNING_MODULE.test(path)) return 'model';
    const symbol = torchSymbol(path);
    if (!symbol) return undefined;
    return symbol.name === 'Module' && symbol.namespace === 'nn' ? 'model' : undefined;
  },

  callExternal(path, call, interp) {
    if (path === 'torchsummary.summary' || path === 'torchinfo.summary') return recordSummaryInput(path, call);
    if (WEIGHT_REPARAMETRISATIONS.test(path)) return argument(call, 'module', 0) ?? UNKNOWN_VALUE;
    const symbol = torchSymbol(path);
    if (!symbol) return undefined;
    const { namespace, name } = symbol;
    if (namespace === 'bare' && !bareNamesAreTorch(interp)) return undefined;
    if (namespace === 'nn' || namespace === 'bare') {
      const spec = TORCH_LAYERS[name];
      if (spec) return { kind: 'layer', layer: makeLayer(name, spec, call, interp) };
      if (name === 'Sequential') return makeSequential(call, interp);
      if (name === 'ModuleList') return seq(listItems(argument(call, 'modules', 0)));
      if (name === 'ModuleDict') return argument(call, 'modules', 0) ?? { kind: 'dict', entries: new Map() };
      const loss = TORCH_LOSSES[name];
      if (loss) return recordLoss(name, loss, call, interp);
      if (namespace === 'nn') return undefined;
    }
    if (namespace === 'functional') return functional(name, call, interp);
    if (namespace === 'init') return initialise(name, call);
    if (namespace === 'optim' && OPTIMIZERS.has(name)) return recordOptimizer(name, call, interp);
    if (namespace === 'torch' || namespace === 'bare') return tensorFunction(name, call, interp);
    return undefined;
  },

  callMethod(target, method, call, interp) {
    if (target.kind === 'layer' && target.layer.framework === 'pytorch' && method === '__call__') return applyModule(target.layer, call, interp);
    if (target.kind === 'object' && method === '__call__') return lossModuleCall(target, call);
    if (target.kind === 'model' && target.model.framework === 'pytorch') {
      const model = target.model;
      if (method === '__call__') {
        if (!interp.usedAsComponent(model, call)) return predictionOf(model, call);
        return interp.applySequence(model.items ?? [], call.args[0] ?? call.kwargs.get('input') ?? UNKNOWN_VALUE, call.node);
      }
      if (method === 'append' || method === 'add_module') {
        const item = call.args[call.args.length - 1];
        if (item && model.items) model.items.push(item);
        return NONE_VALUE;
      }
      if (MODEL_MODE_METHODS.has(method)) return target;
      if (PARAMETER_METHODS.has(method)) return { kind: 'parameters', model };
      return UNKNOWN_VALUE;
    }
    if (target.kind === 'instance' && target.model?.framework === 'pytorch') {
      if (MODEL_MODE_METHODS.has(method)) return target;
      if (method === 'add_module' || method === 'register_module') {
        // self.add_module('conv', module) is `self.conv = module`
        const [name, module] = [argument(call, 'name', 0), argument(call, 'module', 1)];
        if (module) {
          if (name?.kind === 'string') target.attrs.set(name.value, module);
          interp.noteAttribute(target, module);
        }
        return NONE_VALUE;
      }
      if (method === 'save_hyperparameters') {
        // Lightning keeps the arguments of __init__ as self.hparams
        target.attrs.set('hparams', { kind: 'dict', entries: new Map(interp.currentArguments()) });
        return NONE_VALUE;
      }
      if (PARAMETER_METHODS.has(method)) return { kind: 'parameters', model: target.model };
      return UNKNOWN_VALUE;
    }
    if (target.kind === 'tensor' && interp.graph.nodes[target.node]!.layer.framework === 'pytorch') return tensorMethod(target, method, call, interp);
    return undefined;
  },

  tensorOperator(operator, left, right, node, interp) {
    return elementwise('pytorch', operator, left, right, node, interp);
  },
};

/** A bare `Linear` with no import is PyTorch's only when the file uses torch and not Keras. */
function bareNamesAreTorch(interp: Interpreter): boolean {
  return interp.importedRoots.has('torch') && !interp.importedRoots.has('keras') && !interp.importedRoots.has('tensorflow');
}

function synthetic(type: string, kind: LayerObject['kind'], node: PyNode, interp: Interpreter, args: Record<string, ArgValue> = {}): LayerObject {
  return syntheticLayer('pytorch', type, kind, node, interp, args);
}

function makeLayer(name: string, spec: TorchLayerSpec, call: CallSite, interp: Interpreter): LayerObject {
  const recorder = new ArgumentRecorder(spec.defaults, call, { data_format: 'channels_first' });
  spec.params.forEach((param, index) => {
    const value = call.args[index];
    if (value !== undefined) recorder.record(param, value, call.argNodes[index]);
  });
  for (const [key, value] of call.kwargs) recorder.record(spec.renames?.[key] ?? key, value, call.kwargNodes.get(key));
  const { args, argRanges, argText } = recorder;
  if (spec.rank) {
    // a padding layer's `padding` is per side (left, right, top, bottom), not per axis
    const perAxis = spec.kind === 'padding' ? ['kernel_size', 'strides', 'dilation_rate', 'pool_size', 'output_padding'] : ['kernel_size', 'strides', 'dilation_rate', 'pool_size', 'padding', 'output_padding'];
    for (const param of perAxis) {
      const value = args[param];
      if (typeof value === 'number') args[param] = Array.from({ length: spec.rank }, () => value);
    }
  }
  if (spec.kind === 'pool' && (args.strides === null || args.strides === undefined)) args.strides = args.pool_size ?? null;
  const layer: LayerObject = {
    framework: 'pytorch',
    type: name,
    kind: spec.kind,
    rank: spec.rank,
    args,
    argRanges,
    argText,
    positionalArgs: recorder.positional,
    activation: spec.kind === 'activation' ? (spec.applies ?? null) : spec.kind === 'dense' || spec.kind === 'conv' || spec.kind === 'conv-transpose' ? 'linear' : null,
    range: call.node.range,
    weightKey: interp.nextWeightKey(),
  };
  if (name === 'LeakyReLU' && args.negative_slope === 0) layer.activation = 'relu';
  if (spec.kind === 'dense' || spec.kind === 'conv' || spec.kind === 'conv-transpose' || spec.kind === 'embedding') {
    layer.kernelInitializer = { name: TORCH_DEFAULT_INITIALIZER, explicit: false };
  }
  if (spec.kind === 'conv' && typeof args.groups === 'number' && args.groups > 1 && args.groups === args.in_channels && args.groups === args.filters) {
    layer.kind = 'depthwise-conv';
  }
  const encoderLayer = argument(call, 'encoder_layer', 0);
  if (name === 'TransformerEncoder' && encoderLayer?.kind === 'layer') {
    layer.args.d_model = encoderLayer.layer.args.d_model ?? null;
    layer.args.dim_feedforward = encoderLayer.layer.args.dim_feedforward ?? null;
  }
  return layer;
}

/**
 * Calls a module on its inputs. Recurrent modules return (output, h_n), LSTM (output, (h_n, c_n)),
 * and attention (output, weights), as in PyTorch: the states are tensors of the graph (of unknown
 * shape), so a classifier on `h_n[-1]` stays connected to the layers before it.
 */
function applyModule(layer: LayerObject, call: CallSite, interp: Interpreter): Value {
  const output = interp.applyLayer(layer, call.args.slice(0, 1), call.sequenceStep ? undefined : call.node);
  const derived = (type: string) => interp.opaque(type, 'pytorch', call.node, [output], true);
  if (layer.kind === 'recurrent') return seq([output, layer.type === 'LSTM' ? seq([derived('State'), derived('State')], true) : derived('State')], true);
  if (layer.type === 'MultiheadAttention') return seq([output, derived('AttentionWeights')], true);
  return output;
}

function listItems(value: Value | undefined): Value[] {
  if (value?.kind === 'seq') return [...value.items];
  return [];
}

function makeSequential(call: CallSite, interp: Interpreter): Value {
  const builder = interp.addBuilder(new ModelBuilder('pytorch', 'sequential', call.node));
  builder.dataFormat = 'channels_first';
  const [first] = call.args;
  if (call.args.length === 1 && first?.kind === 'dict') {
    builder.items = [...first.entries].map(([name, item]) => {
      if (item.kind === 'layer' && item.layer.name === undefined) item.layer.name = name;
      return item;
    });
  } else {
    builder.items = [...call.args];
  }
  for (const item of builder.items) {
    if (item.kind === 'model' && !item.model.compileRange) item.model.component = true;
    if (item.kind === 'instance' && item.model) item.model.component = true;
  }
  return { kind: 'model', model: builder };
}

function activationNode(name: string, tensor: Value, call: CallSite, interp: Interpreter, dim: Value | undefined): Value {
  const layer = synthetic(`F.${name}`, 'activation', call.node, interp);
  layer.activation = TORCH_FUNCTIONAL_ACTIVATIONS[name] ?? name;
  if (name === 'softmax' || name === 'log_softmax') layer.args.dim = dim === undefined ? null : toArg(dim);
  return interp.applyLayer(layer, [tensor]);
}

function functional(name: string, call: CallSite, interp: Interpreter): Value | undefined {
  const loss = TORCH_LOSSES[name];
  if (loss) {
    recordLoss(name, loss, call, interp);
    return lossFunctionCall(name, call) ?? UNKNOWN_VALUE;
  }
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
  return undefined;
}

function tensorFunction(name: string, call: CallSite, interp: Interpreter): Value | undefined {
  const tensors = call.args.flatMap(flattenTensors);
  if (tensors.length === 0) return undefined;
  const [input] = call.args;
  if (TORCH_FUNCTIONAL_ACTIVATIONS[name] && input?.kind === 'tensor') return activationNode(name, input, call, interp, argument(call, 'dim', 1));
  if (name === 'flatten' && input?.kind === 'tensor') {
    return interp.applyLayer(synthetic('torch.flatten', 'flatten', call.node, interp, { start_dim: toArg(argument(call, 'start_dim', 1) ?? { kind: 'number', value: 0 }), end_dim: toArg(argument(call, 'end_dim', 2) ?? { kind: 'number', value: -1 }) }), [input]);
  }
  if (name === 'cat' || name === 'concat') {
    return interp.applyLayer(synthetic('torch.cat', 'merge', call.node, interp, { axis: toArg(argument(call, 'dim', 1) ?? { kind: 'number', value: 0 }), concat: true }), tensors);
  }
  if (name === 'add') return interp.applyLayer(synthetic('Add', 'merge', call.node, interp), tensors);
  return undefined;
}

function tensorMethod(target: Extract<Value, { kind: 'tensor' }>, method: string, call: CallSite, interp: Interpreter): Value | undefined {
  if (SHAPE_PRESERVING_METHODS.has(method)) return target;
  if (method === 'size' || method === 'dim' || method === 'numel') return UNKNOWN_VALUE;
  if (method === 'view' || method === 'reshape') {
    const sizes = call.args.length === 1 && call.args[0]?.kind === 'seq' ? call.args[0].items : call.args;
    const shape = call.hasSplat || sizes.includes(UNKNOWN_SPREAD) ? UNKNOWN : sizes.map((size) => numberOf(size) ?? null);
    return interp.applyLayer(synthetic(`.${method}`, 'reshape', call.node, interp, { torch_shape: shape }), [target]);
  }
  if (method === 'flatten') {
    return interp.applyLayer(synthetic('.flatten', 'flatten', call.node, interp, { start_dim: toArg(argument(call, 'start_dim', 0) ?? { kind: 'number', value: 0 }), end_dim: -1 }), [target]);
  }
  if ((method === 'mean' || method === 'sum') && argument(call, 'dim', 0)) {
    // x.mean([2, 3]) is a hand-written global average pooling
    const dim = argument(call, 'dim', 0)!;
    const dims = dim.kind === 'seq' ? dim.items : [dim];
    const known = dims.every((axis) => numberOf(axis) !== undefined);
    const keepdim = argument(call, 'keepdim', 1);
    const args = { torch_reduce: known ? dims.map((axis) => numberOf(axis)!) : UNKNOWN, keepdim: keepdim ? toArg(keepdim) : false };
    return interp.applyLayer(synthetic(`.${method}`, 'reshape', call.node, interp, args), [target]);
  }
  if (method === 'transpose' || method === 'permute' || method === 'unsqueeze') {
    // x.transpose(1, 2), x.permute(0, 2, 1), x.unsqueeze(1): the axes move, nothing is computed
    const axes = call.args.length === 1 && call.args[0]?.kind === 'seq' ? call.args[0].items : call.args;
    const known = !call.hasSplat && axes.every((axis) => numberOf(axis) !== undefined);
    const args = { [`torch_${method}`]: known ? axes.map((axis) => numberOf(axis)!) : UNKNOWN };
    return interp.applyLayer(synthetic(`.${method}`, 'reshape', call.node, interp, args), [target]);
  }
  if (TORCH_FUNCTIONAL_ACTIVATIONS[method]) return activationNode(method, target, call, interp, argument(call, 'dim', 0));
  return undefined;
}

function recordLoss(name: string, loss: { name: string; fromLogits: boolean }, call: CallSite, interp: Interpreter): Value {
  if (!interp.fileLosses.some((known) => known.name === loss.name && known.fromLogits === loss.fromLogits)) {
    const written = /^[A-Z]/.test(name) ? `nn.${name}` : `F.${name}`;
    interp.fileLosses.push({ name: loss.name, known: true, isMetric: false, fromLogits: loss.fromLogits, range: call.node.range, written });
  }
  return { kind: 'object', path: `torch.nn.${name}`, call };
}

/** An optimizer trains the model whose parameters it is given; one made from anything else is the file's. */
function recordOptimizer(name: string, call: CallSite, interp: Interpreter): Value {
  const learningRate = argument(call, 'lr', 1);
  const rateNode = call.kwargNodes.get('lr') ?? call.argNodes[1];
  const momentum = argument(call, 'momentum', name === 'SGD' ? 2 : undefined);
  const parameters = argument(call, 'params', 0);
  const spec: OptimizerSpec = {
    name: name.toLowerCase(),
    written: `optim.${name}`,
    learningRate: learningRate ? toArg(learningRate) : undefined,
    momentum: momentum ? toArg(momentum) : undefined,
    argsUnknown: call.hasSplat,
    range: call.node.range,
    learningRateRange: learningRate ? valueNode(rateNode)?.range : undefined,
  };
  if (parameters?.kind === 'parameters') parameters.model.optimizer ??= spec;
  else interp.fileOptimizers.push(spec);
  return { kind: 'object', path: `torch.optim.${name}`, call };
}

/**
 * `summary(model, (3, 224, 224))` (torchsummary: no batch axis) and
 * `summary(model, input_size=(1, 3, 224, 224))` (torchinfo: with it) show the model's input size.
 */
function recordSummaryInput(path: string, call: CallSite): Value {
  const [target] = call.args;
  const model = target?.kind === 'model' ? target.model : target?.kind === 'instance' ? target.model : undefined;
  const size = argument(call, 'input_size', 1);
  if (model && size?.kind === 'seq') {
    const dims = size.items.map((item) => numberOf(item) ?? null);
    model.inputShape = path.startsWith('torchsummary') ? [null, ...dims] : [null, ...dims.slice(1)];
    markModelUse(model, `summarised on an input at line ${call.node.line}`);
  }
  return UNKNOWN_VALUE;
}

/** `nn.init.zeros_(self.fc.weight)` sets the initializer of the layer whose weight it is given. */
function initialise(name: string, call: CallSite): Value {
  const [target] = call.args;
  const initializer = TORCH_INITIALIZERS[name.endsWith('_') ? name : `${name}_`];
  if (initializer && target?.kind === 'method' && target.name === 'weight' && target.target.kind === 'layer') {
    const layer = target.target.layer;
    layer.kernelInitializer = { name: initializer, explicit: true, range: call.node.range };
    if (initializer === 'constant') {
      const value = numberOf(argument(call, 'val', 1));
      if (value !== undefined) layer.args.kernel_initializer_value = value;
    }
  }
  return NONE_VALUE;
}
