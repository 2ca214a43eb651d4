// Keras' own helper for the input of its application models (VGG16, ResNet50, DenseNet, …), which
// copies of those models across real code import: `imagenet_utils.obtain_input_shape(...)` in
// Keras 3 and tf.keras, `_obtain_input_shape` in Keras 2 and keras_applications.
import type { CallSite, Value } from '../abstract/values.js';
import type { Interpreter } from '../interpreter.js';
import { backendCall } from './backend.js';
import { NONE_VALUE, UNKNOWN_VALUE, argument, num, seq, truthy } from '../abstract/values.js';

export const OBTAIN_INPUT_SHAPE = /(?:^|\.)(?:keras(?:\.src)?(?:\.api)?(?:\._v2)?\.applications|keras_applications)\.imagenet_utils\._?obtain_input_shape$/;

/**
 * `obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights)`
 * as Keras defines it: a shape the caller gives is returned as it is (after validation); without
 * one, a model with its classifier on top (`require_flatten`, `include_top` in Keras 2.0) gets the
 * default image `(default_size, default_size, 3)`, and one without gets `(None, None, 3)`; channels
 * come first under `channels_first` (`th` in Keras 1).
 */
export function obtainInputShape(call: CallSite): Value {
  const given = argument(call, 'input_shape', 0);
  if (given?.kind === 'seq' && given.items.length > 0) return given;
  if (given?.kind !== 'none') return UNKNOWN_VALUE;
  const format = argument(call, 'data_format', 3) ?? argument(call, 'dim_ordering', 3);
  const channelsFirst = format?.kind === 'string' ? format.value === 'channels_first' || format.value === 'th' : undefined;
  if (channelsFirst === undefined) return UNKNOWN_VALUE;
  const flatten = truthy(argument(call, 'require_flatten', 4) ?? argument(call, 'include_top', 4) ?? UNKNOWN_VALUE);
  const size = argument(call, 'default_size', 1);
  // a model whose classifier may or may not be on top has an image size footgun cannot tell
  const side = flatten === undefined ? UNKNOWN_VALUE : !flatten ? NONE_VALUE : size?.kind === 'number' ? num(size.value) : UNKNOWN_VALUE;
  return seq(channelsFirst ? [num(3), side, side] : [side, side, num(3)], true);
}

export const CORRECT_PAD = /(?:^|\.)(?:keras(?:\.src)?(?:\.api)?(?:\._v2)?\.applications|keras_applications)\.imagenet_utils\.correct_pad$/;

/**
 * `correct_pad(inputs, kernel_size)` (keras_applications: `correct_pad(backend, inputs, kernel_size)`):
 * the ZeroPadding2D before a strided 'valid' convolution, `k // 2` after and one less before an
 * even side (`(1, 1)` less for a side Keras leaves None, which footgun cannot tell from a size it
 * could not read: then the padding is unknown).
 */
export function correctPad(call: CallSite, interp: Interpreter): Value {
  const shifted = call.args[0]?.kind !== 'tensor' && call.args[1]?.kind === 'tensor' ? 1 : 0;
  const inputs = argument(call, 'inputs', shifted);
  const kernel = argument(call, 'kernel_size', shifted + 1);
  if (inputs?.kind !== 'tensor' || !kernel) return UNKNOWN_VALUE;
  const kernels = kernel.kind === 'number' ? [kernel.value, kernel.value] : kernel.kind === 'seq' ? kernel.items.map((item) => (item.kind === 'number' ? item.value : undefined)) : [];
  const format = backendCall('backend', 'image_data_format', [], call.node, interp);
  const shape = interp.expressions.attribute(inputs, 'shape');
  if (kernels.length !== 2 || format?.kind !== 'string' || shape.kind !== 'seq') return UNKNOWN_VALUE;
  const first = format.value === 'channels_first' ? 2 : 1;
  const pads: Value[] = [];
  for (const axis of [0, 1]) {
    const size = shape.items[first + axis];
    const k = kernels[axis];
    if (size?.kind !== 'number' || k === undefined) return UNKNOWN_VALUE;
    const correct = Math.floor(k / 2);
    pads.push(seq([num(correct - (1 - (size.value % 2))), num(correct)], true));
  }
  return seq(pads, true);
}
