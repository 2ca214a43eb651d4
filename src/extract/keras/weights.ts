// The weights a custom Keras layer makes for itself with `self.add_weight(shape=…)`, usually in
// `build(input_shape)`, which Keras runs with the input's shape before the layer's first call.
import type { CallSite, InstanceValue, Value } from '../abstract/values.js';
import type { PyNode } from '../../parse/py-node.js';
import { UNKNOWN_VALUE, argument, flattenTensors, toArg } from '../abstract/values.js';
import { syntheticCall } from '../calls.js';
import { findMember } from '../classes.js';
import { perFile } from '../frontend-kit.js';
import type { Interpreter } from '../interpreter.js';

interface LayerWeights {
  /** shared by every step that uses the layer's weights, so they count once */
  key: string;
  /** parameters of all the layer's weights; null when a shape is unknown */
  total: number | null;
  /** the weights were already given to a step of the current call */
  counted: boolean;
}

const weightsOf = new WeakMap<InstanceValue, LayerWeights>();
/** by weight key, per file (keys restart with every file) */
const ownersOf = perFile(() => new Map<string, LayerWeights>());
const built = new WeakSet<InstanceValue>();

function layerWeights(instance: InstanceValue, interp: Interpreter): LayerWeights {
  let weights = weightsOf.get(instance);
  if (!weights) {
    weights = { key: interp.nextWeightKey(), total: 0, counted: false };
    weightsOf.set(instance, weights);
    ownersOf(interp).set(weights.key, weights);
  }
  return weights;
}

/** `self.add_weight(shape=(input_shape[-1], self.units))` (Keras 2 also took the name first). */
export function addWeight(instance: InstanceValue, call: CallSite, interp: Interpreter): Value {
  const first = call.args[0];
  const shape = call.kwargs.get('shape') ?? (first?.kind === 'string' ? call.args[1] : first);
  const written = shape ? toArg(shape) : undefined;
  const dims = Array.isArray(written) ? written.map((size) => (typeof size === 'number' ? size : null)) : typeof written === 'number' ? [written] : null;
  const weights = layerWeights(instance, interp);
  if (!dims || dims.some((size) => size === null) || weights.total === null) weights.total = null;
  else weights.total += (dims as number[]).reduce((a, b) => a * b, 1);
  return { kind: 'weight', shape: dims ?? [], owner: weights.key };
}

/**
 * The parameters a step that uses a custom layer's weight carries: all the layer's weights on the
 * first such step of a call (unused ones included, as Keras counts them), none on the others.
 */
export function weightUse(weight: Extract<Value, { kind: 'weight' }>, interp: Interpreter): { key: string; count: number | null } {
  const weights = ownersOf(interp).get(weight.owner);
  if (!weights) return { key: interp.nextWeightKey(), count: null };
  const count = weights.counted ? 0 : weights.total;
  weights.counted = true;
  return { key: weights.key, count };
}

/** Whether `build(self, input_shape)` reads its shape (`build(self, _)` does not): working it out shapes the graph so far. */
function readsShape(def: PyNode): boolean {
  const parameter = def.child('parameters')?.namedChildren[1];
  const name = parameter?.type === 'identifier' ? parameter.text : parameter?.namedChildren[0]?.text;
  const body = def.child('block');
  return name !== undefined && name !== '_' && body !== undefined && new RegExp(`\\b${name}\\b`).test(body.text);
}

/** Before a custom layer's `call()`: Keras builds it once with its input's shape. */
export function prepareLayerCall(instance: InstanceValue, call: CallSite, interp: Interpreter): void {
  const weights = weightsOf.get(instance);
  if (weights) weights.counted = false;
  if (built.has(instance)) return;
  built.add(instance);
  const build = findMember(instance.cls, 'build');
  const [input] = flattenTensors(argument(call, 'inputs', 0));
  if (build?.kind !== 'function' || !input) return;
  interp.calls.callFunction({ ...build, bound: instance }, syntheticCall(build.def, [readsShape(build.def) ? interp.expressions.attribute(input, 'shape') : UNKNOWN_VALUE]));
  const after = weightsOf.get(instance);
  if (after) after.counted = false;
}
