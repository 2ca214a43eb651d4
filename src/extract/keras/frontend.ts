import type { ArgValue } from '../../ir.js';
import { syntheticCall } from '../calls.js';
import { ArgumentRecorder, callOf, elementwise, memoise, perFile, syntheticLayer as makeSynthetic } from '../frontend-kit.js';
import type { FrontEnd, Interpreter } from '../interpreter.js';
import { markComponent } from '../roles.js';
import { activationName, constantInitializerValue, initializerName } from '../normalise.js';
import type { CallSite, InstanceValue, LayerObject, Value } from '../abstract/values.js';
import { argument, flattenTensors, seq } from '../abstract/values.js';
import { CORRECT_PAD, OBTAIN_INPUT_SHAPE, correctPad, obtainInputShape } from './applications.js';
import { applyDataFormat, backendCall } from './backend.js';
import { KERAS_LAYERS, KERAS_MERGE_FUNCTIONS, PER_AXIS_ARGS } from './catalog.js';
import type { KerasLayerSpec } from './catalog.js';
import { readLambda } from './lambda.js';
import { kerasTwoCall, writtenForKeras1 } from './legacy.js';
import { declareInput, hideViews, initialiseSubclass, makeFunctional, makeSequential, modelAttribute, modelMethod, registerKerasLayer } from './models.js';
import { BINARY_FUNCTIONS, combine, tensorFunction } from './ops.js';
import { kerasLossCall, tensorflowLossCall } from './training.js';
import { addWeight, prepareLayerCall } from './weights.js';

interface KerasSymbol {
  /** what comes between `keras` and the name: 'layers', 'initializers', '' for `keras.Sequential` or a bare name */
  namespace: string;
  name: string;
  bare: boolean;
}

/**
 * Where a dotted path lands in Keras, whatever the spelling: `Dense`, `layers.Dense` (after
 * `from keras import layers`), `keras.layers.Dense`, `tf.keras.layers.Dense`,
 * `tensorflow.keras.layers.Dense`, `L.Dense` (after `import tensorflow.keras.layers as L`).
 */
const kerasSymbol = memoise(readKerasSymbol);

function readKerasSymbol(path: string): KerasSymbol | undefined {
  const parts = path.split('.');
  const keras = Math.max(parts.lastIndexOf('keras'), parts.lastIndexOf('tf_keras'));
  if (keras >= 0) {
    const rest = parts.slice(keras + 1).filter((p) => p !== 'src' && p !== 'legacy' && p !== 'experimental' && p !== 'preprocessing');
    if (rest.length === 0) return undefined;
    return { namespace: rest.slice(0, -1).join('.'), name: rest[rest.length - 1]!, bare: false };
  }
  if (parts.length === 1) return { namespace: '', name: path, bare: true };
  if (parts[0] === 'tensorflow' || parts[0] === 'tf') return { namespace: `tf.${parts.slice(1, -1).join('.')}`, name: parts[parts.length - 1]!, bare: false };
  return undefined;
}

const OPTIMIZERS = new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'Nadam', 'Ftrl', 'Lion', 'Adafactor', 'LossScaleOptimizer']);

function layerNamespace(symbol: KerasSymbol): boolean {
  return symbol.namespace === '' || symbol.namespace.startsWith('layers');
}

function isModelClass(symbol: KerasSymbol): boolean {
  return (symbol.name === 'Model' || symbol.name === 'Functional') && (symbol.namespace === '' || symbol.namespace === 'models');
}

const VOCABULARY = new RegExp(`\\b(?:${['Sequential', 'Model', 'Input', ...Object.keys(KERAS_LAYERS)].join('|')})\\b`);

