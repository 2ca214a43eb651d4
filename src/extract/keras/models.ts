// Keras models: Sequential and functional models as they are built, called inside other models,
// and read back (`model.layers`, `model.get_layer('fc')`, `layer.output`).
import type { ArgValue, Shape } from '../../ir.js';
import { UNKNOWN } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import type { CallSite, InstanceValue, LayerObject, Value } from '../abstract/values.js';
import { NONE_VALUE, UNKNOWN_VALUE, argument, argumentNode, flattenTensors, seq, toArg } from '../abstract/values.js';
import { syntheticCall } from '../calls.js';
import { valueNode } from '../frontend-kit.js';
import { ModelBuilder, reachableFrom } from '../graph.js';
import type { Interpreter } from '../interpreter.js';
import { lossSpecs, optimizerSpec } from '../normalise.js';
import { predictionOf } from '../abstract/data.js';
import { markComponent, markModelUse } from '../roles.js';
import { trainingCall } from './training.js';

type Tensor = Extract<Value, { kind: 'tensor' }>;

/**
 * The batch-inclusive shape written in an Input/InputLayer call, or in `input_shape=` of a first
 * layer; `Embedding(…, input_length=n)` declares `(None, n)` (Keras 2 turns it into
 * `input_shape=(n,)`). The axes written as `None` are recorded in `none_axes`: Keras itself leaves
 * them unknown, unlike a size footgun could not read.
 */
export function declareInput(layer: LayerObject): Shape | null {
  if (!declaredInputs.has(layer)) declaredInputs.set(layer, readDeclaredInput(layer));
  return declaredInputs.get(layer)!;
}

/** Declarations already read: reading rewrites `shape`, so a layer added twice must not be read twice. */
const declaredInputs = new WeakMap<LayerObject, Shape | null>();

function readDeclaredInput(layer: LayerObject): Shape | null {
  const args = layer.args;
  const batch = typeof args.batch_size === 'number' ? args.batch_size : null;
  const declared = args.batch_shape ?? args.batch_input_shape;
  let written: ArgValue[] | undefined;
  if (Array.isArray(declared)) written = declared.slice(1);
  else {
    const shape = args.shape ?? args.input_shape;
    if (typeof shape === 'number') written = [shape];
    else if (Array.isArray(shape)) written = shape;
  }
  if (written) {
    const noneAxes = written.flatMap((size, axis) => (size === null ? [axis + 1] : []));
    if (noneAxes.length > 0) args.none_axes = noneAxes;
  } else {
    // Keras 3 ignores input_length (the data gives the length), so its None is not Keras' own
    const length = layer.type === 'Embedding' ? args.input_length : undefined;
    const size = length === undefined ? (layer.type === 'Embedding' ? undefined : args.input_dim) : typeof length === 'number' ? length : UNKNOWN;
    if (size === undefined) return null;
    written = [size];
  }
  const batchSize = Array.isArray(declared) && typeof declared[0] === 'number' ? declared[0] : batch;
  return [batchSize, ...written.map((size) => (typeof size === 'number' ? size : null))];
}

/** What `model.layers` lists for a Sequential: what was added, in order (Keras leaves out the InputLayer). */
const sequentialEntries = new WeakMap<ModelBuilder, Value[]>();

/** Layer objects made from Keras' catalog (an operation footgun synthesised is not a Keras layer). */
const kerasLayers = new WeakSet<LayerObject>();

export function registerKerasLayer(layer: LayerObject): void {
  kerasLayers.add(layer);
}

export function makeSequential(call: CallSite, interp: Interpreter): Value {
  const builder = interp.addBuilder(new ModelBuilder('keras', 'sequential', call.node));
  sequentialEntries.set(builder, []);
  const name = argument(call, 'name');
  if (name?.kind === 'string') builder.name = name.value;
  const value: Value = { kind: 'model', model: builder };
  const layers = argument(call, 'layers', 0);
  if (layers?.kind === 'seq') for (const item of layers.items) addToSequential(builder, item, call.node, interp);
  return value;
}

/**
 * Adds a layer, a model or a custom layer to a Sequential. The first addition gets an input
 * tensor (declared by `input_shape=` or `keras.Input`, else sized later by `build()` or the
 * configuration), so the model can be read back and called like a functional one.
 */
