import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('redundant-activation', () => {
  ruleTester('redundant-activation', {
    invalid: [
      { name: "Dense(relu) then Activation('relu')", code: py`
          model = Sequential()
          model.add(Dense(64, activation='relu'))
          model.add(Activation('relu'))`, lines: [3], message: /does nothing/ },
      { name: 'softmax twice', code: py`
          model = Sequential([Dense(10, activation='softmax'), Softmax()])`, lines: [1], message: /squashes/ },
    ],
    valid: [
      { name: 'relu after batch normalisation', code: py`
          model = Sequential([Dense(64, activation='relu'), BatchNormalization(), Activation('relu')])` },
      { name: 'a loop body that repeats the activation in its first pass only', code: py`
          from keras import layers
          inputs = keras.Input(shape=(32, 32, 3))
          x = layers.Conv2D(16, 3, padding="same")(inputs)
          x = layers.Activation("relu")(x)
          previous = x
          for size in [32, 64]:
              x = layers.Activation("relu")(x)
              x = layers.SeparableConv2D(size, 3, padding="same")(x)
              x = layers.BatchNormalization()(x)
              residual = layers.Conv2D(size, 1, padding="same")(previous)
              x = layers.add([x, residual])
              previous = x
          model = keras.Model(inputs, x)` },
    ],
  });
});
