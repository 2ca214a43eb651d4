import type { OptimizerSpec } from '../../ir.js';
import { ModelBuilder } from '../graph.js';
import { ArgumentRecorder, callOf, elementwise, memoise, valueNode } from '../frontend-kit.js';
import type { FrontEnd, Interpreter } from '../interpreter.js';
import { markModelUse } from '../roles.js';
import type { CallSite, ClassValue, InstanceValue, LayerObject, Value } from '../abstract/values.js';
import { NONE_VALUE, UNKNOWN_VALUE, argument, numberOf, seq, toArg } from '../abstract/values.js';
import { predictionOf } from '../abstract/data.js';
import { isSymbolic, sameSize } from '../../shapes/symbolic.js';
import { syntheticCall } from '../calls.js';
import { namedChildren, namedModules, namedPairs, sequentialSteps } from '../introspection.js';
import type { TorchLayerSpec } from './catalog.js';
import { TORCH_DEFAULT_INITIALIZER, TORCH_INITIALIZERS, TORCH_LAYERS, TORCH_LOSSES } from './catalog.js';
import { lossFunctionCall, lossModuleCall } from './loss-calls.js';
import { asTensor, einopsOperation, functional, indexTensor, isParameter, synthetic, tensorFunction, tensorMethod } from './tensor-ops.js';

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
  if (middle === 'nn' || middle === 'nn.modules' || middle.startsWith('nn.modules.')) return { namespace: 'nn', name };
  if (middle === 'nn.functional') return { namespace: 'functional', name };
  if (middle === 'nn.init') return { namespace: 'init', name };
  if (middle.startsWith('optim')) return { namespace: 'optim', name };
  if (middle === '') return { namespace: 'torch', name };
  return undefined;
}

/** PyTorch Lightning's module, an nn.Module that also holds its training step and optimizer. */
const LIGHTNING_MODULE = /^(?:pytorch_lightning|lightning(?:\.pytorch)?)(?:\.core(?:\.module)?)?\.LightningModule$/;

const OPTIMIZERS = new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam', 'LBFGS', 'SparseAdam', 'ASGD', 'Rprop']);
/**
 * `spectral_norm(nn.Conv2d(…))` returns the module it is given, its weight reparametrised with as
 * many parameters. (weight_norm adds a magnitude per output channel: it stays opaque.)
 */
