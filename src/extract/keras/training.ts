// Where a Keras model meets its data: `fit`, `evaluate`, `predict`, `train_on_batch`, … with
// arrays or batches, and a loss object called on its output in a custom training loop. Each is
// recorded on the model; a model whose code declares no input takes its input from the data.
import type { DataUse } from '../../ir.js';
import { batchArrays } from '../abstract/datasets.js';
import { dataArray, recordDataUse, recordLossCall } from '../abstract/data.js';
import type { ArrayValue, CallSite, Value } from '../abstract/values.js';
import { UNKNOWN_VALUE, argument, argumentNode } from '../abstract/values.js';
import type { ModelBuilder } from '../graph.js';
import type { Interpreter } from '../interpreter.js';
import { lossSpecs } from '../normalise.js';
import { declaresInput } from './models.js';

interface TrainingMethod {
  /** the features' parameter: `x`, or the generator of (x, y) batches */
  x: string;
  /** whether the method takes targets */
  targets: boolean;
}

const TRAINING_METHODS: Record<string, TrainingMethod> = {
  fit: { x: 'x', targets: true },
  fit_generator: { x: 'generator', targets: true },
  evaluate: { x: 'x', targets: true },
  evaluate_generator: { x: 'generator', targets: true },
  train_on_batch: { x: 'x', targets: true },
  test_on_batch: { x: 'x', targets: true },
  predict: { x: 'x', targets: false },
  predict_generator: { x: 'generator', targets: false },
  predict_on_batch: { x: 'x', targets: false },
};

/** `model.fit(x, y, validation_data=(x_val, y_val))` and its siblings; undefined for other methods. */
export function trainingCall(model: ModelBuilder, method: string, call: CallSite, interp: Interpreter): Value | undefined {
  const spec = TRAINING_METHODS[method];
  if (!spec) return undefined;
  const { x, y } = features(argument(call, spec.x, 0), spec.targets ? argument(call, 'y', 1) : undefined);
  const kind = method.replace(/_generator$/, '');
  record(model, kind, call, x, y);
  const validation = argument(call, 'validation_data');
  if (validation) {
    const held = validation.kind === 'seq' ? features(validation.items[0], validation.items[1]) : features(validation, undefined);
    record(model, 'validation', call, held.x, held.y, argumentNode(call, 'validation_data')?.range);
  }
  if (x && model.inputShape === null && !declaresInput(model, interp)) {
    model.inputShape = [null, ...x.shape.slice(1)];
    model.inputFromData = true;
  }
  return kind === 'predict' ? { kind: 'prediction', model, ops: [], input: x } : UNKNOWN_VALUE;
}

/** The arrays of a call: `(x, y)` given apart, or the batches of a generator or dataset. */
function features(x: Value | undefined, y: Value | undefined): { x?: ArrayValue; y?: ArrayValue } {
  if (x?.kind === 'dataset') return batchArrays(x);
  return { x: x?.kind === 'array' ? x : undefined, y: y?.kind === 'array' ? y : undefined };
}

function record(model: ModelBuilder, kind: string, call: CallSite, x: ArrayValue | undefined, y: ArrayValue | undefined, at = call.node.range): void {
  if (!x && !y) return;
  const use: DataUse = { kind, range: at };
  if (x) use.x = dataArray(x, call.node);
  if (y) use.y = dataArray(y, call.node);
  recordDataUse(model, use);
}

/** TensorFlow's losses on logits, which take no shortcut: labels and logits must have exactly the shapes they say. */
const TF_LOSSES: Record<string, string> = {
  sigmoid_cross_entropy_with_logits: 'binary_crossentropy',
  softmax_cross_entropy_with_logits: 'categorical_crossentropy',
  softmax_cross_entropy_with_logits_v2: 'categorical_crossentropy',
  sparse_softmax_cross_entropy_with_logits: 'sparse_categorical_crossentropy',
};

/** `tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=model(x))` in a custom training loop. */
export function tensorflowLossCall(name: string, call: CallSite): Value | undefined {
  const loss = TF_LOSSES[name];
  if (!loss) return undefined;
  const spec = { name: loss, known: true, isMetric: false, fromLogits: true, range: call.node.range, written: `tf.nn.${name}` };
  return recordLossCall(argument(call, 'logits', 1), argument(call, 'labels', 0), spec, 'keras', call);
}

/**
 * `loss_fn(y_batch, logits)` in a custom training loop, where `loss_fn` is a Keras loss object and
 * `logits = model(x_batch)`: the targets meet the model's output there.
 */
export function kerasLossCall(loss: Extract<Value, { kind: 'object' }>, call: CallSite): Value | undefined {
  if (!/(^|\.)losses\./.test(loss.path)) return undefined;
  const [spec] = lossSpecs(loss, loss.call.node, loss.call.node.range);
  return spec ? recordLossCall(argument(call, 'y_pred', 1), argument(call, 'y_true', 0), spec, 'keras', call) : undefined;
}
