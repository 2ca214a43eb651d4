import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('activation-before-pool', () => {
  ruleTester('activation-before-pool', {
    invalid: [
      { name: "Activation('relu') then MaxPool2D", code: py`
          model = Sequential()
          model.add(Conv2D(32, (3, 3)))
          model.add(Activation('relu'))
          model.add(MaxPool2D((2, 2)))`, lines: [3], severity: 'info' },
      { name: 'LeakyReLU then MaxPooling2D in the functional API', code: py`
          from keras import layers
          inputs = keras.Input(shape=(32, 32, 3))
          x = layers.Conv2D(16, 3)(inputs)
          x = layers.LeakyReLU()(x)
          x = layers.MaxPooling2D()(x)
          model = keras.Model(inputs, x)`, lines: [4] },
    ],
    valid: [
      { name: 'a fused activation before pooling', code: py`
          model = Sequential([Conv2D(32, 3, activation='relu'), MaxPooling2D()])` },
      { name: 'ReLU before average pooling (does not commute)', code: py`
          model = Sequential([Conv2D(32, 3), Activation('relu'), AveragePooling2D()])` },
      { name: 'GELU is not monotonic', code: py`
          model = Sequential([Conv2D(32, 3), Activation('gelu'), MaxPooling2D()])` },
    ],
  });
});
