import type { LossSpec, OptimizerSpec, SourceRange } from '../ir.js';
import type { PyNode } from '../parse/py-node.js';
import type { CallSite, Value } from './abstract/values.js';
import { argument, numberOf, symbolName, toArg } from './abstract/values.js';

/** `GlorotUniform` → `glorot_uniform`, `KLDivergence` → `kl_divergence`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const ACTIVATION_ALIASES: Record<string, string> = {
  swish: 'silu',
  leakyrelu: 'leaky_relu',
  relu: 'relu',
  none: 'linear',
};

/**
 * The activation function a value names: 'relu' for `'relu'`, `keras.activations.relu`,
 * `tf.nn.relu` or a `ReLU()` layer; 'linear' for None; null when footgun cannot tell.
 */
export function activationName(value: Value | undefined): string | null {
  if (!value || value.kind === 'none') return 'linear';
  if (value.kind === 'string') {
    const name = value.value.toLowerCase();
    return ACTIVATION_ALIASES[name] ?? name;
  }
  if (value.kind === 'external' || value.kind === 'object') {
    const name = snakeCase(symbolName(value)!);
    return ACTIVATION_ALIASES[name] ?? name;
  }
  if (value.kind === 'layer' && value.layer.kind === 'activation') return value.layer.activation;
  return null;
}

const INITIALIZER_ALIASES: Record<string, string> = {
  zero: 'zeros',
  one: 'ones',
  zeros_initializer: 'zeros',
  ones_initializer: 'ones',
  constant_initializer: 'constant',
  xavier_uniform: 'glorot_uniform',
  xavier_normal: 'glorot_normal',
  he_normal: 'he_normal',
};

/** The snake_case name of an initializer written as a string, a class, a call or a function. */
export function initializerName(value: Value | undefined): string | undefined {
  if (!value) return undefined;
  let raw: string | undefined;
  if (value.kind === 'string') raw = value.value;
  else if (value.kind === 'external' || value.kind === 'object') raw = symbolName(value);
  if (!raw) return undefined;
  const name = snakeCase(raw).replace(/_+$/, '');
  return INITIALIZER_ALIASES[name] ?? name;
}

/** The value an initializer call sets every weight to, when it is a constant one. */
export function constantInitializerValue(value: Value | undefined): number | undefined {
  if (value?.kind !== 'object') return undefined;
  return numberOf(argument(value.call, 'value', 0));
}

const LOSS_ALIASES: Record<string, string> = {
  mse: 'mean_squared_error',
  mae: 'mean_absolute_error',
  mape: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error',
  bce: 'binary_crossentropy',
  kld: 'kl_divergence',
  kullback_leibler_divergence: 'kl_divergence',
  k_l_divergence: 'kl_divergence',
  logcosh: 'log_cosh',
  huber_loss: 'huber',
  cosine_proximity: 'cosine_similarity',
  ctc: 'ctc',
  i_o_u: 'iou',
};

export const KNOWN_LOSSES: ReadonlySet<string> = new Set([
  'mean_squared_error',
  'mean_absolute_error',
  'mean_absolute_percentage_error',
  'mean_squared_logarithmic_error',
  'binary_crossentropy',
  'binary_focal_crossentropy',
  'categorical_crossentropy',
  'categorical_focal_crossentropy',
  'sparse_categorical_crossentropy',
  'kl_divergence',
  'poisson',
  'cosine_similarity',
  'huber',
  'log_cosh',
  'hinge',
  'squared_hinge',
  'categorical_hinge',
  'ctc',
  'dice',
  'iou',
  'tversky',
  'circle',
]);

const METRIC_NAMES = new Set([
  'accuracy',
  'acc',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'top_k_categorical_accuracy',
  'sparse_top_k_categorical_accuracy',
  'auc',
  'a_u_c',
  'precision',
  'recall',
  'f1_score',
  'fbeta_score',
  'mean_io_u',
  'mean_iou',
  'r2_score',
  'root_mean_squared_error',
  'rmse',
  'precision_at_recall',
  'recall_at_precision',
  'true_positives',
  'false_positives',
  'true_negatives',
  'false_negatives',
]);

export function canonicalLossName(raw: string): string {
  const name = snakeCase(raw);
  return LOSS_ALIASES[name] ?? name;
}

/** Reads `loss=` of compile: a string, a loss class or function, a metric by mistake, or a user function. */
export function lossSpecs(value: Value | undefined, node: PyNode | undefined, fallback: SourceRange): LossSpec[] {
  if (!value || value.kind === 'none') return [];
  const range = node?.range ?? fallback;
  if (value.kind === 'seq') return value.items.flatMap((item) => lossSpecs(item, node, fallback));
  if (value.kind === 'dict') return [...value.entries.values()].flatMap((item) => lossSpecs(item, node, fallback));
  if (value.kind === 'function') return [{ name: value.name, known: true, custom: true, isMetric: false, fromLogits: false, range }];
  let raw: string | undefined;
  let path = '';
  let fromLogits = false;
  if (value.kind === 'string') raw = value.value;
  else if (value.kind === 'external' || value.kind === 'object') {
    raw = symbolName(value);
    path = value.path;
    if (value.kind === 'object') fromLogits = argument(value.call, 'from_logits')?.kind === 'bool' && toArg(argument(value.call, 'from_logits')!) === true;
  }
  if (!raw) return [{ name: '?', known: true, custom: true, isMetric: false, fromLogits: false, range }];
  const name = canonicalLossName(raw);
  const isMetric = /(^|\.)metrics(\.|$)/.test(path) || (!KNOWN_LOSSES.has(name) && METRIC_NAMES.has(name));
  const isExternalFromElsewhere = value.kind !== 'string' && !/(^|\.)(losses|metrics)(\.|$)/.test(path) && path.includes('.');
  const literal = value.kind === 'string' && node?.type === 'string' ? node.text : undefined;
  return [{ name: isMetric ? raw : name, known: KNOWN_LOSSES.has(name) || isExternalFromElsewhere, custom: isExternalFromElsewhere, isMetric, fromLogits, range, literal }];
}

/** Reads `optimizer=`: `'sgd'`, `SGD(learning_rate=0.01, momentum=0.9)`, `keras.optimizers.Adam`. */
export function optimizerSpec(value: Value | undefined, node: PyNode | undefined, fallback: SourceRange): OptimizerSpec | null {
  if (!value) return null;
  const range = node?.range ?? fallback;
  if (value.kind === 'string') return { name: value.value.toLowerCase(), learningRate: undefined, momentum: undefined, argsUnknown: false, range };
  if (value.kind === 'external' || value.kind === 'object') {
    const name = symbolName(value)!.toLowerCase();
    if (value.kind === 'external') return { name, learningRate: undefined, momentum: undefined, argsUnknown: false, range };
    const call: CallSite = value.call;
    const learningRate = argument(call, 'learning_rate', 0) ?? argument(call, 'lr');
    const learningRateNode = call.kwargNodes.get('learning_rate') ?? call.kwargNodes.get('lr') ?? call.argNodes[0];
    const momentum = argument(call, 'momentum', name === 'sgd' ? 1 : undefined);
    return {
      name,
      learningRate: learningRate ? toArg(learningRate) : undefined,
      momentum: momentum ? toArg(momentum) : undefined,
      argsUnknown: call.hasSplat,
      range: call.node.range,
      learningRateRange: learningRate ? learningRateNode?.range : undefined,
    };
  }
  return null;
}