function addToSequential(builder: ModelBuilder, item: Value, at: PyNode, interp: Interpreter): void {
  const entries = sequentialEntries.get(builder) ?? [];
  if (item.kind === 'tensor' && interp.graph.nodes[item.node]!.layer.kind === 'input') {
    // keras.Input(...) inside a Sequential declares its input
    if (builder.sequence.length > 0) return;
    builder.inputShape = interp.graph.nodes[item.node]!.layer.args.shape as Shape | null;
    builder.sequence.push(item.node);
    builder.inputs = [item.node];
    return;
  }
  if (item.kind === 'layer' && item.layer.kind === 'input') {
    if (builder.sequence.length > 0) return;
    builder.inputShape = declareInput(item.layer);
    item.layer.args.shape = builder.inputShape;
    const input = interp.addNode(item.layer, []) as Tensor;
    builder.sequence.push(input.node);
    builder.inputs = [input.node];
    return;
  }
  if (builder.inputShape === null && builder.sequence.every((id) => interp.graph.nodes[id]!.layer.kind === 'input')) {
    builder.inputShape = item.kind === 'layer' ? declareInput(item.layer) : item.kind === 'model' ? item.model.inputShape : null;
  }
  const input = inputOf(builder, item.kind === 'layer' ? item.layer : undefined, at, interp);
  if (item.kind === 'layer') {
    const output = interp.addNode(item.layer, [input.node]) as Tensor;
    builder.sequence.push(output.node);
    entries.push({ kind: 'layer', layer: item.layer, node: output.node });
    return;
  }
  entries.push(item);
  const before = interp.graph.nodes.length;
  const result = item.kind === 'model' || item.kind === 'instance' ? interp.calls.callValue(item, syntheticCall(at, [input])) : UNKNOWN_VALUE;
  if (result.kind === 'tensor' && result.node >= before) {
    builder.sequence.push(...reachableFrom(interp.graph, [result.node]).filter((id) => id >= before));
    return;
  }
  const type = item.kind === 'instance' ? item.cls.name : item.kind === 'model' ? (item.model.name ?? 'Model') : 'Layer';
  const tensor = interp.opaque(type, 'keras', at, [input]) as Tensor;
  builder.sequence.push(tensor.node);
}

const INPUT_ARGUMENTS = new Set(['input_shape', 'batch_input_shape', 'input_dim', 'input_length', 'batch_size']);

/** Input layers footgun gives a Sequential whose code writes none. */
const unwrittenInputs = new WeakSet<LayerObject>();

/** A functional model declares its input; a Sequential does with an `Input`/`InputLayer` (even of unknown shape). */
export function declaresInput(model: ModelBuilder, interp: Interpreter): boolean {
  if (model.kind === 'functional') return true;
  return model.sequence.some((id) => {
    const layer = interp.graph.nodes[id]!.layer;
    return layer.kind === 'input' && !unwrittenInputs.has(layer);
  });
}

/** The Sequential's input tensor, made with its first layer (which declares it with `input_shape=`). */
function inputOf(builder: ModelBuilder, first: LayerObject | undefined, at: PyNode, interp: Interpreter): Tensor {
  if (builder.sequence.length === 0) {
    const args: Record<string, ArgValue> = { shape: builder.inputShape };
    if (first?.args.none_axes !== undefined) args.none_axes = first.args.none_axes;
    // findings about the input point where the first layer declares it
    const argRanges = Object.fromEntries(Object.entries(first?.argRanges ?? {}).filter(([name]) => INPUT_ARGUMENTS.has(name)));
    const layer: LayerObject = { framework: 'keras', type: 'InputLayer', kind: 'input', args, argRanges, argText: {}, activation: null, range: first?.range ?? at.range, weightKey: interp.nextWeightKey() };
    unwrittenInputs.add(layer);
    const input = interp.addNode(layer, []) as Tensor;
    builder.sequence.push(input.node);
    builder.inputs = [input.node];
  }
  return { kind: 'tensor', node: builder.last! };
}

export function makeFunctional(call: CallSite, interp: Interpreter): Value {
  const builder = interp.addBuilder(new ModelBuilder('keras', 'functional', call.node));
  readFunctional(builder, call, interp);
  return { kind: 'model', model: builder };
}

/**
 * `super().__init__(inputs=image_input, outputs=x)` in a `keras.Model` subclass's `__init__` (a
 * backbone built as a graph): Keras makes the instance a functional model of those tensors, so
 * footgun reads it as one. Without tensors (`super().__init__(**kwargs)`) it stays a subclass.
 */