const WEIGHT_REPARAMETRISATIONS = /^torch\.nn\.utils\.(?:parametrizations\.)?spectral_norm$/;
const PARAMETER_METHODS = new Set(['parameters', 'named_parameters']);
/** torch.nn.utils.rnn: packing keeps the (N, L, H) layout the model sees; unpacking returns it with the lengths */
const PACK = /^torch\.nn\.utils\.rnn\.pack_padded_sequence$/;
const UNPACK = /^torch\.nn\.utils\.rnn\.pad_packed_sequence$/;
const EINOPS = /^einops\.(?:einops\.)?(rearrange|reduce)$/;
const EINOPS_LAYERS = /^einops\.layers\.torch\.(Rearrange|Reduce)$/;
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
    return symbol.namespace === 'nn' && MODULE_BASES.has(symbol.name) ? 'model' : undefined;
  },

  inheritedMethod(instance, method, call, interp) {
    const base = moduleBase(instance.cls);
    if (!base) return undefined;
    switch (method) {
      case '__init__':
        registerContainerItems(instance, base, call, interp);
        return NONE_VALUE;
      case 'forward':
        // nn.Sequential applies its modules in the order they were registered
        return base === 'Sequential' && call.args[0] ? interp.applySequence(sequentialSteps(instance), call.args[0], call.node) : undefined;
      case '__iter__':
        if (base === 'ModuleDict') return seq(namedChildren(instance).map(([name]) => ({ kind: 'string', value: name })));
        return base === 'Sequential' || base === 'ModuleList' ? seq(sequentialSteps(instance)) : undefined;
      case 'items':
        return base === 'ModuleDict' ? namedPairs(namedChildren(instance)) : undefined;
      case 'values':
        return base === 'ModuleDict' ? seq(namedChildren(instance).map(([, module]) => module)) : undefined;
      case 'keys':
        return base === 'ModuleDict' ? seq(namedChildren(instance).map(([name]) => ({ kind: 'string', value: name }))) : undefined;
      default:
        return undefined;
    }
  },

  callExternal(path, call, interp) {
    if (path === 'torchsummary.summary' || path === 'torchinfo.summary') return recordSummaryInput(path, call);
    if (WEIGHT_REPARAMETRISATIONS.test(path)) return argument(call, 'module', 0) ?? UNKNOWN_VALUE;
    const packed = sequencePacking(path, call, interp);
    if (packed) return packed;
    const einops = EINOPS.exec(path);
    const [input] = call.args;
    if (einops && input?.kind === 'tensor') return einopsOperation(`einops.${einops[1]}`, input, argument(call, 'pattern', 1), call, interp, call.node);
    const einopsLayer = EINOPS_LAYERS.exec(path);
    if (einopsLayer) return { kind: 'layer', layer: einopsModule(einopsLayer[1]!, call, interp) };
    const symbol = torchSymbol(path);
    if (!symbol) return undefined;
    const { namespace, name } = symbol;
    if (namespace === 'bare' && !bareNamesAreTorch(interp)) return undefined;
    if (namespace === 'nn' || namespace === 'bare') {
      const spec = TORCH_LAYERS[name];
      if (spec) return { kind: 'layer', layer: makeLayer(name, spec, call, interp) };
      if (name === 'Sequential') return makeSequential(call, interp);
      if (name === 'Parameter') return { kind: 'layer', layer: makeParameter(call, interp) };
      if (name === 'ParameterList') return seq(listItems(argument(call, 'values', 0)));
      if (name === 'ParameterDict') return argument(call, 'parameters', 0) ?? { kind: 'dict', entries: new Map() };
      if (name === 'ModuleList') return seq(listItems(argument(call, 'modules', 0)));
      if (name === 'ModuleDict') return argument(call, 'modules', 0) ?? { kind: 'dict', entries: new Map() };
      const loss = TORCH_LOSSES[name];
      if (loss) return recordLoss(name, loss, call, interp);
      if (namespace === 'nn') return undefined;
    }
    if (namespace === 'functional') {
      const loss = TORCH_LOSSES[name];
      if (!loss) return functional(name, withParameterTensors(call, interp, true), interp);
      recordLoss(name, loss, call, interp);
      return lossFunctionCall(name, call) ?? UNKNOWN_VALUE;
    }
    if (namespace === 'init') return initialise(name, call);
    if (namespace === 'optim' && OPTIMIZERS.has(name)) return recordOptimizer(name, call, interp);
    if (namespace === 'torch' || namespace === 'bare') return tensorFunction(name, withParameterTensors(call, interp), interp);
    return undefined;
  },

  callMethod(target, method, call, interp) {
    if (target.kind === 'layer' && target.layer.framework === 'pytorch' && method === '__call__') return applyModule(target.layer, call, interp);
    if (target.kind === 'object' && method === '__call__') return lossModuleCall(target, call);
    if ((target.kind === 'model' && target.model.framework === 'pytorch') || (target.kind === 'instance' && target.model?.framework === 'pytorch')) {
      const tree = moduleTreeMethod(target, method, call, interp);
      if (tree) return tree;
    }
    if (target.kind === 'model' && target.model.framework === 'pytorch') {
      const model = target.model;
      if (method === '__call__') {
        if (!interp.usedAsComponent(model, call)) return predictionOf(model, call);
        return interp.applySequence(model.items ?? [], call.args[0] ?? call.kwargs.get('input') ?? UNKNOWN_VALUE, call.node);
      }
      if (method === 'append' || method === 'add_module') {
        const item = call.args[call.args.length - 1];
        if (item && model.items) {
          interp.willMutate(model);
          model.items.push(item);
          markComponent(item);
        }
        return NONE_VALUE;
      }
      if (MODEL_MODE_METHODS.has(method)) return target;
      if (PARAMETER_METHODS.has(method)) return { kind: 'parameters', model };
      return UNKNOWN_VALUE;
    }
    if (target.kind === 'instance' && target.model?.framework === 'pytorch') {
      if (MODEL_MODE_METHODS.has(method)) return target;
      if (method === 'save_hyperparameters') {
        // Lightning keeps the arguments of __init__ as self.hparams
        interp.setAttribute(target, 'hparams', { kind: 'dict', entries: new Map(interp.currentArguments()) });
        return NONE_VALUE;
      }
      if (PARAMETER_METHODS.has(method)) return { kind: 'parameters', model: target.model };
      return torchFrontEnd.inheritedMethod?.(target, method, call, interp) ?? UNKNOWN_VALUE;
    }
    if (target.kind === 'tensor' && interp.graph.nodes[target.node]!.layer.framework === 'pytorch') return tensorMethod(target, method, call, interp);
    // `self.cls_token.expand(b, -1, -1)`: a weight of the module used as a tensor (not `.data`, not an init)
    if (isParameter(target) && !method.endsWith('_')) return tensorMethod(asTensor(target, interp) as Tensor, method, call, interp);
    return undefined;
  },

  tensorOperator(operator, left, right, node, interp) {
    return elementwise('pytorch', operator, asTensor(left, interp), asTensor(right, interp), node, interp);
  },

  indexTensor(tensor, keys, node, interp) {
    return indexTensor(tensor, keys, node, interp);
  },

  isInstance(value, path) {
    const symbol = torchSymbol(path);
    if (!symbol || symbol.namespace === 'bare' || symbol.namespace === 'functional' || symbol.namespace === 'init') return undefined;
    const { name } = symbol;
    // isinstance(x, torch.Tensor): a tensor of the graph is one; a list, a number or a module is not
    if (symbol.namespace === 'torch' && name === 'Tensor') return value.kind === 'tensor' ? true : NOT_TENSORS.has(value.kind) ? false : undefined;
    if (value.kind === 'layer' && value.layer.framework === 'pytorch') {
      if (name === 'Module') return true;
      const family = CLASS_FAMILIES[name];
      if (family) return family.test(value.layer.type);
      return TORCH_LAYERS[name] || name === 'Sequential' || name === 'ModuleList' || name === 'ModuleDict' ? name === value.layer.type || (name === 'Linear' && value.layer.type === 'LazyLinear') : undefined;
    }
    if (value.kind === 'model' && value.model.framework === 'pytorch') return name === 'Module' || name === 'Sequential' ? true : TORCH_LAYERS[name] || CLASS_FAMILIES[name] ? false : undefined;
    if (value.kind === 'instance' && value.model?.framework === 'pytorch') {
      if (name === 'Module') return true;
      // a model class derives from nn.Module (or a LightningModule), not from a layer class
      return TORCH_LAYERS[name] || CLASS_FAMILIES[name] || name === 'Sequential' ? false : undefined;
    }
    return undefined;
  },
};

