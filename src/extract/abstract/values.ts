import type { ArgValue, DType, FloatOrigin, Framework, LayerKind, LoopPass, ShapeOp, SourceRange, SymbolicSize } from '../../ir.js';
import { UNKNOWN } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import type { ModelBuilder } from '../graph.js';
import type { Scope } from '../scope.js';

/** What the abstract interpreter knows about a Python value. */
export type Value =
  /** `float`: a Python float, with the division or literal that made it one */
  | { kind: 'number'; value: number; float?: FloatOrigin }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'seq'; items: Value[]; tuple: boolean }
  | { kind: 'dict'; entries: Map<string, Value>; node?: PyNode }
  | { kind: 'unknown' }
  /** a module or symbol the file did not define: an import, or a bare framework name such as `Dense` */
  | { kind: 'external'; path: string }
  /** a module of the project itself (`import model as M`): what it defines; `package`: the folder of a package, whose files are its submodules */
  | { kind: 'module'; name: string; scope: Scope; package: string | undefined }
  /** an object made by calling an external symbol that is not a layer: an initializer, optimizer, loss, metric */
  | { kind: 'object'; path: string; call: CallSite }
  /** `node`: where the layer was applied in the model it was read from (`model.layers[-1]`, `model.get_layer('fc')`) */
  | { kind: 'layer'; layer: LayerObject; node?: number }
  | { kind: 'tensor'; node: number }
  | { kind: 'model'; model: ModelBuilder }
  | { kind: 'function'; def: PyNode; scope: Scope; bound?: Value; name: string }
  | { kind: 'class'; name: string; def: PyNode; scope: Scope; bases: Value[]; members: Map<string, Value> }
  | { kind: 'instance'; cls: Extract<Value, { kind: 'class' }>; attrs: Map<string, Value>; model?: ModelBuilder }
  /** `range(…)`, kept lazy so `range(10**9)` costs nothing */
  | { kind: 'range'; start: number; step: number; length: number }
  /** concrete data made outside any model (`np.zeros((100, 28, 28))`, `torch.randn(8, 3, 32, 32)`): its shape, what its elements are, where it was made */
  | ArrayValue
  /**
   * samples or batches to iterate: a PyTorch Dataset (`batched: false`) or DataLoader, a Keras
   * directory iterator, a tf.data.Dataset. `item` is one sample or batch; `fields` are its
   * attributes (`mnist.train.images`).
   */
  | { kind: 'dataset'; item: Value; batched: boolean; fields?: ReadonlyMap<string, Value> }
  /** what a model returns when the program runs it on data (`output = model(x)`), and what the code did to its shape since */
  | { kind: 'prediction'; model: ModelBuilder; ops: readonly ShapeOp[]; input?: ArrayValue }
  /** an attribute of a value that is called later: `model.add`, `layers.append`, `x.view` */
  | { kind: 'method'; target: Value; name: string }
  /** a model's parameters (`net.parameters()`): the optimizer made from them trains that model */
  | { kind: 'parameters'; model: ModelBuilder }
  /**
   * an unknown value that keeps its identity: a parameter nobody passed (`c` is the same `c` wherever
   * it is used), an axis of a tensor (`x.size(0)` is the batch), and sizes computed from them (`4 * c`)
   */
  | { kind: 'symbol'; size: SymbolicSize; float?: FloatOrigin }
  /** one of several modules, chosen by a condition footgun cannot evaluate (`self.act = nn.ReLU() if act else nn.Identity()`) */
  | { kind: 'alternatives'; options: Value[] }
  /** `super()` in a method of `after`: attributes are looked up in the classes after it */
  | { kind: 'super'; instance: InstanceValue; after: ClassValue }
  /** a weight a custom layer makes for itself (Keras `self.add_weight(shape=…)`); `owner` keys the layer's weights */
  | { kind: 'weight'; shape: (number | null)[]; owner: string };

export interface ArrayValue {
  kind: 'array';
  /** every axis, the first counting samples; `null` where the size is not known */
  shape: (number | null)[];
  /** absent when not known */
  dtype?: DType;
  /** integer class labels whose values lie in [0, classes) */
  classes?: number;
  /** rows of one-hot class labels (`to_categorical`, `np.eye(k)[y]`, a loader's categorical labels) */
  oneHot?: boolean;
  /** the expression that gave the array its shape or encoding (`np.eye(4)[labels]`) */
  origin?: PyNode;
}

export type ClassValue = Extract<Value, { kind: 'class' }>;
export type InstanceValue = Extract<Value, { kind: 'instance' }>;

export const UNKNOWN_VALUE: Value = Object.freeze({ kind: 'unknown' });
/** `*items` of unknown length inside a list, tuple or call: the length of the whole is unknown too */
export const UNKNOWN_SPREAD: Value = Object.freeze({ kind: 'unknown' });
export const NONE_VALUE: Value = Object.freeze({ kind: 'none' });

