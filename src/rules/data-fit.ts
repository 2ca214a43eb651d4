// Whether the data a program feeds its model fits the model and its loss: features against the
// declared input, targets against the output and the loss, with Keras' and PyTorch's own rules
// for what they accept (Keras adds or drops a trailing axis of size 1; PyTorch broadcasts).
// Everything here needs shapes on both sides: an unknown size on the axis that matters means
// no finding.
import type { DataArray, DataUse, Layer, LossSpec, Model, Shape, SourceRange } from '../ir.js';
import { applyShapeOps, broadcast, formatTuple, shapesMayMatch } from '../shapes/arrays.js';
import type { ModelGraph } from './model-graph.js';
import { lossLabel, soleLoss } from './model-graph.js';
import type { Fix, ModelContext, Related } from './rule.js';
import { REGRESSION_LOSSES } from './task.js';

export type DataRule = 'target-shape-mismatch' | 'label-encoding-mismatch' | 'input-data-mismatch' | 'broadcast-target';

export interface DataFinding {
  rule: DataRule;
  layer?: Layer;
  range?: SourceRange;
  message: string;
  related: Related[];
  fix?: Fix;
}

const cache = new WeakMap<Model, DataFinding[]>();

/** The check of a data rule: the data findings that are its own. */
export function reportDataFindings(rule: DataRule): <Options>(context: ModelContext<Options>) => void {
  return ({ model, graph, report }) => {
    for (const finding of dataFindings(model, graph)) if (finding.rule === rule) report(finding);
  };
}

/** Every data/model mismatch of a model, worked out once for all the data rules. */
export function dataFindings(model: Model, graph: ModelGraph): DataFinding[] {
  let findings = cache.get(model);
  if (!findings) {
    findings = (model.data ?? []).flatMap((use) => [...inputFindings(model, use), ...targetFindings(model, graph, use)]);
    cache.set(model, findings);
  }
  return findings;
}

// ---------------------------------------------------------------- features against the input

/** Layers that take inputs of one rank only. */
const RANKED: ReadonlySet<Layer['kind']> = new Set(['recurrent', 'conv', 'depthwise-conv', 'conv-transpose', 'pool', 'global-pool']);

/** Layers that do not read the size of the input's last axis. */
const SHAPE_AGNOSTIC: ReadonlySet<Layer['kind']> = new Set(['input', 'dropout', 'activation', 'identity', 'padding', 'pool', 'upsample']);

function inputFindings(model: Model, use: DataUse): DataFinding[] {
  const x = use.x;
  const declared = model.input;
  if (!x || !declared || model.framework !== 'keras' || model.inputFromData) return [];
  const inputs = model.layers.filter((layer) => layer.kind === 'input');
  if (inputs.length > 1) return [];
  const expected = declared.slice(1);
  const given = x.shape.slice(1);
  if (!mismatchedFeatures(model, expected, given)) return [];
  const first = inputs[0] ?? model.layers[0];
  if (!first) return [];
  const where = first.argRanges.input_shape ?? first.argRanges.shape ?? first.argRanges.batch_input_shape ?? first.argRanges.input_dim ?? first.range;
  const found = [null, ...given];
  // `model.predict(x_test[0])`: one sample without its batch axis, read as a batch of rows
  const oneSample = shapesMayMatch(x.shape, expected);
  const reshapeData = `reshape the data to ${formatTuple([x.shape[0] ?? null, ...expected])}`;
  // a recurrent or convolutional first layer needs its rank: only the data can change
  const fixedRank = given.length !== expected.length && model.layers.some((layer) => RANKED.has(layer.kind) && layer.inputs.every((id) => model.layers[id]!.kind === 'input'));
  const fix = oneSample ? 'Pass a batch of one: `x[:1]` or `np.expand_dims(x, 0)`.' : fixedRank ? `${reshapeData[0]!.toUpperCase()}${reshapeData.slice(1)}.` : `Declare the input as ${formatTuple(given)}, or ${reshapeData}.`;
  const what = oneSample ? `one sample of shape ${formatTuple(x.shape)} without its batch axis, which Keras reads as ${x.shape[0] ?? 'several'} samples of shape ${formatTuple(given)}` : `${formatTuple(x.shape)} (${formatTuple(given)} per sample)`;
  const error =
    expected.length !== given.length
      ? `Keras raises "Invalid input shape for input … Expected shape ${formatTuple(declared)}, but input has incompatible shape ${formatTuple(found)}"`
      : `Keras raises "Input 0 of layer … is incompatible with the layer: expected shape=${formatTuple(declared)}, found shape=${formatTuple(found)}"`;
  return [
    {
      rule: 'input-data-mismatch',
      layer: first,
      range: where,
      message: `The model takes inputs of shape ${formatTuple(declared)}, but ${arrayText(x)} gives ${what}: ${error}. ${fix}`,
      related: [origin(x, 'the inputs'), { range: use.range, message: callText(use) }],
    },
  ];
}

