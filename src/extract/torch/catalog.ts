import type { ArgValue, LayerKind } from '../../ir.js';

/** How footgun reads one torch.nn module class. Arguments are renamed to the IR's Keras-style names. */
export interface TorchLayerSpec {
  kind: LayerKind;
  rank?: number;
  /** positional parameters, under the IR's names (`in_channels`, `filters`, `kernel_size`, …) */
  params: string[];
  defaults: Record<string, ArgValue>;
  /** PyTorch keyword → IR name, where they differ */
  renames?: Record<string, string>;
  /** the activation an activation module applies */
  applies?: string;
}

const CONV_RENAMES = { out_channels: 'filters', stride: 'strides', dilation: 'dilation_rate', bias: 'use_bias' };
const POOL_RENAMES = { kernel_size: 'pool_size', stride: 'strides', dilation: 'dilation_rate' };
const RNN_RENAMES = { hidden_size: 'units', input_size: 'input_size', bias: 'use_bias' };

const catalog: Record<string, TorchLayerSpec> = {
  Linear: { kind: 'dense', params: ['in_features', 'units', 'use_bias'], defaults: { use_bias: true }, renames: { out_features: 'units', bias: 'use_bias' } },
  LazyLinear: { kind: 'dense', params: ['units', 'use_bias'], defaults: { use_bias: true }, renames: { out_features: 'units', bias: 'use_bias' } },
  Embedding: { kind: 'embedding', params: ['input_dim', 'output_dim', 'padding_idx'], defaults: {}, renames: { num_embeddings: 'input_dim', embedding_dim: 'output_dim' } },
  Flatten: { kind: 'flatten', params: ['start_dim', 'end_dim'], defaults: { start_dim: 1, end_dim: -1 } },
  Unflatten: { kind: 'reshape', params: ['dim', 'unflattened_size'], defaults: {} },
  Identity: { kind: 'identity', params: [], defaults: {} },
  Dropout: { kind: 'dropout', params: ['rate', 'inplace'], defaults: { rate: 0.5 }, renames: { p: 'rate' } },
  AlphaDropout: { kind: 'dropout', params: ['rate'], defaults: { rate: 0.5 }, renames: { p: 'rate' } },
  LayerNorm: { kind: 'norm', params: ['normalized_shape', 'eps', 'elementwise_affine'], defaults: { elementwise_affine: true } },
  GroupNorm: { kind: 'norm', params: ['num_groups', 'num_channels', 'eps', 'affine'], defaults: { affine: true } },
  LSTM: { kind: 'recurrent', params: ['input_size', 'units', 'num_layers', 'use_bias', 'batch_first', 'dropout', 'bidirectional'], defaults: { num_layers: 1, use_bias: true, batch_first: false, bidirectional: false }, renames: RNN_RENAMES },
  GRU: { kind: 'recurrent', params: ['input_size', 'units', 'num_layers', 'use_bias', 'batch_first', 'dropout', 'bidirectional'], defaults: { num_layers: 1, use_bias: true, batch_first: false, bidirectional: false }, renames: RNN_RENAMES },
  RNN: { kind: 'recurrent', params: ['input_size', 'units', 'num_layers', 'nonlinearity', 'use_bias', 'batch_first', 'dropout', 'bidirectional'], defaults: { num_layers: 1, use_bias: true, batch_first: false, bidirectional: false }, renames: RNN_RENAMES },
  MultiheadAttention: { kind: 'attention', params: ['embed_dim', 'num_heads', 'dropout', 'use_bias'], defaults: { use_bias: true }, renames: { bias: 'use_bias' } },
  TransformerEncoderLayer: { kind: 'attention', params: ['d_model', 'nhead', 'dim_feedforward', 'dropout'], defaults: { dim_feedforward: 2048 } },
  TransformerDecoderLayer: { kind: 'attention', params: ['d_model', 'nhead', 'dim_feedforward', 'dropout'], defaults: { dim_feedforward: 2048 } },
  TransformerEncoder: { kind: 'attention', params: ['encoder_layer', 'num_layers', 'norm'], defaults: {} },
  Upsample: { kind: 'upsample', params: ['size', 'scale_factor', 'mode'], defaults: {} },
  PixelShuffle: { kind: 'opaque', params: ['upscale_factor'], defaults: {} },
  ZeroPad2d: { kind: 'padding', rank: 2, params: ['padding'], defaults: {} },
  ConstantPad2d: { kind: 'padding', rank: 2, params: ['padding', 'value'], defaults: {} },
  ReflectionPad2d: { kind: 'padding', rank: 2, params: ['padding'], defaults: {} },
  ReplicationPad2d: { kind: 'padding', rank: 2, params: ['padding'], defaults: {} },
};