export const kerasFrontEnd: FrontEnd = {
  framework: 'keras',
  forwardMethod: 'call',
  trainingMethods: [],
  vocabulary: VOCABULARY,
  vocabularyCall: callOf(VOCABULARY),

  classRole(path) {
    const symbol = kerasSymbol(path);
    if (!symbol || symbol.namespace.startsWith('tf')) return undefined;
    if (isModelClass(symbol) || (symbol.name === 'Sequential' && symbol.namespace !== 'tf')) return 'model';
    if (symbol.name === 'Layer' && layerNamespace(symbol)) return 'layer';
    return undefined;
  },

  callExternal(path, call, interp) {
    if (OBTAIN_INPUT_SHAPE.test(path)) return obtainInputShape(call);
    if (CORRECT_PAD.test(path)) return correctPad(call, interp);
    const symbol = kerasSymbol(path);
    if (!symbol) return undefined;
    if (symbol.bare && interp.importedRoots.has('torch') && !interp.importedRoots.has('keras') && !interp.importedRoots.has('tensorflow')) return undefined;
    const { namespace, name } = symbol;
    if (namespace.startsWith('tf')) return tensorflowCall(namespace, name, call, interp);
    const backend = backendCall(namespace, name, call.args, call.node, interp);
    if (backend) return backend;
    if (layerNamespace(symbol)) {
      const spec = KERAS_LAYERS[name];
      if (spec) return { kind: 'layer', layer: makeLayer(name, spec, kerasTwoCall(name, spec, call, isTfKeras(path, interp), keras1File(interp)), interp) };
      if (name === 'Input') return makeInput(call, interp);
      const merge = KERAS_MERGE_FUNCTIONS[name];
      if (merge && !symbol.bare) {
        const rest: CallSite = { node: call.node, args: call.args.slice(1), argNodes: call.argNodes.slice(1), kwargs: call.kwargs, kwargNodes: call.kwargNodes, hasSplat: call.hasSplat };
        const layer = makeLayer(merge, KERAS_LAYERS[merge]!, rest, interp);
        return interp.applyLayer(layer, call.args.slice(0, 1));
      }
    }
    if (name === 'Sequential' && (namespace === '' || namespace === 'models')) return makeSequential(call, interp);
    if (isModelClass(symbol)) return makeFunctional(call, interp);
    const family = namespace.split('.')[0];
    if (family === 'ops' || family === 'backend' || family === 'activations') {
      const result = tensorFunction(family, name, call, interp);
      if (result) return result;
    }
    if (family === 'initializers' || family === 'optimizers' || family === 'losses' || family === 'metrics' || family === 'regularizers' || family === 'callbacks' || family === 'applications') {
      return { kind: 'object', path: `keras.${namespace}.${name}`, call };
    }
    if (symbol.bare && (OPTIMIZERS.has(name) || /^[A-Z]\w*(Crossentropy|Error|Divergence|Initializer)$|^(Zeros|Ones|Constant|GlorotUniform|GlorotNormal|HeNormal|HeUniform|LecunNormal|LecunUniform|Orthogonal|RandomNormal|RandomUniform|TruncatedNormal|VarianceScaling)$/.test(name))) {
      return { kind: 'object', path: name, call };
    }
    return undefined;
  },

  callMethod(target, method, call, interp) {
    if (target.kind === 'instance' && method === 'add_weight' && isKerasClass(target, interp)) return addWeight(target, call, interp);
    const model = target.kind === 'model' ? target.model : target.kind === 'instance' && target.model?.framework === 'keras' ? target.model : undefined;
    if (model && model.framework === 'keras') return modelMethod(model, target, method, call, interp);
    if (target.kind === 'layer' && target.layer.framework === 'keras' && method === '__call__') return callLayer(target.layer, call, interp);
    if (target.kind === 'object' && method === '__call__') return kerasLossCall(target, call);
    return undefined;
  },

  tensorOperator(operator, left, right, node, interp) {
    const name = OPERATOR_FUNCTIONS[operator];
    if (name === 'matmul') return tensorFunction('ops', name, syntheticCall(node, [left, right]), interp);
    return (name ? combine(name, BINARY_FUNCTIONS[name]!, left, right, node, interp) : undefined) ?? elementwise('keras', operator, left, right, node, interp);
  },

  attribute(object, name, interp) {
    // a subclass made functional has a functional model's tensors and layers: `backbone.input`
    if (object.kind === 'instance' && object.model?.kind === 'functional' && FUNCTIONAL_ATTRIBUTES.has(name)) return interp.expressions.attribute({ kind: 'model', model: object.model }, name);
    if (object.kind === 'instance') return name === 'add_weight' && isKerasClass(object, interp) ? { kind: 'method', target: object, name } : undefined;
    return modelAttribute(object, name, interp);
  },

  inheritedMethod(instance, method, call, interp) {
    if (method === '__init__') return initialiseSubclass(instance, call, interp);
    // a subclass made functional runs its graph when called
    if (method === 'forward' && instance.model?.kind === 'functional') return modelMethod(instance.model, instance, '__call__', call, interp);
    return undefined;
  },

  prepareCall: prepareLayerCall,

  finish(interp) {
    hideViews(interp);
    applyDataFormat(interp);
  },
};