/**
 * Whether Keras rejects features of this per-sample shape: another rank (beyond the trailing axis
 * of size 1 it adds or drops), another size on the axis the first weight layer reads, or any
 * other size when a Flatten fixes the number of values.
 */
function mismatchedFeatures(model: Model, expected: Shape, given: Shape): boolean {
  const consumer = model.layers.find((layer) => !SHAPE_AGNOSTIC.has(layer.kind));
  // an Embedding reads word indices of any length (and its `input_dim` is the vocabulary, not the input)
  if (!consumer || consumer.kind === 'opaque' || consumer.kind === 'embedding') return false;
  if (expected.length !== given.length) {
    const tolerated = (given.length === expected.length + 1 && given[given.length - 1] === 1) || (given.length === expected.length - 1 && expected[expected.length - 1] === 1);
    return !tolerated;
  }
  const differs = (axis: number) => expected[axis] !== null && given[axis] !== null && expected[axis] !== given[axis];
  const featureAxis = (consumer.args.data_format ?? model.dataFormat) === 'channels_first' && consumer.rank ? 0 : expected.length - 1;
  if (consumer.kind !== 'flatten' && consumer.kind !== 'reshape' && differs(featureAxis)) return true;
  return model.layers.some((layer) => layer.kind === 'flatten' || layer.kind === 'reshape') && expected.some((_, axis) => differs(axis));
}

// ---------------------------------------------------------------- targets against the output and loss

const SPARSE_LOSSES = new Set(['sparse_categorical_crossentropy']);
const CATEGORICAL_LOSSES = new Set(['categorical_crossentropy', 'categorical_focal_crossentropy', 'categorical_hinge']);
const ELEMENTWISE_LOSSES = new Set([...REGRESSION_LOSSES, 'binary_crossentropy', 'binary_focal_crossentropy', 'hinge', 'squared_hinge', 'kl_divergence']);
ELEMENTWISE_LOSSES.delete('cosine_similarity');

function targetFindings(model: Model, graph: ModelGraph, use: DataUse): DataFinding[] {
  const y = use.y;
  const loss = use.loss ?? soleLoss(model);
  if (!y || !loss || loss.custom || !loss.known || loss.isMetric || model.outputs.length !== 1) return [];
  const outputLayer = model.layers[model.outputs[0]!]!;
  const produced = outputLayer.output;
  if (!produced) return [];
  const output = use.outputOps ? applyShapeOps(produced, use.outputOps) : produced;
  if (!output || output.length === 0) return [];
  const head = graph.outputHeads()[0];
  const context: TargetContext = { model, use, y, loss, output, layer: head?.predictor ?? outputLayer };
  const lossFramework = use.lossFramework ?? model.framework;
  return (lossFramework === 'pytorch' ? torchTargets(context) : kerasTargets(context)).filter((finding): finding is DataFinding => finding !== undefined);
}

interface TargetContext {
  model: Model;
  use: DataUse;
  y: DataArray;
  loss: LossSpec;
  /** the output as the loss receives it, batch axis included */
  output: Shape;
  /** the layer that makes the prediction: where a target/output mismatch is reported */
  layer: Layer;
}

/** Keras' own rank adjustment: a trailing axis of size 1 is added to or dropped from the targets to match the output. */
function kerasAdjusted(targets: Shape, output: Shape): Shape {
  if (targets.length === output.length + 1 && targets[targets.length - 1] === 1) return targets.slice(0, -1);
  if (targets.length === output.length - 1 && output[output.length - 1] === 1) return [...targets, 1];
  return targets;
}