const NOT_TENSORS = new Set<Value['kind']>(['seq', 'dict', 'number', 'string', 'bool', 'none', 'layer', 'model', 'instance', 'function', 'class']);

/** torch.nn classes a model class derives from: their modules are the model's. */
const MODULE_BASES = new Set(['Module', 'Sequential', 'ModuleList', 'ModuleDict']);

/** The torch.nn container a class derives from (directly or through classes of the file). */
function moduleBase(cls: ClassValue, depth = 0): string | undefined {
  for (const base of cls.bases) {
    if (base.kind === 'external') {
      const symbol = torchSymbol(base.path);
      if (symbol?.namespace === 'nn' && MODULE_BASES.has(symbol.name)) return symbol.name;
      if (LIGHTNING_MODULE.test(base.path)) return 'Module';
    } else if (base.kind === 'class' && depth < 10) {
      const inherited = moduleBase(base, depth + 1);
      if (inherited) return inherited;
    }
  }
  return undefined;
}

/**
 * nn.Sequential(*modules) or (OrderedDict), nn.ModuleList(modules), nn.ModuleDict(dict) as a base
 * class's __init__: the modules are registered under their index or key, as PyTorch does.
 */
function registerContainerItems(instance: InstanceValue, base: string, call: CallSite, interp: Interpreter): void {
  const [first] = call.args;
  let entries: [string, Value][] = [];
  if (base === 'Sequential') entries = call.args.length === 1 && first?.kind === 'dict' ? [...first.entries] : call.args.map((item, i) => [String(i), item]);
  else if (base === 'ModuleList' && first?.kind === 'seq') entries = first.items.map((item, i) => [String(i), item]);
  else if (base === 'ModuleDict' && first?.kind === 'dict') entries = [...first.entries];
  for (const [name, module] of entries) {
    markComponent(module);
    interp.setAttribute(instance, name, module);
  }
}

