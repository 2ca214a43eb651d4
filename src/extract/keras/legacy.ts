// Keras 1 argument names and signatures. Keras 2.0–2.3 still accepted them through the legacy
// interfaces of `keras/legacy/interfaces.py`, which rename each keyword before the layer sees it
// (`border_mode` → `padding`, `nb_filter` → `filters`, `Convolution2D(32, 3, 3)` → kernel (3, 3));
// tf.keras and Keras 3 reject those keywords, so a call that uses one is certainly Keras 1 style.
import type { CallSite, Value } from '../abstract/values.js';
import { NONE_VALUE, UNKNOWN_VALUE, seq, str } from '../abstract/values.js';
import type { KerasLayerSpec } from './catalog.js';

type Renames = Readonly<Record<string, string>>;

const WEIGHTS: Renames = {
  init: 'kernel_initializer',
  W_regularizer: 'kernel_regularizer',
  b_regularizer: 'bias_regularizer',
  W_constraint: 'kernel_constraint',
  b_constraint: 'bias_constraint',
  bias: 'use_bias',
};
const CONV: Renames = { ...WEIGHTS, nb_filter: 'filters', subsample: 'strides', border_mode: 'padding', dim_ordering: 'data_format', atrous_rate: 'dilation_rate' };
const CONV_1D: Renames = { ...WEIGHTS, nb_filter: 'filters', filter_length: 'kernel_size', subsample_length: 'strides', border_mode: 'padding', atrous_rate: 'dilation_rate' };
const RECURRENT: Renames = {
  output_dim: 'units',
  init: 'kernel_initializer',
  inner_init: 'recurrent_initializer',
  inner_activation: 'recurrent_activation',
  W_regularizer: 'kernel_regularizer',
  b_regularizer: 'bias_regularizer',
  U_regularizer: 'recurrent_regularizer',
  dropout_W: 'dropout',
  dropout_U: 'recurrent_dropout',
  consume_less: 'implementation',
};
const DIM_ORDERING: Renames = { dim_ordering: 'data_format' };

/** The renames of one layer's legacy interface, by what the layer is. */
function renamesFor(name: string, spec: KerasLayerSpec): Renames {
  switch (spec.kind) {
    case 'conv':
    case 'conv-transpose':
    case 'depthwise-conv':
      return spec.rank === 1 ? CONV_1D : CONV;
    case 'dense':
      return { ...WEIGHTS, output_dim: 'units' };
    case 'recurrent':
      return RECURRENT;
    case 'embedding':
      return { init: 'embeddings_initializer', W_regularizer: 'embeddings_regularizer', W_constraint: 'embeddings_constraint' };
    case 'dropout':
      return { p: 'rate', ...DIM_ORDERING };
    case 'pool':
      return spec.rank === 1 ? { pool_length: 'pool_size', stride: 'strides', border_mode: 'padding' } : { border_mode: 'padding', ...DIM_ORDERING };
    case 'upsample':
      return spec.rank === 1 ? { length: 'size' } : DIM_ORDERING;
    case 'global-pool':
    case 'padding':
      return DIM_ORDERING;
    case 'norm':
      return name === 'BatchNormalization' ? { beta_init: 'beta_initializer', gamma_init: 'gamma_initializer' } : {};
    default:
      if (name === 'PReLU') return { init: 'alpha_initializer' };
      if (name === 'GaussianNoise') return { sigma: 'stddev' };
      // Keras 3 renamed LeakyReLU's `alpha`
      if (name === 'LeakyReLU') return { alpha: 'negative_slope' };
      return {};
  }
}

/** Keras 1's separate kernel sizes, joined into `kernel_size` by the legacy convolution interfaces. */
const KERNEL_KEYWORDS = new Set(['nb_row', 'nb_col', 'kernel_dim1', 'kernel_dim2', 'kernel_dim3']);

/** Keyword arguments no Keras after 2.3 accepts: a file that writes one is Keras 1 code throughout. */
const KERAS_1_FILE = /\b(?:border_mode|subsample|subsample_length|nb_filter|nb_row|nb_col|filter_length|dim_ordering|atrous_rate|inner_init|inner_activation|dropout_W|dropout_U|W_regularizer|b_regularizer)\s*=/;

