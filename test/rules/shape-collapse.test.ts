import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('shape-collapse', () => {
  ruleTester('shape-collapse', {
    invalid: [
      { name: 'five valid 5×5 convolutions and pools on 100×100', code: py`
          model = Sequential([InputLayer((100, 100, 3))])
          for i in range(5):
              model.add(Conv2D(32, 5, activation='relu'))
              model.add(MaxPooling2D(2))`, lines: [3], message: /pass of the loop at line 2 \(i=4\)/ },
      { name: 'a pooling window larger than its map', code: py`
          from keras import layers
          inputs = keras.Input(shape=(8, 8, 16))
          x = layers.MaxPooling2D(pool_size=(3, 3))(inputs)
          x = layers.MaxPooling2D(pool_size=(3, 3))(x)
          model = keras.Model(inputs, x)`, lines: [4], message: /2×2 map to this 3×3 pooling window/ },
      { name: 'dilation makes the kernel larger than the map', code: py`
          model = Sequential([Conv1D(8, 3, dilation_rate=8, input_shape=(16, 4))])`, lines: [1] },
    ],
    valid: [
      { name: "padding='same' keeps the map", code: py`
          model = Sequential([InputLayer((100, 100, 3))])
          for i in range(5):
              model.add(Conv2D(32, 5, padding='same', activation='relu'))
              model.add(MaxPooling2D(2))` },
      { name: 'a kernel exactly as large as the map', code: py`
          model = Sequential([Conv2D(8, 7, input_shape=(7, 7, 3))])` },
      { name: 'an unknown input size', code: py`
          model = Sequential([Conv2D(8, 7, input_shape=(None, None, 3)), Conv2D(8, 7)])` },
    ],
  });
});
