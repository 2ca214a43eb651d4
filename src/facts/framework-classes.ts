// The framework base classes a model class can derive from, and what an instance of each already
// has before the subclass assigns anything.

/** The framework a class belongs to through its bases. */
export type ClassFramework = 'torch' | 'lightning' | 'keras-layer' | 'keras-model';

/** Framework root classes, by qualified name (Keras spellings normalised to `keras.`). */
export const ROOT_CLASSES: Readonly<Record<string, ClassFramework>> = {
  'torch.nn.Module': 'torch',
  'torch.nn.modules.module.Module': 'torch',
  'pytorch_lightning.LightningModule': 'lightning',
  'pytorch_lightning.core.LightningModule': 'lightning',
  'pytorch_lightning.core.module.LightningModule': 'lightning',
  'lightning.LightningModule': 'lightning',
  'lightning.pytorch.LightningModule': 'lightning',
  'lightning.pytorch.core.LightningModule': 'lightning',
  'lightning.pytorch.core.module.LightningModule': 'lightning',
  'keras.Layer': 'keras-layer',
  'keras.layers.Layer': 'keras-layer',
  'keras.engine.base_layer.Layer': 'keras-layer',
  'keras.src.layers.layer.Layer': 'keras-layer',
  'keras.Model': 'keras-model',
  'keras.models.Model': 'keras-model',
  'keras.engine.training.Model': 'keras-model',
  'keras.src.models.model.Model': 'keras-model',
};

/** torch.nn classes that are not modules. */
export const TORCH_NN_NON_MODULES: ReadonlySet<string> = new Set(['Parameter', 'UninitializedParameter', 'UninitializedBuffer', 'Buffer']);

/** A library class other than a root that a class may derive from: `nn.Sequential`, `keras.layers.Dense`. */
export function frameworkOfLibraryClass(qualified: string): ClassFramework | null {
  const torch = /^torch\.nn\.([A-Z]\w*)$/.exec(qualified);
  if (torch) return TORCH_NN_NON_MODULES.has(torch[1]!) ? null : 'torch';
  if (/^keras\.layers\.[A-Z]\w*$/.test(qualified)) return 'keras-layer';
  if (/^keras\.(?:models\.)?(?:Sequential|Functional)$/.test(qualified)) return 'keras-model';
  return null;
}

/** PyTorch's loss modules (`torch.nn.CrossEntropyLoss`), by qualified name. */
export function isTorchLossClass(qualified: string): boolean {
  return /^torch\.nn\.\w*Loss$/.test(qualified);
}

/** PyTorch's functional losses (`torch.nn.functional.cross_entropy`, `…mse_loss`, `…kl_div`), by qualified name. */
export function isTorchLossFunction(qualified: string): boolean {
  return /^torch\.nn\.functional\.(?:\w*loss|\w*cross_entropy\w*|kl_div)$/.test(qualified);
}

/**
 * `dir(nn.Module)` and the attributes `nn.Module.__init__` sets (torch 1.13), with those later
 * releases added (2.x: compile, the hooks with kwargs, mtia).
 */
const TORCH_MODULE_ATTRIBUTES = [
  'T_destination', 'dump_patches', 'training', 'call_super_init',
  'add_module', 'apply', 'bfloat16', 'buffers', 'children', 'compile', 'cpu', 'cuda', 'double', 'eval', 'extra_repr', 'float', 'forward',
  'get_buffer', 'get_extra_state', 'get_parameter', 'get_submodule', 'half', 'ipu', 'load_state_dict', 'modules', 'mtia', 'named_buffers',
  'named_children', 'named_modules', 'named_parameters', 'parameters', 'register_backward_hook', 'register_buffer', 'register_forward_hook',
  'register_forward_pre_hook', 'register_full_backward_hook', 'register_full_backward_pre_hook', 'register_load_state_dict_post_hook',
  'register_load_state_dict_pre_hook', 'register_module', 'register_parameter', 'register_state_dict_hook', 'register_state_dict_post_hook',
  'register_state_dict_pre_hook', 'requires_grad_', 'set_extra_state', 'set_submodule', 'share_memory', 'state_dict', 'to', 'to_empty',
  'train', 'type', 'xpu', 'zero_grad',
  '_apply', '_backward_hooks', '_backward_pre_hooks', '_buffers', '_call_impl', '_compiled_call_impl', '_forward_hooks',
  '_forward_hooks_always_called', '_forward_hooks_with_kwargs', '_forward_pre_hooks', '_forward_pre_hooks_with_kwargs', '_get_backward_hooks',
  '_get_backward_pre_hooks', '_get_name', '_is_full_backward_hook', '_load_from_state_dict', '_load_state_dict_post_hooks',
  '_load_state_dict_pre_hooks', '_maybe_warn_non_full_backward_hook', '_modules', '_named_members', '_non_persistent_buffers_set',
  '_parameters', '_register_load_state_dict_pre_hook', '_register_state_dict_hook', '_replicate_for_data_parallel', '_save_to_state_dict',
  '_slow_forward', '_state_dict_hooks', '_state_dict_pre_hooks', '_version', '_wrapped_call_impl',
];

