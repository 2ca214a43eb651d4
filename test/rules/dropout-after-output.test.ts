import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('dropout-after-output', () => {
  ruleTester('dropout-after-output', {
    invalid: [
      { name: 'after Activation(softmax)', code: py`
          model = Sequential()
          model.add(Dense(10))
          model.add(Activation('softmax'))
          model.add(Dropout(0.1))`, lines: [4] },
      { name: 'after a regression output, in the functional API', code: py`
          from keras import layers
          inputs = keras.Input(shape=(8,))
          x = layers.Dense(16, activation="relu")(inputs)
          x = layers.Dense(1)(x)
          outputs = layers.Dropout(0.2)(x)
          model = keras.Model(inputs, outputs)`, lines: [5] },
    ],
    valid: [
      { name: 'dropout before the output layer', code: py`
          model = Sequential([Dense(64, activation='relu'), Dropout(0.5), Dense(10, activation='softmax')])` },
    ],
  });
});