for (const rank of [1, 2, 3]) {
  catalog[`Conv${rank}d`] = { kind: 'conv', rank, params: ['in_channels', 'filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'groups', 'use_bias'], defaults: { strides: 1, padding: 0, dilation_rate: 1, groups: 1, use_bias: true }, renames: CONV_RENAMES };
  catalog[`ConvTranspose${rank}d`] = { kind: 'conv-transpose', rank, params: ['in_channels', 'filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'groups', 'use_bias', 'dilation_rate'], defaults: { strides: 1, padding: 0, output_padding: 0, groups: 1, use_bias: true, dilation_rate: 1 }, renames: CONV_RENAMES };
  catalog[`MaxPool${rank}d`] = { kind: 'pool', rank, params: ['pool_size', 'strides', 'padding', 'dilation_rate', 'return_indices', 'ceil_mode'], defaults: { strides: null, padding: 0, dilation_rate: 1, ceil_mode: false, pool_mode: 'max' }, renames: POOL_RENAMES };
  catalog[`AvgPool${rank}d`] = { kind: 'pool', rank, params: ['pool_size', 'strides', 'padding', 'ceil_mode'], defaults: { strides: null, padding: 0, dilation_rate: 1, ceil_mode: false, pool_mode: 'average' }, renames: POOL_RENAMES };
  catalog[`AdaptiveAvgPool${rank}d`] = { kind: 'global-pool', rank, params: ['output_size'], defaults: { pool_mode: 'average' } };
  catalog[`AdaptiveMaxPool${rank}d`] = { kind: 'global-pool', rank, params: ['output_size'], defaults: { pool_mode: 'max' } };
  catalog[`BatchNorm${rank}d`] = { kind: 'norm', rank, params: ['num_features', 'eps', 'momentum', 'affine'], defaults: { affine: true } };
  catalog[`InstanceNorm${rank}d`] = { kind: 'norm', rank, params: ['num_features', 'eps', 'momentum', 'affine'], defaults: { affine: false } };
  catalog[`Dropout${rank}d`] = { kind: 'dropout', rank, params: ['rate', 'inplace'], defaults: { rate: 0.5 }, renames: { p: 'rate' } };
}

const ACTIVATIONS: Record<string, string> = {
  ReLU: 'relu',
  ReLU6: 'relu6',
  LeakyReLU: 'leaky_relu',
  PReLU: 'prelu',
  ELU: 'elu',
  SELU: 'selu',
  CELU: 'elu',
  GELU: 'gelu',
  SiLU: 'silu',
  Mish: 'mish',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  Softmax: 'softmax',
  LogSoftmax: 'log_softmax',
  Softplus: 'softplus',
  Hardswish: 'hard_swish',
  Hardsigmoid: 'hard_sigmoid',
  Hardtanh: 'hard_tanh',
};
for (const [name, applies] of Object.entries(ACTIVATIONS)) {
  catalog[name] = { kind: 'activation', params: name === 'Softmax' || name === 'LogSoftmax' ? ['dim'] : name === 'PReLU' ? ['num_parameters'] : [], defaults: name === 'PReLU' ? { num_parameters: 1 } : {}, applies };
}

export const TORCH_LAYERS: Readonly<Record<string, TorchLayerSpec>> = catalog;

/** torch.nn.functional activations and their names in the IR. */
export const TORCH_FUNCTIONAL_ACTIVATIONS: Record<string, string> = {
  relu: 'relu',
  relu6: 'relu6',
  leaky_relu: 'leaky_relu',
  elu: 'elu',
  selu: 'selu',
  gelu: 'gelu',
  silu: 'silu',
  mish: 'mish',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  softplus: 'softplus',
  hardswish: 'hard_swish',
};

/** Loss modules and functions, as the IR names them. `fromLogits`: the loss applies (log-)softmax or sigmoid itself. */
export const TORCH_LOSSES: Record<string, { name: string; fromLogits: boolean }> = {
  CrossEntropyLoss: { name: 'sparse_categorical_crossentropy', fromLogits: true },
  cross_entropy: { name: 'sparse_categorical_crossentropy', fromLogits: true },
  NLLLoss: { name: 'nll_loss', fromLogits: false },
  nll_loss: { name: 'nll_loss', fromLogits: false },
  BCELoss: { name: 'binary_crossentropy', fromLogits: false },
  binary_cross_entropy: { name: 'binary_crossentropy', fromLogits: false },
  BCEWithLogitsLoss: { name: 'binary_crossentropy', fromLogits: true },
  binary_cross_entropy_with_logits: { name: 'binary_crossentropy', fromLogits: true },
  MSELoss: { name: 'mean_squared_error', fromLogits: false },
  mse_loss: { name: 'mean_squared_error', fromLogits: false },
  L1Loss: { name: 'mean_absolute_error', fromLogits: false },
  l1_loss: { name: 'mean_absolute_error', fromLogits: false },
  SmoothL1Loss: { name: 'huber', fromLogits: false },
  smooth_l1_loss: { name: 'huber', fromLogits: false },
  HuberLoss: { name: 'huber', fromLogits: false },
  huber_loss: { name: 'huber', fromLogits: false },
  KLDivLoss: { name: 'kl_divergence', fromLogits: false },
  kl_div: { name: 'kl_divergence', fromLogits: false },
};

/** nn.init functions and the initializer they set. */
export const TORCH_INITIALIZERS: Record<string, string> = {
  zeros_: 'zeros',
  ones_: 'ones',
  constant_: 'constant',
  xavier_uniform_: 'glorot_uniform',
  xavier_normal_: 'glorot_normal',
  kaiming_uniform_: 'he_uniform',
  kaiming_normal_: 'he_normal',
  normal_: 'random_normal',
  uniform_: 'random_uniform',
  trunc_normal_: 'truncated_normal',
  orthogonal_: 'orthogonal',
  eye_: 'identity',
};

export const TORCH_DEFAULT_INITIALIZER = 'kaiming_uniform';