/** PyTorch's base classes of layer families, as model code tests them: `isinstance(m, nn.modules.batchnorm._BatchNorm)`. */
const CLASS_FAMILIES: Record<string, RegExp> = {
  _ConvNd: /^(?:Conv|ConvTranspose)[123]d$/,
  _ConvTransposeNd: /^ConvTranspose[123]d$/,
  _BatchNorm: /^BatchNorm[123]d$/,
  _NormBase: /^(?:BatchNorm|InstanceNorm)[123]d$/,
  _InstanceNorm: /^InstanceNorm[123]d$/,
  RNNBase: /^(?:RNN|LSTM|GRU)$/,
  _DropoutNd: /^(?:Dropout[123]?d?|AlphaDropout)$/,
  _MaxPoolNd: /^MaxPool[123]d$/,
  _AvgPoolNd: /^AvgPool[123]d$/,
};

/**
 * nn.Module's methods over the tree of modules: `self.modules()` and `self.apply(fn)` (initialisation
 * loops), `children()`, `named_*`, `add_module`/`__setattr__` (modules registered by name) and
 * `__getattr__` (found again by name).
 */
function moduleTreeMethod(target: Value, method: string, call: CallSite, interp: Interpreter): Value | undefined {
  const [first, second] = call.args;
  switch (method) {
    case 'modules':
      return seq(namedModules(target).map(([, module]) => module));
    case 'named_modules':
      return namedPairs(namedModules(target));
    case 'children':
      return seq(namedChildren(target).map(([, module]) => module));
    case 'named_children':
      return namedPairs(namedChildren(target));
    case 'apply': {
      if (first) for (const [, module] of namedModules(target)) interp.calls.callValue(first, syntheticCall(call.node, [module]));
      return target;
    }
  }
  if (target.kind !== 'instance') return undefined;
  switch (method) {
    case 'add_module':
    case 'register_module':
    case '__setattr__':
      if (first?.kind === 'string' && second) interp.setAttribute(target, first.value, second);
      return NONE_VALUE;
    case '__getattr__':
    case '__getattribute__':
      return first?.kind === 'string' ? interp.expressions.attribute(target, first.value) : UNKNOWN_VALUE;
    default:
      return undefined;
  }
}

/** A bare `Linear` with no import is PyTorch's only when the file uses torch and not Keras. */
function bareNamesAreTorch(interp: Interpreter): boolean {
  return interp.importedRoots.has('torch') && !interp.importedRoots.has('keras') && !interp.importedRoots.has('tensorflow');
}

