// Where a PyTorch model's output meets its targets: `criterion(output, target)` or
// `F.mse_loss(output, target)` in a training loop, with `output = model(x)`. The call is recorded on
// the model, with what the loop does to the output first (`output.squeeze(1)`), so the rules can
// compare the shapes once shape inference knows the output's.
import { recordLossCall } from '../abstract/data.js';
import type { CallSite, Value } from '../abstract/values.js';
import { argument } from '../abstract/values.js';
import { TORCH_LOSSES } from './catalog.js';

/** A loss module called on the model's output: `criterion(output, labels)`. */
export function lossModuleCall(loss: Extract<Value, { kind: 'object' }>, call: CallSite): Value | undefined {
  const name = /^torch\.nn\.(\w+)$/.exec(loss.path)?.[1];
  const known = name ? TORCH_LOSSES[name] : undefined;
  if (!name || !known) return undefined;
  const spec = { name: known.name, known: true, isMetric: false, fromLogits: known.fromLogits, range: loss.call.node.range, written: `nn.${name}` };
  return recordLossCall(argument(call, 'input', 0), argument(call, 'target', 1), spec, 'pytorch', call);
}

/** `F.cross_entropy(output, labels)`: the call is the loss. */
export function lossFunctionCall(name: string, call: CallSite): Value | undefined {
  const known = TORCH_LOSSES[name];
  if (!known) return undefined;
  const spec = { name: known.name, known: true, isMetric: false, fromLogits: known.fromLogits, range: call.node.range, written: `F.${name}` };
  return recordLossCall(argument(call, 'input', 0), argument(call, 'target', 1), spec, 'pytorch', call);
}