const FUNCTIONAL_ATTRIBUTES = new Set(['input', 'inputs', 'output', 'outputs', 'layers']);

/** Python operators on Keras tensors are `keras.ops` functions: `x / ops.sum(x)`, `x @ self.w + self.b`. */
const OPERATOR_FUNCTIONS: Record<string, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '**': 'power', '@': 'matmul' };

function isKerasClass(instance: InstanceValue, interp: Interpreter): boolean {
  return interp.classes.role(instance.cls)?.frontEnd.framework === 'keras';
}

/**
 * Applies a layer to its input. A recurrent layer's `initial_state` feeds it too, and with
 * `return_state=True` it returns [output, *states] (LSTM: h and c; GRU and SimpleRNN: h).
 */
function callLayer(layer: LayerObject, call: CallSite, interp: Interpreter): Value {
  if (layer.type === 'MultiHeadAttention') return interp.applyLayer(layer, attentionInputs(call), call.node);
  const [first] = call.args;
  const initialState = layer.kind === 'recurrent' ? argument(call, 'initial_state') : undefined;
  const output = interp.applyLayer(layer, [...(first ? [first] : []), ...(initialState ? [initialState] : [])], call.node);
  if (layer.kind !== 'recurrent' || layer.args.return_state !== true) return output;
  const stateCount = (layer.args.wrapped_type ?? layer.type) === 'LSTM' ? 2 : 1;
  const states = Array.from({ length: stateCount * (layer.type === 'Bidirectional' ? 2 : 1) }, () => interp.opaque('State', 'keras', call.node, [output], true));
  return seq([output, ...states]);
}

/** `mha(query, value, key=value)`, listed as far as they differ: self-attention `mha(x, x)` has one input. */
function attentionInputs(call: CallSite): Value[] {
  const query = argument(call, 'query', 0);
  const value = argument(call, 'value', 1);
  const key = argument(call, 'key', 2);
  const inputs = [query, value, key];
  if (key === undefined || sameTensor(key, value)) inputs.pop();
  if (inputs.length === 2 && sameTensor(value, query)) inputs.pop();
  return inputs.filter((input): input is Value => input !== undefined);
}

function sameTensor(a: Value | undefined, b: Value | undefined): boolean {
  return a?.kind === 'tensor' && b?.kind === 'tensor' && a.node === b.node;
}

function tensorflowCall(namespace: string, name: string, call: CallSite, interp: Interpreter): Value | undefined {
  if (name.endsWith('_initializer')) return { kind: 'object', path: name, call };
  if (namespace === 'tf.nn') {
    const loss = tensorflowLossCall(name, call);
    if (loss) return loss;
  }
  if (namespace === 'tf.' && name === 'add_n') {
    const tensors = flattenTensors(call.args[0]);
    return tensors.length > 0 ? interp.applyLayer(makeSynthetic('keras', 'Add', 'merge', call.node, interp), tensors) : undefined;
  }
  return tensorFunction('tf', name, call, interp);
}

function perAxis(value: ArgValue, rank: number): ArgValue {
  if (typeof value === 'number') return Array.from({ length: rank }, () => value);
  return value;
}