export function initialiseSubclass(instance: InstanceValue, call: CallSite, interp: Interpreter): Value | undefined {
  const builder = instance.model;
  if (builder?.framework !== 'keras' || builder.kind !== 'subclass') return undefined;
  if (flattenTensors(argument(call, 'outputs', 1) ?? call.kwargs.get('output')).length === 0) return NONE_VALUE;
  builder.kind = 'functional';
  readFunctional(builder, call, interp);
  return NONE_VALUE;
}

function readFunctional(builder: ModelBuilder, call: CallSite, interp: Interpreter): void {
  // Keras 1 spelled them `input=` and `output=`, which Keras 2.0–2.3 still accepted
  const inputs = flattenTensors(argument(call, 'inputs', 0) ?? call.kwargs.get('input'));
  const outputs = flattenTensors(argument(call, 'outputs', 1) ?? call.kwargs.get('output'));
  builder.inputs = inputs.map((t) => t.node);
  builder.outputs = outputs.map((t) => t.node);
  const first = inputs[0] && interp.graph.nodes[inputs[0].node]!.layer;
  if (first?.kind === 'input') builder.inputShape = first.args.shape as Shape | null;
  const name = argument(call, 'name');
  if (name?.kind === 'string') builder.name = name.value;
}

export function modelMethod(model: ModelBuilder, target: Value, method: string, call: CallSite, interp: Interpreter): Value | undefined {
  switch (method) {
    case 'add': {
      const [item] = call.args;
      if (item) addToSequential(model, item, call.node, interp);
      return NONE_VALUE;
    }
    case 'pop': {
      const entries = sequentialEntries.get(model);
      const last = entries?.[entries.length - 1];
      if (last?.kind === 'layer' && last.node === model.last) {
        entries!.pop();
        model.sequence.pop();
      }
      return last ?? UNKNOWN_VALUE;
    }
    case 'compile': {
      const loss = argument(call, 'loss', 1);
      model.loss = lossSpecs(loss, valueNode(argumentNode(call, 'loss', 1)), call.node.range);
      const optimizer = argument(call, 'optimizer', 0);
      model.optimizer = optimizer ? optimizerSpec(optimizer, valueNode(argumentNode(call, 'optimizer', 0)), call.node.range) : { name: 'rmsprop', learningRate: undefined, momentum: undefined, argsUnknown: false, range: call.node.range };
      model.compileRange = call.node.range;
      return NONE_VALUE;
    }
    case 'build': {
      const shape = argument(call, 'input_shape', 0);
      const arg = shape ? toArg(shape) : undefined;
      if (Array.isArray(arg)) {
        model.inputShape = arg.map((d) => (typeof d === 'number' ? d : null));
        const first = model.sequence[0] === undefined ? undefined : interp.graph.nodes[model.sequence[0]]!.layer;
        if (first?.kind === 'input' && first.args.shape === null) first.args.shape = model.inputShape;
      }
      return NONE_VALUE;
    }
    case 'get_layer': {
      const name = argument(call, 'name', 0);
      const index = argument(call, 'index', 1);
      if (name?.kind === 'string') return layerNamed(model, name.value, interp);
      if (index?.kind === 'number') return itemOf(layerList(model, interp), index.value);
      return UNKNOWN_VALUE;
    }
    case '__call__': {
      if (!interp.usedAsComponent(model, call)) return predictionOf(model, call);
      const input = argument(call, 'inputs', 0);
      return applyModel(model, flattenTensors(input), interp) ?? interp.opaque(model.name ?? 'Model', 'keras', call.node, input ? [input] : []);
    }
    default:
      const training = trainingCall(model, method, call, interp);
      if (training) markModelUse(model, `${method.startsWith('predict') || method.startsWith('evaluate') || method === 'test_on_batch' ? 'run on data' : 'trained'} with .${method}() at line ${call.node.line}`);
      return training ?? (target.kind === 'model' ? UNKNOWN_VALUE : undefined);
  }
}

/**
 * A model called on tensors of another model: its layers are applied to them again, with the same
 * weights (so they count once), and their shapes follow from what it is given.
 */
function applyModel(model: ModelBuilder, inputs: Tensor[], interp: Interpreter): Value | undefined {
  const graph = interp.graph;
  const sequential = model.kind === 'sequential';
  const ids = model.kerasNodes(graph);
  const sources = sequential ? model.inputs : model.inputs.filter((id) => ids.includes(id));
  const outputs = sequential ? (model.last === undefined ? [] : [model.last]) : model.outputs;
  if (sources.length === 0 || sources.length !== inputs.length || outputs.length === 0) return undefined;
  const applied = new Map<number, number>(sources.map((id, i) => [id, inputs[i]!.node]));
  for (const id of ids) {
    if (applied.has(id)) continue;
    const node = graph.nodes[id]!;
    const mapped = node.inputs.map((input) => applied.get(input));
    if (node.inputs.length === 0 || mapped.some((input) => input === undefined)) return undefined;
    applied.set(id, (interp.addNode(node.layer, mapped as number[], node.appliedAt) as Tensor).node);
  }
  const results: Value[] = outputs.map((id) => ({ kind: 'tensor', node: applied.get(id)! }));
  return results.length === 1 ? results[0] : seq(results);
}