export function writtenForKeras1(text: string): boolean {
  return KERAS_1_FILE.test(text);
}

/** Keras 1's `dim_ordering` values, as Keras 2 converts them ('default': the configured image data format). */
const DIM_ORDERING_VALUES: Record<string, Value> = { tf: str('channels_last'), th: str('channels_first'), default: NONE_VALUE };

/**
 * The call as the Keras 2 layer receives it: legacy keywords renamed, Keras 1 kernel sizes given as
 * separate integers (`nb_row, nb_col`) joined into `kernel_size`, a deconvolution's `output_shape`
 * dropped, and `input_dim`/`input_length` of a sequence layer turned into its `input_shape`.
 *
 * `Conv2D(32, 3, 3)` is the ambiguous case: Keras 2.0–2.3 reads a 3×3 kernel, tf.keras and Keras 3
 * a kernel of 3 with strides 3. It is read the legacy way when the call uses another Keras 1
 * keyword or the file uses one elsewhere (it only runs on a Keras that reads them), the modern way
 * when the layer comes from tf.keras or the call names `strides`, `padding` or `data_format`
 * (which the legacy interface refuses next to positional sizes); otherwise what the two readings
 * disagree on stays unknown.
 */
export function kerasTwoCall(name: string, spec: KerasLayerSpec, call: CallSite, modern: boolean, legacyFile: boolean): CallSite {
  const renames = renamesFor(name, spec);
  const usesKeras1 = [...call.kwargs.keys()].some((key) => Object.hasOwn(renames, key) || KERNEL_KEYWORDS.has(key));
  const convolution = spec.kind === 'conv' || spec.kind === 'conv-transpose';
  const sequence = spec.kind === 'recurrent' || (convolution && spec.rank === 1);
  if (!usesKeras1 && !(convolution && call.args.length >= 3) && !(sequence && call.kwargs.has('input_dim'))) return call;
  let result = usesKeras1 ? renamed(call, renames) : call;
  if (convolution && spec.rank === 2) result = joinKernel2D(spec, result, usesKeras1, modern, legacyFile);
  if (convolution && spec.rank === 3 && name.startsWith('Conv') && !name.includes('Transpose')) result = joinKernel3D(result);
  if (sequence && result.kwargs.has('input_dim') && !result.kwargs.has('input_shape')) {
    const kwargs = new Map(result.kwargs);
    const kwargNodes = new Map(result.kwargNodes);
    // without input_length Keras 2.0–2.3 leaves the steps None, tf.keras reads a 2-D input: footgun does not know
    kwargs.set('input_shape', seq([kwargs.get('input_length') ?? UNKNOWN_VALUE, kwargs.get('input_dim')!], true));
    kwargNodes.set('input_shape', result.kwargNodes.get('input_dim')!);
    for (const key of ['input_dim', 'input_length']) {
      kwargs.delete(key);
      kwargNodes.delete(key);
    }
    result = rewritten(result, { kwargs, kwargNodes });
  }
  return result;
}

/** A changed copy of a call (a lazy call site's fields are getters, which spreading would lose). */
function rewritten(call: CallSite, changes: Partial<Pick<CallSite, 'args' | 'argNodes' | 'kwargs' | 'kwargNodes'>>): CallSite {
  return {
    node: call.node,
    args: changes.args ?? call.args,
    argNodes: changes.argNodes ?? call.argNodes,
    kwargs: changes.kwargs ?? call.kwargs,
    kwargNodes: changes.kwargNodes ?? call.kwargNodes,
    hasSplat: call.hasSplat,
    sequenceStep: call.sequenceStep,
  };
}

function renamed(call: CallSite, renames: Renames): CallSite {
  const kwargs = new Map<string, Value>();
  const kwargNodes = new Map(call.kwargNodes);
  for (const [key, value] of call.kwargs) {
    const target = renames[key];
    if (target === undefined || call.kwargs.has(target)) {
      kwargs.set(key, value);
      continue;
    }
    kwargs.set(target, key === 'dim_ordering' && value.kind === 'string' ? (DIM_ORDERING_VALUES[value.value] ?? UNKNOWN_VALUE) : value);
    kwargNodes.set(target, call.kwargNodes.get(key)!);
    kwargNodes.delete(key);
  }
  return rewritten(call, { kwargs, kwargNodes });
}