/** `tf.nn`'s losses on logits: labels of exactly the logits' shape, or one rank less for the sparse one. */
function tensorflowTargets(context: TargetContext): DataFinding[] {
  const { y, loss, output } = context;
  const targets = y.shape;
  const written = loss.written!;
  if (loss.name === 'sparse_categorical_crossentropy') {
    if (targets.length === output.length - 1 && shapesMayMatch(targets.slice(1), output.slice(1, -1))) return [];
    const error = targets.length !== output.length - 1 ? `TensorFlow raises "Rank mismatch: Rank of labels (received ${targets.length}) should equal rank of logits minus 1 (received ${output.length})"` : 'TensorFlow raises "logits and labels must have the same first dimension"';
    const message = `${written} takes one class id per row of logits, shape ${formatTuple([null, ...output.slice(1, -1)])}, but ${arrayText(y)} gives ${formatTuple(targets)}: ${error}.`;
    return [targets.length === output.length ? encoding(context, `${message} Use softmax_cross_entropy_with_logits for one-hot labels, or pass the class ids.`) : mismatch(context, message)];
  }
  if (targets.length === output.length && shapesMayMatch(targets.slice(1), output.slice(1))) return [];
  const squeeze = output.length === targets.length + 1 && output[output.length - 1] === 1 ? ` Give the labels the logits' shape (\`tf.reshape(y, (-1, 1))\`) or squeeze the logits (\`tf.squeeze(logits, -1)\`).` : ` Give the labels the logits' shape ${formatTuple([null, ...output.slice(1)])}.`;
  return [mismatch(context, `${written} compares logits of shape ${formatTuple(output)} with labels of shape ${formatTuple(targets)} from ${arrayText(y)}: TensorFlow raises "logits and labels must have the same shape (${formatTuple(output)} vs ${formatTuple([null, ...targets.slice(1)])})".${squeeze}`)];
}

function kerasTargets(context: TargetContext): (DataFinding | undefined)[] {
  const { y, loss, output } = context;
  if (loss.written?.startsWith('tf.nn.')) return tensorflowTargets(context);
  const targets = y.shape;
  const units = output[output.length - 1] ?? null;
  const adjusted = kerasAdjusted(targets, output);
  const lossText = lossLabel(context.model, loss);
  if (SPARSE_LOSSES.has(loss.name)) {
    const width = targets[targets.length - 1];
    // one-hot rows over classes not known here are still rows: a classifier has two classes or more
    if (targets.length === output.length && ((typeof width === 'number' && width > 1) || (width === null && y.oneHot))) {
      const rows = width === null ? 'one-hot rows' : `rows of ${width} values`;
      return [
        encoding(context, `${lossText} expects one integer class id per sample, but ${arrayText(y)} gives ${rows}, shape ${formatTuple(targets)}: Keras raises "Argument \`output\` must have rank (ndim) \`target.ndim - 1\`" (TensorFlow 2: "Can not squeeze dim[1], expected a dimension of 1, got ${width ?? 'k'}"). Use categorical_crossentropy for one-hot targets, or pass the class ids (np.argmax(y, axis=-1)).`, width === units ? 'categorical_crossentropy' : undefined),
      ];
    }
    const ids = targets.length === output.length && width === 1 ? targets.slice(0, -1) : targets;
    if (ids.length !== output.length - 1 || !shapesMayMatch(ids.slice(1), output.slice(1, -1))) {
      return [mismatch(context, `${lossText} needs one class id per prediction, shape ${formatTuple([null, ...output.slice(1, -1)])}, but ${arrayText(y)} gives ${formatTuple(targets)}: Keras raises "Argument \`output\` must have rank (ndim) \`target.ndim - 1\`". Give the labels that shape, or make this layer output one prediction per label.`)];
    }
    return [outOfRange(context, units, `Keras stops with "Received a label value of ${(y.classes ?? 0) - 1} which is outside the valid range of [0, ${units})"`)];
  }
  const categorical = CATEGORICAL_LOSSES.has(loss.name);
  if (!categorical && !ELEMENTWISE_LOSSES.has(loss.name)) return [];
  // Keras 2 (and tf.keras 2) turn 1-D targets into a column before comparing
  const column = targets.length === 1 ? [targets[0] ?? null, 1] : adjusted;
  if (categorical && y.dtype === 'int' && typeof units === 'number' && units > 1 && (targets.length === output.length - 1 || (targets.length === output.length && targets[targets.length - 1] === 1))) {
    const rankError = targets.length === output.length - 1 ? `Keras raises "Arguments \`target\` and \`output\` must have the same rank (ndim)"` : `Keras raises "Arguments \`target\` and \`output\` must have the same shape"`;
    return [
      encoding(context, `${lossText} expects one-hot targets of shape ${formatTuple([null, ...output.slice(1)])}, but ${arrayText(y)} gives integer class ids of shape ${formatTuple(targets)}: ${rankError} (TensorFlow 2: "Shapes ${formatTuple([null, ...column.slice(1)])} and ${formatTuple([null, ...output.slice(1)])} are incompatible"). Use sparse_categorical_crossentropy, or one-hot the labels with to_categorical(y, ${units}).`, 'sparse_categorical_crossentropy'),
    ];
  }
  const lastWidth = targets[targets.length - 1];
  if (!categorical && y.oneHot && lastWidth === null && units === 1 && targets.length === output.length) {
    // one-hot rows over classes counted elsewhere (class folders) have a column per class: two or more
    return [
      mismatch(context, `The targets from ${arrayText(y)} are one-hot rows with a column per class, shape ${formatTuple(targets)}, but this output is a single unit with ${lossText}: Keras raises "Arguments \`target\` and \`output\` must have the same shape" (Keras 2: "Error when checking target: expected … to have shape (1,) but got array with shape (2,)" for two classes). Use 0/1 labels of shape ${formatTuple([targets[0] ?? null])} (class_mode='binary', label_mode='binary'), or one softmax unit per class with categorical_crossentropy.`),
    ];
  }
  if (shapesMayMatch(adjusted.slice(1), output.slice(1))) return [];
  const perSample = column.slice(1);
  const error = categorical
    ? `Keras raises "Arguments \`target\` and \`output\` must have the same ${adjusted.length === output.length ? 'shape' : 'rank (ndim)'}" (TensorFlow 2: "Shapes ${formatTuple([null, ...perSample])} and ${formatTuple([null, ...output.slice(1)])} are incompatible")`
    : `Keras 2 stops with "Error when checking target: expected … to have shape ${formatTuple(output.slice(1))} but got array with shape ${formatTuple(perSample)}"${REGRESSION_LOSSES.has(loss.name) ? '; later versions fail on the shapes or broadcast the targets over the outputs and train on the wrong objective' : ''}`;
  const width = perSample[perSample.length - 1];
  const squeezed = targets.filter((size, axis) => axis === 0 || size !== 1);
  const fix = shapesMayMatch(squeezed, output)
    ? `Drop the axis of size 1 from the targets (\`y.squeeze()\`, or \`y.ravel()\` before one-hot encoding) to make them ${formatTuple(squeezed)}.`
    : `Either ${output.length === 2 && perSample.length === 1 && typeof width === 'number' ? `give this layer ${width} unit${width === 1 ? '' : 's'}` : `make the model output ${formatTuple([null, ...perSample])}`}, or make targets of shape ${formatTuple([targets[0] ?? null, ...output.slice(1)])}.`;
  return [mismatch(context, `The targets from ${arrayText(y)} have shape ${formatTuple(targets)}, but this output is ${formatTuple(output)} with ${lossText}: ${error}. ${fix}`)];
}