function makeLayer(name: string, spec: TorchLayerSpec, call: CallSite, interp: Interpreter): LayerObject {
  const recorder = new ArgumentRecorder(spec.defaults, call, { data_format: 'channels_first' });
  spec.params.forEach((param, index) => {
    const value = call.args[index];
    if (value !== undefined) recorder.record(param, value, call.argNodes[index]);
  });
  for (const [key, value] of call.kwargs) recorder.record(spec.renames?.[key] ?? key, value, call.kwargNodes.get(key));
  const { args, argRanges, argText, floatArguments } = recorder;
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
  if (Object.keys(floatArguments).length > 0) layer.floatArguments = floatArguments;
  if (name === 'LeakyReLU' && args.negative_slope === 0) layer.activation = 'relu';
  if (spec.kind === 'dense' || spec.kind === 'conv' || spec.kind === 'conv-transpose' || spec.kind === 'embedding') {
    layer.kernelInitializer = { name: TORCH_DEFAULT_INITIALIZER, explicit: false };
  }
  // groups == in_channels == out_channels, as numbers or as the same symbol (`nn.Conv2d(c, c, k, groups=c)`)
  const grouped = typeof args.groups === 'number' ? args.groups > 1 : isSymbolic(args.groups);
  if (spec.kind === 'conv' && grouped && sameSize(args.groups, args.in_channels) && sameSize(args.groups, args.filters)) {
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
 * and attention (output, weights), as in PyTorch. A state has the shape
 * (num_layers × directions, N, hidden), so `h_n[-1]` and `torch.cat([h_n[-2], h_n[-1]], 1)` are shaped.
 */
function applyModule(layer: LayerObject, call: CallSite, interp: Interpreter): Value {
  const output = interp.applyLayer(layer, call.args.slice(0, 1), call.sequenceStep ? undefined : call.node);
  if (layer.kind === 'recurrent') {
    const args = layer.args;
    const state = () => interp.applyLayer(synthetic('State', 'opaque', call.node, interp, { parameterless: true, rnn_state: true, num_layers: args.num_layers ?? 1, bidirectional: args.bidirectional ?? false, units: args.units ?? null, batch_first: args.batch_first ?? false }), [output]);
    return seq([output, layer.type === 'LSTM' ? seq([state(), state()], true) : state()], true);
  }
  if (layer.type === 'MultiheadAttention') return seq([output, interp.opaque('AttentionWeights', 'pytorch', call.node, [output], true)], true);
  return output;
}

/** `pack_padded_sequence(x, lengths, batch_first=True)` keeps x's layout; `pad_packed_sequence(out)` returns (out, lengths). */
function sequencePacking(path: string, call: CallSite, interp: Interpreter): Value | undefined {
  const [input] = call.args;
  if (input?.kind !== 'tensor') return undefined;
  if (PACK.test(path)) return interp.applyLayer(synthetic('pack_padded_sequence', 'identity', call.node, interp), [input]);
  if (UNPACK.test(path)) return seq([interp.applyLayer(synthetic('pad_packed_sequence', 'identity', call.node, interp), [input]), UNKNOWN_VALUE], true);
  return undefined;
}

/** `Rearrange('b c h w -> b (h w) c')` from einops.layers.torch: a module that applies the pattern. */
function einopsModule(name: string, call: CallSite, interp: Interpreter): LayerObject {
  const pattern = argument(call, 'pattern', 0);
  const layer = synthetic(name, 'reshape', call.node, interp, { einops_sizes: [...call.kwargs].filter(([, value]) => value.kind === 'number').map(([key, value]) => [key, toArg(value)]), einops_reduce: name === 'Reduce' });
  if (pattern?.kind === 'string') layer.args.einops_pattern = pattern.value;
  return layer;
}

function listItems(value: Value | undefined): Value[] {
  if (value?.kind === 'seq') return [...value.items];
  return [];
}

/**
 * `nn.Parameter(torch.zeros(1, 1, dim))`: a weight the module registers directly, counted by
 * model.parameters() with as many values as its data has (unknown when the data's size is).
 */
function makeParameter(call: CallSite, interp: Interpreter): LayerObject {
  const data = argument(call, 'data', 0);
  const shape = data?.kind === 'array' ? data.shape : null;
  return synthetic('Parameter', 'opaque', call.node, interp, { parameter_shape: shape });
}

type Tensor = Extract<Value, { kind: 'tensor' }>;

/** `torch.cat((self.cls_token, x), dim=1)`, `F.interpolate(self.pos_embed, …)`: weights among the tensors a function computes with are tensors too. */
function withParameterTensors(call: CallSite, interp: Interpreter, computes = false): CallSite {
  const items = (value: Value) => (value.kind === 'seq' ? value.items : [value]);
  const values = [...call.args, ...call.kwargs.values()].flatMap(items);
  // torch.* functions also make and initialise weights in __init__: there only a use with tensors computes
  if (!values.some(isParameter) || !(computes || values.some((value) => value.kind === 'tensor'))) return call;
  const convert = (value: Value): Value => (value.kind === 'seq' ? seq(value.items.map(convert), value.tuple) : asTensor(value, interp));
  return { ...call, args: call.args.map(convert), kwargs: new Map([...call.kwargs].map(([key, value]) => [key, convert(value)])) };
}

/** A network put in a Sequential is a part of it, not a model of its own. */
function markComponent(item: Value): void {
  if (item.kind === 'model' && !item.model.compileRange) item.model.component = true;
  if (item.kind === 'instance' && item.model) item.model.component = true;
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
  for (const item of builder.items) markComponent(item);
  return { kind: 'model', model: builder };
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
