import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('glorot-relu', () => {
  ruleTester('glorot-relu', {
    invalid: [
      {
        name: 'explicit glorot_uniform before an Activation(relu) layer',
        code: py`
          model = Sequential()
          model.add(Conv2D(32, (3, 3), kernel_initializer="glorot_uniform"))
          model.add(Activation('relu'))`,
        lines: [2],
        fix: '"he_uniform"',
        severity: 'info',
      },
      {
        name: 'GlorotNormal() with a fused relu',
        code: py`
          from keras import layers, initializers
          model = keras.Sequential([layers.Dense(64, activation="relu", kernel_initializer=initializers.GlorotNormal())])`,
        lines: [2],
        message: /he_normal/,
      },
      {
        name: 'glorot, then batch normalisation, then ReLU()',
        code: py`
          model = Sequential()
          model.add(Conv2D(32, 3, kernel_initializer='glorot_normal'))
          model.add(BatchNormalization())
          model.add(ReLU())`,
        lines: [2],
      },
    ],
    valid: [
      { name: 'the implicit Keras default', code: py`
          model = Sequential()
          model.add(Conv2D(32, (3, 3), activation='relu'))` },
      { name: 'glorot before tanh', code: py`
          model = Sequential()
          model.add(Dense(32, activation='tanh', kernel_initializer='glorot_uniform'))` },
      { name: 'he_uniform before relu', code: py`
          model = Sequential()
          model.add(Conv2D(32, 3, kernel_initializer='he_uniform'))
          model.add(Activation('relu'))` },
    ],
  });
});