export interface CallSite {
  node: PyNode;
  args: Value[];
  argNodes: PyNode[];
  kwargs: Map<string, Value>;
  kwargNodes: Map<string, PyNode>;
  /** the call passed *args or **kwargs whose contents are unknown */
  hasSplat: boolean;
  /** a module applied by nn.Sequential/keras.Sequential, not by a call the user wrote */
  sequenceStep?: boolean;
}

/** A layer object: constructed, maybe not yet applied to a tensor. */
export interface LayerObject {
  framework: Framework;
  type: string;
  kind: LayerKind;
  rank?: number;
  args: Record<string, ArgValue>;
  argRanges: Record<string, SourceRange>;
  argText: Record<string, string>;
  /** the arguments written by position, by normalised name */
  positionalArgs?: string[];
  activation: string | null;
  kernelInitializer?: { name: string; explicit: boolean; range?: SourceRange };
  range: SourceRange;
  weightKey: string;
  name?: string;
  /** for wrappers such as Bidirectional(LSTM(…)) */
  wrapped?: LayerObject;
  /** a model used as a layer */
  submodel?: ModelBuilder;
  /** arguments given as Python floats, by normalised name */
  floatArguments?: Record<string, FloatOrigin>;
}

export function num(value: number): Value {
  return { kind: 'number', value };
}

export function str(value: string): Value {
  return { kind: 'string', value };
}

export function seq(items: Value[], tuple = false): Value {
  return { kind: 'seq', items, tuple };
}

/** Truthiness when statically known, else undefined. */
export function truthy(value: Value): boolean | undefined {
  switch (value.kind) {
    case 'number':
      return value.value !== 0;
    case 'string':
      return value.value.length > 0;
    case 'bool':
      return value.value;
    case 'none':
      return false;
    case 'seq':
      return value.items.length > 0;
    case 'dict':
      return value.entries.size > 0;
    case 'layer':
    case 'model':
    case 'function':
    case 'class':
    case 'instance':
      return true;
    default:
      return undefined;
  }
}

/** Converts a plain value to the IR's argument form; everything that is not plain data is unknown. */
export function toArg(value: Value): ArgValue {
  switch (value.kind) {
    case 'number':
      return value.value;
    case 'string':
      return value.value;
    case 'bool':
      return value.value;
    case 'none':
      return null;
    case 'seq':
      return value.items.includes(UNKNOWN_SPREAD) ? UNKNOWN : value.items.map(toArg);
    case 'symbol':
      return value.size;
    default:
      return UNKNOWN;
  }
}

export function numberOf(value: Value | undefined): number | undefined {
  if (value?.kind === 'number') return value.value;
  if (value?.kind === 'bool') return value.value ? 1 : 0;
  return undefined;
}

/** The last component of an external path, an object's path or a class name. */
export function symbolName(value: Value | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'external' || value.kind === 'object') return value.path.split('.').pop();
  if (value.kind === 'class') return value.name;
  if (value.kind === 'function') return value.name;
  return undefined;
}

/** The argument bound to a parameter, by keyword or by position. */
export function argument(call: CallSite, name: string, position?: number): Value | undefined {
  return call.kwargs.get(name) ?? (position === undefined ? undefined : call.args[position]);
}

export function argumentNode(call: CallSite, name: string, position?: number): PyNode | undefined {
  return call.kwargNodes.get(name) ?? (position === undefined ? undefined : call.argNodes[position]);
}

export function loopSnapshot(stack: LoopPass[]): LoopPass[] | undefined {
  return stack.length > 0 ? stack.map((pass) => ({ ...pass, vars: { ...pass.vars } })) : undefined;
}

/** Every tensor a value holds: itself, or the tensors of a list, tuple or dict. */
export function flattenTensors(value: Value | undefined): Extract<Value, { kind: 'tensor' }>[] {
  if (!value) return [];
  if (value.kind === 'tensor') return [value];
  if (value.kind === 'seq') return value.items.flatMap(flattenTensors);
  if (value.kind === 'dict') return [...value.entries.values()].flatMap(flattenTensors);
  return [];
}

/** The graph nodes of a call's tensor inputs. */
export function tensorIds(inputs: Value[]): number[] {
  if (inputs.every((input) => input.kind === 'tensor')) return inputs.map((input) => (input as Extract<Value, { kind: 'tensor' }>).node);
  return inputs.flatMap(flattenTensors).map((t) => t.node);
}

/** Whether two values are certainly the same (identical constants, the same tensor, layer or model). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'none':
      return true;
    case 'tensor':
      return a.node === (b as typeof a).node;
    case 'external':
      return a.path === (b as typeof a).path;
    case 'model':
      return a.model === (b as typeof a).model;
    case 'layer':
      return a.layer === (b as typeof a).layer;
    case 'symbol':
      return a.size.symbol === (b as typeof a).size.symbol;
    default:
      return false;
  }
}

/** Values that are known not to be None (an `object` made by an unknown call may be). */
export const NEVER_NONE: ReadonlySet<Value['kind']> = new Set(['number', 'string', 'bool', 'seq', 'dict', 'layer', 'tensor', 'model', 'function', 'class', 'instance', 'range', 'array', 'parameters', 'method', 'external', 'dataset', 'prediction', 'weight', 'module']);