function torchTargets(context: TargetContext): (DataFinding | undefined)[] {
  const { y, loss, output } = context;
  const targets = y.shape;
  const written = loss.written ?? loss.name;
  const batch = targets[0] ?? null;
  const shown = output[0] === null ? [batch, ...output.slice(1)] : output;
  if (loss.name === 'sparse_categorical_crossentropy' || loss.name === 'nll_loss') {
    const classes = output[1] ?? null;
    if (y.dtype === 'int' && targets.length === output.length) {
      const squeeze = targets.length === 2 && targets[1] === 1 ? ` Pass \`${targetName(y)}.squeeze(1)\`.` : ` Pass class ids (\`${targetName(y)}.argmax(1)\`).`;
      return [encoding(context, `${written} takes one class id per sample, shape ${formatTuple([batch, ...output.slice(2)])}, but ${arrayText(y)} gives integer targets of shape ${formatTuple(targets)}: PyTorch raises "0D or 1D target tensor expected, multi-target not supported".${squeeze}`)];
    }
    if (y.dtype === 'float' && targets.length === output.length - 1) {
      return [encoding(context, `${written} takes integer (long) class ids, but the targets from ${arrayText(y)} are floats: PyTorch raises "expected scalar type Long but found Float". Convert them with \`.long()\`.`)];
    }
    if (y.dtype === 'float' && targets.length === output.length && loss.name === 'sparse_categorical_crossentropy' && typeof targets[1] === 'number' && typeof classes === 'number' && targets[1] !== classes) {
      return [mismatch(context, `${written} compares this output of ${classes} class scores, shape ${formatTuple(shown)}, with rows of ${targets[1]} probabilities from ${arrayText(y)}, shape ${formatTuple(targets)}: PyTorch raises "0D or 1D target tensor expected, multi-target not supported". Give this layer ${targets[1]} outputs, or one-hot the targets over ${classes} classes.`)];
    }
    if (y.dtype === 'int') return [outOfRange(context, classes, `PyTorch raises "IndexError: Target ${(y.classes ?? 0) - 1} is out of bounds."`)];
    return [];
  }
  const findings: (DataFinding | undefined)[] = [];
  const sameSize = shapesMayMatch(targets, output);
  if (!sameSize) {
    const torchSize = (shape: Shape) => (known(shape) ? `torch.Size([${shape.join(', ')}])` : formatTuple(shape));
    const fix = output.length === targets.length + 1 && output[output.length - 1] === 1 ? `Squeeze the output (\`output.squeeze(${output.length - 1})\`) or give the targets its shape (\`${targetName(y)}.unsqueeze(${targets.length})\`).` : `Give the targets the output's shape ${formatTuple(shown)}.`;
    const pair = `this output, shape ${formatTuple(shown)}, with targets of shape ${formatTuple(targets)} from ${arrayText(y)}`;
    const combined = broadcast(shown, targets);
    if (loss.name === 'binary_crossentropy') {
      const error = loss.fromLogits ? `"Target size (${torchSize(targets)}) must be the same as input size (${torchSize(shown)})"` : `"Using a target size (${torchSize(targets)}) that is different to the input size (${torchSize(shown)}) is deprecated. Please ensure they have the same size."`;
      findings.push(mismatch(context, `${written} (line ${context.use.range.line}) compares ${pair}: PyTorch raises ${error} ${fix}`));
    } else if (!combined) {
      findings.push(mismatch(context, `${written} (line ${context.use.range.line}) compares ${pair}: they do not broadcast, and PyTorch raises "The size of tensor a must match the size of tensor b". ${fix}`));
    } else if (definitelyDiffer(shown, targets)) {
      findings.push({
        ...mismatch(context, `${written} (line ${context.use.range.line}) compares ${pair}: they broadcast to ${formatTuple(combined)}, so each prediction is compared with other samples' targets and the model learns their average. PyTorch only warns: "Using a target size (${torchSize(targets)}) that is different to the input size (${torchSize(shown)}). This will likely lead to incorrect results due to broadcasting." ${fix}`),
        rule: 'broadcast-target',
      });
    }
  }
  if (y.dtype === 'int' && (loss.name === 'binary_crossentropy' || ELEMENTWISE_LOSSES.has(loss.name))) {
    const error = loss.name === 'binary_crossentropy' && loss.fromLogits ? `"result type Float can't be cast to the desired output type Long"` : `"Found dtype Long but expected Float"`;
    findings.push(encoding(context, `${written} compares floats, but the targets from ${arrayText(y)} are integers: PyTorch raises ${error}. Convert them with \`.float()\`.`));
  }
  return findings;
}

