import type { ArgValue, LayerKind } from '../../ir.js';

/** How footgun reads one Keras layer class: what it does and its constructor signature. */
export interface KerasLayerSpec {
  kind: LayerKind;
  /** spatial rank of conv/pool/upsampling layers */
  rank?: number;
  /** positional parameter names, in the order Keras declares them */
  params: string[];
  defaults: Record<string, ArgValue>;
  /** the activation a dedicated activation layer applies */
  applies?: string;
}

const CONV_PARAMS = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias', 'kernel_initializer'];
const CONV_DEFAULTS = { strides: 1, padding: 'valid', dilation_rate: 1, groups: 1, activation: null, use_bias: true, kernel_initializer: 'glorot_uniform' };
const TRANSPOSE_PARAMS = ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'kernel_initializer'];
const SEPARABLE_PARAMS = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'];
const DEPTHWISE_PARAMS = ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias'];
const POOL_PARAMS = ['pool_size', 'strides', 'padding', 'data_format'];
const RNN_PARAMS = ['units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer'];

const catalog: Record<string, KerasLayerSpec> = {
  InputLayer: { kind: 'input', params: ['shape', 'batch_size', 'dtype'], defaults: {} },
  Dense: { kind: 'dense', params: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'], defaults: { activation: null, use_bias: true, kernel_initializer: 'glorot_uniform' } },
  Embedding: { kind: 'embedding', params: ['input_dim', 'output_dim', 'embeddings_initializer'], defaults: {} },
  Activation: { kind: 'activation', params: ['activation'], defaults: {} },
  ReLU: { kind: 'activation', params: ['max_value', 'negative_slope', 'threshold'], defaults: {}, applies: 'relu' },
  LeakyReLU: { kind: 'activation', params: ['negative_slope'], defaults: {}, applies: 'leaky_relu' },
  PReLU: { kind: 'activation', params: ['alpha_initializer'], defaults: {}, applies: 'prelu' },
  ELU: { kind: 'activation', params: ['alpha'], defaults: {}, applies: 'elu' },
  Softmax: { kind: 'activation', params: ['axis'], defaults: { axis: -1 }, applies: 'softmax' },
  ThresholdedReLU: { kind: 'activation', params: ['theta'], defaults: {}, applies: 'relu' },
  Dropout: { kind: 'dropout', params: ['rate', 'noise_shape', 'seed'], defaults: {} },
  SpatialDropout1D: { kind: 'dropout', params: ['rate'], defaults: {} },
  SpatialDropout2D: { kind: 'dropout', params: ['rate'], defaults: {} },
  SpatialDropout3D: { kind: 'dropout', params: ['rate'], defaults: {} },
  GaussianDropout: { kind: 'dropout', params: ['rate'], defaults: {} },
  AlphaDropout: { kind: 'dropout', params: ['rate'], defaults: {} },
  GaussianNoise: { kind: 'identity', params: ['stddev'], defaults: {} },
  BatchNormalization: { kind: 'norm', params: ['axis', 'momentum', 'epsilon', 'center', 'scale'], defaults: { axis: -1, center: true, scale: true } },
  LayerNormalization: { kind: 'norm', params: ['axis', 'epsilon', 'center', 'scale'], defaults: { axis: -1, center: true, scale: true } },
  GroupNormalization: { kind: 'norm', params: ['groups', 'axis', 'epsilon', 'center', 'scale'], defaults: { groups: 32, axis: -1, center: true, scale: true } },
  UnitNormalization: { kind: 'norm', params: ['axis'], defaults: {} },
  Flatten: { kind: 'flatten', params: ['data_format'], defaults: {} },
  Reshape: { kind: 'reshape', params: ['target_shape'], defaults: {} },
  Permute: { kind: 'reshape', params: ['dims'], defaults: {} },
  RepeatVector: { kind: 'reshape', params: ['n'], defaults: {} },
  Concatenate: { kind: 'merge', params: ['axis'], defaults: { axis: -1 } },
  Add: { kind: 'merge', params: [], defaults: {} },
  Subtract: { kind: 'merge', params: [], defaults: {} },
  Multiply: { kind: 'merge', params: [], defaults: {} },
  Average: { kind: 'merge', params: [], defaults: {} },
  Maximum: { kind: 'merge', params: [], defaults: {} },
  Minimum: { kind: 'merge', params: [], defaults: {} },
  Dot: { kind: 'opaque', params: ['axes', 'normalize'], defaults: {} },
  LSTM: { kind: 'recurrent', params: RNN_PARAMS, defaults: { activation: 'tanh', use_bias: true, return_sequences: false } },
  GRU: { kind: 'recurrent', params: RNN_PARAMS, defaults: { activation: 'tanh', use_bias: true, return_sequences: false, reset_after: true } },
  SimpleRNN: { kind: 'recurrent', params: ['units', 'activation', 'use_bias'], defaults: { activation: 'tanh', use_bias: true, return_sequences: false } },
  Bidirectional: { kind: 'recurrent', params: ['layer', 'merge_mode'], defaults: { merge_mode: 'concat' } },
  TimeDistributed: { kind: 'opaque', params: ['layer'], defaults: {} },
  MultiHeadAttention: { kind: 'attention', params: ['num_heads', 'key_dim', 'value_dim', 'dropout', 'use_bias', 'output_shape'], defaults: {} },
  Attention: { kind: 'attention', params: ['use_scale'], defaults: {} },
  Lambda: { kind: 'opaque', params: ['function', 'output_shape', 'mask', 'arguments'], defaults: {} },
  Masking: { kind: 'identity', params: ['mask_value'], defaults: {} },
  ActivityRegularization: { kind: 'identity', params: [], defaults: {} },
  Rescaling: { kind: 'identity', params: ['scale', 'offset'], defaults: {} },
  Normalization: { kind: 'identity', params: ['axis', 'mean', 'variance'], defaults: {} },
  RandomFlip: { kind: 'identity', params: ['mode'], defaults: {} },
  RandomRotation: { kind: 'identity', params: ['factor'], defaults: {} },
  RandomZoom: { kind: 'identity', params: ['height_factor'], defaults: {} },
  RandomContrast: { kind: 'identity', params: ['factor'], defaults: {} },
  RandomTranslation: { kind: 'identity', params: ['height_factor', 'width_factor'], defaults: {} },
  RandomBrightness: { kind: 'identity', params: ['factor'], defaults: {} },
  Resizing: { kind: 'opaque', params: ['height', 'width'], defaults: {} },
  CenterCrop: { kind: 'opaque', params: ['height', 'width'], defaults: {} },
  RandomCrop: { kind: 'opaque', params: ['height', 'width'], defaults: {} },
  TextVectorization: { kind: 'opaque', params: ['max_tokens'], defaults: {} },
};

for (const rank of [1, 2, 3]) {
  catalog[`Conv${rank}D`] = { kind: 'conv', rank, params: CONV_PARAMS, defaults: CONV_DEFAULTS };
  catalog[`Conv${rank}DTranspose`] = { kind: 'conv-transpose', rank, params: TRANSPOSE_PARAMS, defaults: CONV_DEFAULTS };
  for (const pool of ['Max', 'Average']) {
    const spec: KerasLayerSpec = { kind: 'pool', rank, params: POOL_PARAMS, defaults: { pool_size: 2, strides: null, padding: 'valid', pool_mode: pool.toLowerCase() } };
    catalog[`${pool}Pooling${rank}D`] = spec;
    catalog[`${pool === 'Max' ? 'Max' : 'Avg'}Pool${rank}D`] = spec;
    const global: KerasLayerSpec = { kind: 'global-pool', rank, params: ['data_format', 'keepdims'], defaults: { keepdims: false, pool_mode: pool.toLowerCase() } };
    catalog[`Global${pool}Pooling${rank}D`] = global;
    catalog[`Global${pool === 'Max' ? 'Max' : 'Avg'}Pool${rank}D`] = global;
  }
  catalog[`UpSampling${rank}D`] = { kind: 'upsample', rank, params: ['size', 'data_format', 'interpolation'], defaults: { size: 2 } };
  catalog[`ZeroPadding${rank}D`] = { kind: 'padding', rank, params: ['padding', 'data_format'], defaults: { padding: 1 } };
  catalog[`Cropping${rank}D`] = { kind: 'padding', rank, params: ['cropping', 'data_format'], defaults: { cropping: rank === 1 ? [1, 1] : 0 } };
  catalog[`SpatialDropout${rank}D`] = { kind: 'dropout', rank, params: ['rate'], defaults: {} };
}
for (const rank of [1, 2]) {
  catalog[`SeparableConv${rank}D`] = { kind: 'conv', rank, params: SEPARABLE_PARAMS, defaults: { ...CONV_DEFAULTS, depth_multiplier: 1, separable: true } };
  catalog[`DepthwiseConv${rank}D`] = { kind: 'depthwise-conv', rank, params: DEPTHWISE_PARAMS, defaults: { ...CONV_DEFAULTS, depth_multiplier: 1 } };
}

/**
 * Other names of the same layers. Keras 3 and tf.keras export `Convolution{1,2,3}D`,
 * `Convolution{1,2,3}DTranspose`, `SeparableConvolution{1,2}D` and the `*Pool*` short names
 * (keras/src/layers: `@keras_export([...])`); Keras 2.0–2.3 also had `Deconvolution2D/3D` (and
 * `Deconv2D/3D`) for the transposed convolutions and `AtrousConvolution1D/2D` (`AtrousConv1D/2D`),
 * functions that build a Conv1D/Conv2D with `dilation_rate=atrous_rate` (keras/legacy/layers.py).
 */
const ALIASES: Record<string, string> = {
  Convolution1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  Convolution3D: 'Conv3D',
  Convolution1DTranspose: 'Conv1DTranspose',
  Convolution2DTranspose: 'Conv2DTranspose',
  Convolution3DTranspose: 'Conv3DTranspose',
  SeparableConvolution1D: 'SeparableConv1D',
  SeparableConvolution2D: 'SeparableConv2D',
  Deconvolution2D: 'Conv2DTranspose',
  Deconvolution3D: 'Conv3DTranspose',
  Deconv2D: 'Conv2DTranspose',
  Deconv3D: 'Conv3DTranspose',
  AtrousConvolution1D: 'Conv1D',
  AtrousConvolution2D: 'Conv2D',
  AtrousConv1D: 'Conv1D',
  AtrousConv2D: 'Conv2D',
};
for (const [alias, name] of Object.entries(ALIASES)) catalog[alias] = catalog[name]!;

export const KERAS_LAYERS: Readonly<Record<string, KerasLayerSpec>> = catalog;

/** Keras' lowercase functional shortcuts for merge layers: `layers.add([a, b])`. */
export const KERAS_MERGE_FUNCTIONS: Record<string, string> = {
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  concatenate: 'Concatenate',
};

/** Layer arguments that are sizes per spatial axis: an int means the same on every axis. */
export const PER_AXIS_ARGS = new Set(['kernel_size', 'strides', 'dilation_rate', 'pool_size', 'size']);
