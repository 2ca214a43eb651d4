import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('softmax-hidden', () => {
  ruleTester('softmax-hidden', {
    invalid: [
      {
        name: 'Activation(softmax) then Dropout then Dense',
        code: py`
          model = Sequential()
          model.add(Dense(100))
          model.add(Activation('softmax'))
          model.add(Dropout(0.1))
          model.add(Dense(10))`,
        lines: [3],
        fix: "'relu'",
      },
      {
        name: 'a fused softmax on a hidden Dense',
        code: py`
          model = Sequential([Dense(64, activation="softmax", input_shape=(10,)), Dense(3, activation="softmax")])`,
        lines: [1],
      },
    ],
    valid: [
      { name: 'softmax on the output', code: py`
          model = Sequential([Dense(64, activation="relu"), Dense(3, activation="softmax")])` },
      { name: 'attention weights multiplied with values', code: py`
          from keras import layers
          inputs = keras.Input(shape=(10, 16))
          scores = layers.Dense(1)(inputs)
          weights = layers.Softmax(axis=1)(scores)
          context = layers.Multiply()([inputs, weights])
          outputs = layers.Dense(4)(layers.Flatten()(context))
          model = keras.Model(inputs, outputs)` },
    ],
  });
});