/**
 * The public methods and attributes of Keras 3's `Layer`, `Operation`, `Model` and `Trainer` (read
 * from their source), with tf.keras 2's. Private names are not listed: both Keras versions set
 * many, so a private name the class does not assign is never taken for a mistake.
 */
const KERAS_ATTRIBUTES = [
  'activity_regularizer', 'add_loss', 'add_metric', 'add_update', 'add_variable', 'add_weight', 'autocast', 'build', 'build_from_config',
  'built', 'call', 'compile', 'compile_from_config', 'compiled', 'compiled_loss', 'compiled_metrics', 'compute_dtype', 'compute_loss',
  'compute_mask', 'compute_metrics', 'compute_output_shape', 'compute_output_signature', 'compute_output_spec', 'count_params',
  'distribute_reduction_method', 'distribute_strategy', 'dtype', 'dtype_policy', 'dynamic', 'evaluate', 'export', 'fit', 'from_config',
  'get_build_config', 'get_compile_config', 'get_config', 'get_input_at', 'get_layer', 'get_metrics_result', 'get_output_at', 'get_weights',
  'history', 'inbound_nodes', 'input', 'input_dtype', 'input_shape', 'input_spec', 'inputs', 'jit_compile', 'layers', 'load_own_variables',
  'load_weights', 'loss', 'losses', 'make_predict_function', 'make_test_function', 'make_train_function', 'metrics', 'metrics_names',
  'metrics_variables', 'name', 'name_scope', 'non_trainable_variables', 'non_trainable_weights', 'optimizer', 'outbound_nodes', 'output',
  'output_shape', 'outputs', 'path', 'predict', 'predict_function', 'predict_on_batch', 'predict_step', 'quantization_mode', 'quantize',
  'quantized_build', 'quantized_call', 'reset_metrics', 'reset_states', 'run_eagerly', 'save', 'save_own_variables', 'save_weights',
  'set_weights', 'stateful', 'stateless_call', 'steps_per_execution', 'stop_evaluating', 'stop_predicting', 'stop_training', 'submodules',
  'summary', 'supports_jit', 'supports_masking', 'symbolic_call', 'test_function', 'test_on_batch', 'test_step', 'to_json', 'train_function',
  'train_on_batch', 'train_step', 'trainable', 'trainable_variables', 'trainable_weights', 'updates', 'variable_dtype', 'variables', 'weights',
  'with_name_scope',
];

const INHERITED: Partial<Record<ClassFramework, ReadonlySet<string>>> = {
  torch: new Set(TORCH_MODULE_ATTRIBUTES),
  'keras-layer': new Set(KERAS_ATTRIBUTES),
  'keras-model': new Set(KERAS_ATTRIBUTES),
};

/**
 * Whether an instance of a class derived directly from the framework's root has the attribute
 * before the subclass assigns anything; `undefined` when footgun does not know the root's
 * attributes (LightningModule has too many to list).
 */
export function rootHasAttribute(framework: ClassFramework, name: string): boolean | undefined {
  const inherited = INHERITED[framework];
  if (!inherited) return undefined;
  if (/^__\w+__$/.test(name)) return true;
  if (framework !== 'torch' && name.startsWith('_')) return true;
  return inherited.has(name);
}