/** Integer labels that reach past the last class the output scores. */
function outOfRange(context: TargetContext, classes: number | null, error: string): DataFinding | undefined {
  const { y } = context;
  if (y.classes === undefined || classes === null || y.classes <= classes) return undefined;
  return mismatch(context, `The labels from ${arrayText(y)} go up to ${y.classes - 1}, but this layer scores ${classes} classes: ${error}. Give it ${y.classes} outputs, one per class.`);
}

function mismatch(context: TargetContext, message: string): DataFinding {
  return { rule: 'target-shape-mismatch', layer: context.layer, message, related: [origin(context.y, 'the targets'), { range: context.use.range, message: callText(context.use) }] };
}

/** A label-encoding finding sits on the loss; `replacement` is the Keras loss that fits the targets, when the loss is a string literal. */
function encoding(context: TargetContext, message: string, replacement?: string): DataFinding {
  const { loss } = context;
  const fix = replacement && loss.literal && !loss.fromLogits ? { range: loss.range, replacement: loss.literal.replace(/^(['"]).*\1$/, `$1${replacement}$1`) } : undefined;
  return { rule: 'label-encoding-mismatch', range: loss.range, message, related: [origin(context.y, 'the targets'), { range: context.use.range, message: callText(context.use) }], fix };
}

// ---------------------------------------------------------------- wording

function known(shape: Shape): boolean {
  return shape.every((size) => size !== null);
}

/** Certainly different sizes: another rank, or an axis whose known sizes differ (the batch axis counts as equal). */
function definitelyDiffer(a: Shape, b: Shape): boolean {
  return a.length !== b.length || !shapesMayMatch(a.slice(1), b.slice(1));
}

function arrayText(array: DataArray): string {
  return `\`${array.made}\` (line ${array.origin.line})`;
}

function targetName(array: DataArray): string {
  return /^[A-Za-z_]\w*$/.test(array.made) ? array.made : 'y';
}

function origin(array: DataArray, what: string): Related {
  return { range: array.origin, message: `${what}: ${array.made}` };
}

function callText(use: DataUse): string {
  return use.kind === 'loss' ? 'the loss call' : use.kind === 'validation' ? 'the validation data' : `the ${use.kind} call`;
}
