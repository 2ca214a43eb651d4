import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('channels-first-input', () => {
  ruleTester('channels-first-input', {
    invalid: [
      { name: '(3, 32, 32) into Conv2D', code: py`
          model = Sequential()
          model.add(InputLayer(input_shape=(3, 32, 32)))
          model.add(Conv2D(32, (3, 3), activation='relu'))`, lines: [2] },
      { name: 'a 1-channel (greyscale) image, (1, 28, 28)', code: py`
          model = Sequential([InputLayer(input_shape=(1, 28, 28)), Conv2D(32, 3, activation='relu')])`, lines: [1], message: /\(28, 28, 1\)/ },
      { name: 'a 4-channel (RGBA) image, (4, 64, 64)', code: py`
          model = Sequential([InputLayer(input_shape=(4, 64, 64)), Conv2D(32, 3, activation='relu')])`, lines: [1], message: /\(64, 64, 4\)/ },
    ],
    valid: [
      { name: '(32, 32, 3)', code: py`
          model = Sequential([InputLayer(input_shape=(32, 32, 3)), Conv2D(32, 3, activation='relu')])` },
      { name: "data_format='channels_first'", code: py`
          model = Sequential([InputLayer(input_shape=(3, 32, 32)), Conv2D(32, 3, activation='relu', data_format='channels_first')])` },
      { name: 'a sequence of 3 frames (no convolution)', code: py`
          model = Sequential([InputLayer(input_shape=(3, 32, 32)), Flatten(), Dense(10)])` },
    ],
  });
});