function isInteger(value: Value | undefined): boolean {
  return value?.kind === 'number' && Number.isInteger(value.value);
}

function withKernel(call: CallSite, positional: number, kernel: Value[], node: CallSite['argNodes'][number] | undefined, extra: Record<string, Value> = {}, dropKeys: string[] = []): CallSite {
  const args = [...call.args.slice(0, positional), seq(kernel, true)];
  const argNodes = [...call.argNodes.slice(0, positional), node ?? call.node];
  const kwargs = new Map(call.kwargs);
  const kwargNodes = new Map(call.kwargNodes);
  for (const key of dropKeys) {
    kwargs.delete(key);
    kwargNodes.delete(key);
  }
  for (const [key, value] of Object.entries(extra)) {
    kwargs.set(key, value);
    kwargNodes.set(key, node ?? call.node);
  }
  return rewritten(call, { args, argNodes, kwargs, kwargNodes });
}

/** `Convolution2D(32, 3, 3)`, `Conv2D(32, 3, nb_col=3)`, `Conv2D(32, nb_row=3, nb_col=3)`; a Keras 1 deconvolution's `output_shape` goes. */
function joinKernel2D(spec: KerasLayerSpec, call: CallSite, usesKeras1: boolean, modern: boolean, legacyFile: boolean): CallSite {
  let current = call;
  if (spec.kind === 'conv-transpose') {
    const args = current.args.length === 4 && current.args[3]?.kind === 'seq' ? current.args.slice(0, 3) : current.args;
    const kwargs = new Map(current.kwargs);
    if (usesKeras1) kwargs.delete('output_shape');
    current = rewritten(current, { args, argNodes: current.argNodes.slice(0, args.length), kwargs });
  }
  const [filters, rows, columns] = current.args;
  if (current.args.length === 3 && isInteger(rows) && isInteger(columns)) {
    if (usesKeras1 || (legacyFile && !modern)) return withKernel(current, 1, [rows!, columns!], current.argNodes[1]);
    if (modern || current.kwargs.has('strides') || current.kwargs.has('padding') || current.kwargs.has('data_format')) return current;
    // Keras 2.0–2.3 reads (rows, columns) as the kernel, later versions a kernel of `rows` with strides `columns`
    const size = (rows as { value: number }).value;
    if (size === 1 && (columns as { value: number }).value === 1) return current;
    const sameSize = size === (columns as { value: number }).value;
    return withKernel(rewritten(current, { args: [filters!, rows!] }), 1, sameSize ? [rows!, rows!] : [UNKNOWN_VALUE, UNKNOWN_VALUE], current.argNodes[1], { strides: UNKNOWN_VALUE });
  }
  if (current.args.length === 2 && current.kwargs.has('nb_col')) return withKernel(current, 1, [current.args[1]!, current.kwargs.get('nb_col')!], current.argNodes[1], {}, ['nb_col']);
  if (current.args.length <= 2 && current.kwargs.has('nb_row') && current.kwargs.has('nb_col')) {
    return withKernel(current, Math.min(current.args.length, 1), [current.kwargs.get('nb_row')!, current.kwargs.get('nb_col')!], current.kwargNodes.get('nb_row'), {}, ['nb_row', 'nb_col']);
  }
  return current;
}

/** `Convolution3D(32, 3, 3, 3)`: four integers are only ever Keras 1's kernel dimensions. */
function joinKernel3D(call: CallSite): CallSite {
  const [, d1, d2, d3] = call.args;
  if (call.args.length === 4 && isInteger(d1) && isInteger(d2) && isInteger(d3)) return withKernel(call, 1, [d1!, d2!, d3!], call.argNodes[1]);
  const dims = ['kernel_dim1', 'kernel_dim2', 'kernel_dim3'];
  if (call.args.length <= 1 && dims.every((key) => call.kwargs.has(key))) {
    return withKernel(call, call.args.length, dims.map((key) => call.kwargs.get(key)!), call.kwargNodes.get('kernel_dim1'), {}, dims);
  }
  return call;
}
