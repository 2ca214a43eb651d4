import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('large-kernel', () => {
  ruleTester('large-kernel', {
    invalid: [
      { name: '10×10', code: py`model = Sequential([Conv2D(filters=64, kernel_size=(10, 10), input_shape=(64, 64, 3))])`, lines: [1], message: /10×10/ },
      { name: 'an int kernel of 11 in Conv3D', code: py`model = Sequential([Conv3D(8, 11)])`, lines: [1] },
    ],
    valid: [
      { name: '7×7 stem', code: py`model = Sequential([Conv2D(64, 7, strides=2, input_shape=(224, 224, 3))])` },
      { name: 'Conv1D with a long kernel (audio)', code: py`model = Sequential([Conv1D(32, 80, strides=4, input_shape=(16000, 1))])` },
      { name: 'a large depthwise kernel', code: py`model = Sequential([DepthwiseConv2D(13, padding='same', input_shape=(32, 32, 8))])` },
      { name: 'turned off by the configuration', config: 'rules:\n  large-kernel: off\n', code: py`model = Sequential([Conv2D(8, 9)])` },
    ],
  });
});