/**
 * `model.layers` as Keras lists it. A Sequential lists what was added; a functional model lists
 * its input and then its layers, which footgun can only order with certainty when they form a chain
 * of Keras layers (an operation on tensors is a layer in tf.keras and not in Keras 3).
 */
function layerList(model: ModelBuilder, interp: Interpreter): Value[] | undefined {
  const entries = sequentialEntries.get(model);
  if (entries) return entries;
  if (model.kind !== 'functional' || model.outputs.length !== 1) return undefined;
  const ids = reachableFrom(interp.graph, model.outputs);
  const chain = ids.every((id, index) => {
    const node = interp.graph.nodes[id]!;
    return kerasLayers.has(node.layer) && (index === 0 ? node.inputs.length === 0 : node.inputs.length === 1 && node.inputs[0] === ids[index - 1]);
  });
  return chain ? ids.map((id) => ({ kind: 'layer', layer: interp.graph.nodes[id]!.layer, node: id })) : undefined;
}

function itemOf(list: Value[] | undefined, index: number): Value {
  if (!list) return UNKNOWN_VALUE;
  return list[index < 0 ? list.length + index : index] ?? UNKNOWN_VALUE;
}

/** `model.get_layer('fc')`: a layer applied once in the model, by the name it was given. */
function layerNamed(model: ModelBuilder, name: string, interp: Interpreter): Value {
  const entries = sequentialEntries.get(model);
  if (entries) return entries.find((entry) => entry.kind === 'layer' && entry.layer.name === name) ?? UNKNOWN_VALUE;
  const ids = (model.kind === 'functional' ? reachableFrom(interp.graph, model.outputs) : []).filter((id) => interp.graph.nodes[id]!.layer.name === name);
  return ids.length === 1 ? { kind: 'layer', layer: interp.graph.nodes[ids[0]!]!.layer, node: ids[0] } : UNKNOWN_VALUE;
}

/** `model.layers`, and the tensors around a layer read from a model: `layer.output`, `layer.input`. */
export function modelAttribute(object: Value, name: string, interp: Interpreter): Value | undefined {
  if (object.kind === 'model' && object.model.framework === 'keras' && name === 'layers') {
    const list = layerList(object.model, interp);
    return list ? seq([...list]) : undefined;
  }
  if (object.kind === 'layer' && object.node !== undefined && object.layer.framework === 'keras') {
    if (name === 'output') return { kind: 'tensor', node: object.node };
    if (name === 'input') {
      const inputs: Value[] = interp.graph.nodes[object.node]!.inputs.map((id) => ({ kind: 'tensor', node: id }));
      return inputs.length === 1 ? inputs[0] : inputs.length === 0 ? { kind: 'tensor', node: object.node } : seq(inputs);
    }
  }
  return undefined;
}

/**
 * A model made of another model's layers (`Model(input_img, encoded)` beside the autoencoder that
 * is trained, `Model(base.input, base.layers[-2].output)`) is a view of it: it is trained there,
 * its output is one of that model's hidden layers, and it is analysed as part of it.
 */
export function hideViews(interp: Interpreter): void {
  const keras = interp.builders.filter((builder) => builder.framework === 'keras' && !builder.component);
  const weights = new Map(keras.map((builder) => [builder, weightKeys(builder, interp)]));
  for (const view of keras) {
    if (view.compileRange) continue;
    const own = weights.get(view)!;
    if (own.size === 0) continue;
    const whole = keras.find((other) => {
      const theirs = weights.get(other)!;
      return other !== view && (other.compileRange !== undefined || theirs.size > own.size) && [...own].every((key) => theirs.has(key));
    });
    if (whole) markComponent(view, `a view of ${whole.name ?? 'another model'}'s layers`);
  }
}

function weightKeys(builder: ModelBuilder, interp: Interpreter): Set<string> {
  const ids = builder.kerasNodes(interp.graph);
  return new Set(ids.map((id) => interp.graph.nodes[id]!.layer).filter((layer) => layer.kind !== 'input').map((layer) => layer.weightKey));
}
