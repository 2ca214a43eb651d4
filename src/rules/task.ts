import type { LossSpec, Model, Task } from '../ir.js';
import { ModelGraph } from './model-graph.js';

const MULTICLASS_LOSSES = new Set(['categorical_crossentropy', 'sparse_categorical_crossentropy', 'categorical_hinge', 'categorical_focal_crossentropy', 'nll_loss']);
const BINARY_LOSSES = new Set(['binary_crossentropy', 'binary_focal_crossentropy', 'hinge', 'squared_hinge']);
export const REGRESSION_LOSSES = new Set(['mean_squared_error', 'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_logarithmic_error', 'huber', 'log_cosh', 'poisson', 'cosine_similarity']);

/** The task a loss implies: single-label, binary or multi-label, regression; null when it does not say. */
export function taskFromLoss(loss: LossSpec | undefined, outputUnits: number | null): Task | null {
  if (!loss || !loss.known || loss.custom) return null;
  if (MULTICLASS_LOSSES.has(loss.name)) return 'multiclass';
  if (BINARY_LOSSES.has(loss.name)) return outputUnits === null ? null : outputUnits > 1 ? 'multilabel' : 'binary';
  if (REGRESSION_LOSSES.has(loss.name)) return 'regression';
  return null;
}

/**
 * Sets `model.task`: from the loss when the code compiles the model, else from the repository's
 * configuration, else guessed from the output layer. Returns the task the loss or the config
 * declares, which is what rules that must not guess rely on.
 */
export function assignTask(model: Model, configured: Task | null): Task | null {
  const head = new ModelGraph(model).outputHeads()[0];
  const units = head?.units ?? null;
  const fromLoss = model.loss.length === 1 ? taskFromLoss(model.loss[0], units) : null;
  if (fromLoss) {
    model.task = fromLoss;
    model.taskSource = 'loss';
    return fromLoss;
  }
  if (configured) {
    model.task = configured;
    model.taskSource = 'config';
    return configured;
  }
  const guessed = head?.activation === 'softmax' ? 'multiclass' : head?.activation === 'sigmoid' && units === 1 ? 'binary' : null;
  model.task = guessed;
  model.taskSource = guessed ? 'output' : null;
  return null;
}
