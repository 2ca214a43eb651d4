import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('pool-too-large', () => {
  ruleTester('pool-too-large', {
    invalid: [
      { name: '10×10 max pooling', code: py`
          model = Sequential([Conv2D(8, 3, activation='relu', input_shape=(64, 64, 3)), MaxPool2D(pool_size=(10, 10))])`, lines: [1], message: /GlobalMaxPooling2D/ },
      { name: 'a window covering most of the map', code: py`
          model = Sequential([Conv2D(8, 3, activation='relu', input_shape=(7, 7, 3)), MaxPooling2D(4)])`, lines: [1] },
      { name: 'a window covering just over half of its map', code: py`
          model = Sequential([MaxPooling2D(4, input_shape=(4, 7, 3))])`, lines: [1], message: /covers most of its input map/ },
      { name: 'the threshold is an option', config: 'rules:\n  pool-too-large: { max_size: 2 }\n', code: py`
          model = Sequential([MaxPooling2D(3, input_shape=(60, 60, 3))])`, lines: [1] },
    ],
    valid: [
      { name: '2×2 and 3×3 pooling', code: py`
          model = Sequential([MaxPooling2D(2, input_shape=(64, 64, 3)), MaxPooling2D(3, strides=2)])` },
      { name: 'a 4×4 window: max_size is inclusive', code: py`
          model = Sequential([MaxPooling2D(4, input_shape=(64, 64, 3))])` },
      { name: 'a window covering exactly half of its map (max_coverage is a strict limit)', code: py`
          model = Sequential([MaxPooling2D(4, input_shape=(4, 8, 3))])` },
      { name: 'a 2×2 window may cover most of a tiny map', code: py`
          model = Sequential([MaxPooling2D(2, input_shape=(3, 3, 8))])` },
      { name: 'a window equal to its map (hand-written global pooling)', code: py`
          model = Sequential([Conv2D(8, 3, padding='same', activation='relu', input_shape=(7, 7, 3)), AveragePooling2D((7, 7))])` },
    ],
  });
});
