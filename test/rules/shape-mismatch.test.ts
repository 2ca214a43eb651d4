import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('shape-mismatch', () => {
  ruleTester('shape-mismatch', {
    invalid: [
      { name: 'Reshape to the wrong number of values', code: py`
          model = Sequential([Dense(100, input_shape=(10,)), Reshape((7, 7, 2))])`, lines: [1], message: /needs 98 values per sample.*has 100/ },
      { name: 'Add of incompatible shapes', code: py`
          from keras import layers
          a = keras.Input(shape=(16,))
          b = layers.Dense(8)(a)
          c = layers.add([a, b])
          model = keras.Model(a, c)`, lines: [4], message: /same shape/ },
      { name: 'Concatenate with mismatched spatial sizes', code: py`
          from keras import layers
          inputs = keras.Input(shape=(32, 32, 3))
          a = layers.Conv2D(8, 3)(inputs)
          b = layers.Conv2D(8, 3, padding="same")(inputs)
          c = layers.Concatenate()([a, b])
          model = keras.Model(inputs, c)`, lines: [5] },
      { name: 'Conv2D on a flat vector', code: py`
          model = Sequential([Dense(64, input_shape=(10,)), Conv2D(8, 3)])`, lines: [1], message: /expects a 4-D input/ },
      { name: 'a Dense classifier on a feature map without Flatten', code: py`
          model = Sequential()
          model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
          model.add(MaxPooling2D())
          model.add(Dense(10, activation='softmax'))
          model.compile(optimizer='adam', loss='categorical_crossentropy')`, lines: [4], message: /Flatten/ },
      {
        name: 'Keras: GroupNormalization whose groups do not divide the channels (the default is 32)',
        code: py`
          model = Sequential([Conv2D(48, 3, activation='relu', input_shape=(32, 32, 3)), GroupNormalization(), Flatten(), Dense(10, activation='softmax')])`,
        lines: [1],
        message: /GroupNormalization\(groups=32\) splits the channels into 32 equal groups, but its input \(None, 30, 30, 48\) has 48 channels/,
      },
    ],
    valid: [
      { name: 'Keras: GroupNormalization(groups=8) over 64 channels', code: py`
          model = Sequential([Conv2D(64, 3, activation='relu', input_shape=(32, 32, 3)), GroupNormalization(groups=8), Flatten(), Dense(10, activation='softmax')])` },
      { name: 'Reshape with -1', code: py`model = Sequential([Dense(98, input_shape=(10,)), Reshape((7, -1, 2))])` },
      { name: 'Dense on a sequence (per-timestep tagging)', code: py`
          model = Sequential([Embedding(1000, 32, input_length=20), LSTM(32, return_sequences=True), Dense(5, activation='softmax')])
          model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')` },
      { name: 'Flatten before Dense', code: py`
          model = Sequential([Conv2D(32, 3, activation='relu', input_shape=(28, 28, 1)), MaxPooling2D(), Flatten(), Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss='categorical_crossentropy')` },
    ],
  });
});
