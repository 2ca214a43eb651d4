// `Lambda(f)`: what the function does to a tensor's shape, found by running it on a probe.
import type { PyNode } from '../../parse/py-node.js';
import type { CallSite, LayerObject, Value } from '../abstract/values.js';
import type { Interpreter } from '../interpreter.js';

/** Lambda layers hold no weights: Keras does not track variables made inside their function. */
const LAMBDA_ARGS = { parameterless: true };

/**
 * Runs a Lambda's function (a `lambda`, a `def`, `tf.nn.relu`) on a tensor of unknown shape and reads
 * what it did. Made only of scalar arithmetic (`lambda x: x / 127.5 - 1`), the layer is affine: it
 * keeps the shape and, for the rules, adds no nonlinearity, like Rescaling. Made of operations that
 * act value by value (`K.exp`, `x * x`, an activation), it keeps the shape. Anything else (a slice,
 * a reshape, a reduction, a layer) leaves its output unknown.
 */
export function readLambda(layer: LayerObject, fn: Value | undefined, call: CallSite, interp: Interpreter): void {
  Object.assign(layer.args, LAMBDA_ARGS);
  if (!fn || (fn.kind !== 'function' && fn.kind !== 'external')) return;
  const effect = probe(fn, call, interp);
  if (effect === 'affine') layer.kind = 'identity';
  else if (effect === 'elementwise') layer.args.elementwise = true;
}

type Effect = 'affine' | 'elementwise' | undefined;

function probe(fn: Value, call: CallSite, interp: Interpreter): Effect {
  const node = call.node;
  const input = interp.addNode(probeInput(node, interp), []);
  if (input.kind !== 'tensor') return undefined;
  const extra = call.kwargs.get('arguments');
  const probeCall: CallSite = {
    node,
    args: [input],
    argNodes: [node],
    kwargs: extra?.kind === 'dict' ? new Map(extra.entries) : new Map(),
    kwargNodes: new Map(),
    hasSplat: extra !== undefined && extra.kind !== 'dict',
  };
  const output = interp.calls.callValue(fn, probeCall);
  if (output.kind !== 'tensor') return undefined;
  return effectBetween(input.node, output.node, interp);
}

function probeInput(node: PyNode, interp: Interpreter): LayerObject {
  return { framework: 'keras', type: 'Input', kind: 'input', args: { shape: null }, argRanges: {}, argText: {}, activation: null, range: node.range, weightKey: interp.nextWeightKey() };
}

const AFFINE_MERGES = new Set(['Add', 'Subtract', 'Average']);

/** Walks back from the function's result to its input; every step on the way must keep the shape. */
function effectBetween(input: number, output: number, interp: Interpreter): Effect {
  let effect: Effect = 'affine';
  const stack = [output];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === input || seen.has(id)) continue;
    seen.add(id);
    const node = interp.graph.nodes[id]!;
    const layer = node.layer;
    if (node.inputs.length === 0) return undefined;
    if (layer.kind === 'identity' || layer.kind === 'dropout' || (layer.kind === 'activation' && layer.activation === 'linear')) {
      // scalar arithmetic, an identity
    } else if (layer.kind === 'merge' && layer.type !== 'Concatenate') {
      if (!AFFINE_MERGES.has(layer.type)) effect = 'elementwise';
    } else if (layer.kind === 'activation' || (layer.kind === 'opaque' && layer.args.elementwise === true)) {
      effect = 'elementwise';
    } else {
      return undefined;
    }
    stack.push(...node.inputs);
  }
  return effect;
}
