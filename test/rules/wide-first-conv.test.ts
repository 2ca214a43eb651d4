import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('wide-first-conv', () => {
  ruleTester('wide-first-conv', {
    invalid: [
      { name: '512 filters first', code: py`
          model = Sequential()
          model.add(Conv2D(filters=512, kernel_size=(3, 3), input_shape=(32, 32, 3)))
          model.add(Conv2D(512, 3))`, lines: [2] },
      { name: 'max_filters from the configuration', config: 'rules:\n  wide-first-conv: { severity: info, max_filters: 128 }\n', code: py`
          model = Sequential([Conv2D(192, 3)])`, lines: [1], severity: 'info' },
    ],
    valid: [
      { name: '32 filters first, 512 later', code: py`
          model = Sequential([Conv2D(32, 3, activation='relu'), MaxPooling2D(), Conv2D(512, 3, activation='relu')])` },
      { name: 'a 1-D convolution over text', code: py`
          model = Sequential([Embedding(1000, 64), Conv1D(256, 7, activation='relu')])` },
    ],
  });
});