function makeLayer(name: string, spec: KerasLayerSpec, call: CallSite, interp: Interpreter): LayerObject {
  const recorder = new ArgumentRecorder(spec.defaults, call);
  spec.params.forEach((param, index) => {
    const value = call.args[index];
    if (value !== undefined) recorder.record(param, value, call.argNodes[index]);
  });
  for (const [key, value] of call.kwargs) recorder.record(normaliseKeyword(name, key), value, call.kwargNodes.get(key));
  const { args, argRanges, argText, raw } = recorder;
  if (spec.rank) for (const param of PER_AXIS_ARGS) if (args[param] !== undefined && args[param] !== null) args[param] = perAxis(args[param]!, spec.rank);
  if (typeof args.padding === 'string') args.padding = args.padding.toLowerCase();

  const layer: LayerObject = {
    framework: 'keras',
    type: name,
    kind: spec.kind,
    rank: spec.rank,
    args,
    argRanges,
    argText,
    activation: null,
    range: call.node.range,
    weightKey: interp.nextWeightKey(),
    name: typeof args.name === 'string' ? args.name : undefined,
  };
  registerKerasLayer(layer);
  if (spec.kind === 'activation') {
    layer.activation = spec.applies ?? activationName(raw.get('activation'));
    if (name === 'ReLU' && args.negative_slope !== undefined && args.negative_slope !== 0) layer.activation = 'leaky_relu';
  } else if ('activation' in spec.defaults || spec.params.includes('activation')) {
    layer.activation = raw.has('activation') ? activationName(raw.get('activation')) : recorder.unknownExtras ? null : ((spec.defaults.activation as string | null) ?? 'linear');
  }
  const kernelInitializer = raw.get('kernel_initializer') ?? raw.get('depthwise_initializer');
  if (kernelInitializer) {
    const initializer = initializerName(kernelInitializer);
    if (initializer) {
      layer.kernelInitializer = { name: initializer, explicit: true };
      const constant = constantInitializerValue(kernelInitializer);
      if (constant !== undefined) args.kernel_initializer_value = constant;
    }
  } else if (typeof spec.defaults.kernel_initializer === 'string' && !recorder.unknownExtras) {
    layer.kernelInitializer = { name: spec.defaults.kernel_initializer, explicit: false };
  }
  if (name === 'Lambda') readLambda(layer, raw.get('function'), call, interp);
  const wrapped = raw.get('layer');
  // TimeDistributed(cnn), Bidirectional(rnn_model): the wrapped model is a part of this one
  const wrappedModel = wrapped?.kind === 'model' ? wrapped.model : wrapped?.kind === 'instance' ? wrapped.model : undefined;
  if (wrappedModel) markComponent(wrappedModel, `wrapped by ${name} at line ${call.node.line}`);
  if (wrapped?.kind === 'layer') {
    layer.wrapped = wrapped.layer;
    layer.args.units = wrapped.layer.args.units ?? null;
    layer.args.return_sequences = wrapped.layer.args.return_sequences ?? false;
    layer.args.wrapped_type = wrapped.layer.type;
  }
  return layer;
}

function normaliseKeyword(layer: string, key: string): string {
  if ((key === 'input_shape' || key === 'batch_input_shape') && layer === 'InputLayer') return key === 'input_shape' ? 'shape' : 'batch_shape';
  return key;
}

const keras1File = perFile((interp) => writtenForKeras1(interp.doc.text));

/** tf.keras (and its tf_keras package) never had Keras 1's legacy interfaces. */
function isTfKeras(path: string, interp: Interpreter): boolean {
  const root = path.split('.')[0]!;
  if (root === 'tensorflow' || root === 'tf' || root === 'tf_keras') return true;
  return !path.includes('.') && !interp.importedRoots.has('keras') && (interp.importedRoots.has('tensorflow') || interp.importedRoots.has('tf_keras'));
}

function makeInput(call: CallSite, interp: Interpreter): Value {
  const layer = makeLayer('InputLayer', { kind: 'input', params: ['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'name'], defaults: {} }, call, interp);
  layer.type = 'Input';
  layer.args.shape = declareInput(layer);
  return interp.applyLayer(layer, []);
}
