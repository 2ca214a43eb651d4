// Pieces every framework front end needs: reading a call's arguments into a layer, synthetic
// layers for operations, elementwise tensor operators, memoised path lookups and per-file state.
import type { ArgValue, FloatOrigin, Framework, SourceRange } from '../ir.js';
import { UNKNOWN } from '../ir.js';
import type { PyNode } from '../parse/py-node.js';
import type { Interpreter } from './interpreter.js';
import type { CallSite, LayerObject, Value } from './abstract/values.js';
import { toArg } from './abstract/values.js';

/** State a front end keeps for the file an interpreter reads, made on first use. */
export function perFile<T>(create: (interp: Interpreter) => T): (interp: Interpreter) => T {
  const states = new WeakMap<Interpreter, T>();
  return (interp) => {
    if (!states.has(interp)) states.set(interp, create(interp));
    return states.get(interp)!;
  };
}

/** Caches a pure function of a dotted path (symbol lookups run for every call in a file). */
export function memoise<T>(read: (path: string) => T): (path: string) => T {
  const cache = new Map<string, T>();
  return (path) => {
    let value = cache.get(path);
    if (value === undefined && !cache.has(path)) {
      value = read(path);
      cache.set(path, value);
    }
    return value as T;
  };
}

/** A call of a framework's vocabulary (`Dense(`, `nn.Linear(`), which a mere mention of `Add` or `Model` is not. */
export function callOf(vocabulary: RegExp): RegExp {
  return new RegExp(`(?:${vocabulary.source})\\s*\\(`);
}

/** Rules quote only literal and name arguments; reading a tuple's or a call's text would cost a native lookup of its end. */
const LITERAL_NODES = new Set(['string', 'integer', 'float', 'identifier', 'true', 'false', 'none']);

/** The value node of an argument: the `1` of `rate=1`. */
export function valueNode(node: PyNode | undefined): PyNode | undefined {
  return node?.type === 'keyword_argument' ? node.namedChildren[1] : node;
}

/** The float a value is or holds (`kernel_size=(3.0, 3)`), with where it was made. */
function floatIn(value: Value): FloatOrigin | undefined {
  if (value.kind === 'number' || value.kind === 'symbol') return value.float;
  if (value.kind === 'seq') for (const item of value.items) if (item.kind === 'number' && item.float) return item.float;
  return undefined;
}

/** Collects a layer's arguments with where they were written, for fixes and messages. */
export class ArgumentRecorder {
  readonly raw = new Map<string, Value>();
  readonly argRanges: Record<string, SourceRange> = {};
  readonly argText: Record<string, string> = {};
  /** the arguments written by position, not by keyword */
  readonly positional: string[] = [];
  readonly args: Record<string, ArgValue>;
  /** the call may set arguments footgun cannot see */
  readonly unknownExtras: boolean;
  /** arguments given as Python floats (`out_planes / 4`), with where each became one */
  readonly floatArguments: Record<string, FloatOrigin> = {};

  /**
   * `defaults` hold for the arguments the call does not give; with `*args` or `**kwargs` of unknown
   * contents in the call, any of them may be given, so none is assumed.
   */
  constructor(defaults: Record<string, ArgValue>, call: CallSite, fixed: Record<string, ArgValue> = {}) {
    this.unknownExtras = call.hasSplat;
    this.args = { ...(call.hasSplat ? Object.fromEntries(Object.keys(defaults).map((key) => [key, UNKNOWN])) : defaults), ...fixed };
  }

  record(param: string, value: Value, node: PyNode | undefined): void {
    this.raw.set(param, value);
    this.args[param] = toArg(value);
    const float = floatIn(value);
    if (float) this.floatArguments[param] = float;
    const source = valueNode(node);
    if (node && node.type !== 'keyword_argument' && node.type !== 'list_splat' && node.type !== 'dictionary_splat') this.positional.push(param);
    if (source && source.type !== 'list_splat' && source.type !== 'dictionary_splat') {
      this.argRanges[param] = source.range;
      if (LITERAL_NODES.has(source.type)) this.argText[param] = source.text;
    }
  }
}

export function syntheticLayer(framework: Framework, type: string, kind: LayerObject['kind'], node: PyNode, interp: Interpreter, args: Record<string, ArgValue> = {}): LayerObject {
  return { framework, type, kind, args, argRanges: {}, argText: {}, activation: null, range: node.range, weightKey: interp.nextWeightKey() };
}

/**
 * `x + shortcut` between tensors is a merge layer; a tensor scaled by a number keeps its shape;
 * anything else involving a tensor is an operation footgun cannot see into.
 */
export function elementwise(framework: Framework, operator: string, left: Value, right: Value, node: PyNode, interp: Interpreter): Value | undefined {
  const tensor = left.kind === 'tensor' ? left : right.kind === 'tensor' ? right : undefined;
  if (!tensor || interp.graph.nodes[tensor.node]!.layer.framework !== framework) return undefined;
  if (left.kind === 'tensor' && right.kind === 'tensor') {
    const type = operator === '+' ? 'Add' : operator === '-' ? 'Subtract' : operator === '*' ? 'Multiply' : undefined;
    if (type) return interp.applyLayer(syntheticLayer(framework, type, 'merge', node, interp), [left, right]);
    return interp.opaque('TensorOp', framework, node, [left, right], true);
  }
  const other = tensor === left ? right : left;
  if (other.kind === 'number') return interp.applyLayer(syntheticLayer(framework, 'TensorOp', 'identity', node, interp), [tensor]);
  return interp.opaque('TensorOp', framework, node, [tensor], true);
}
