import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('double-softmax', () => {
  ruleTester('double-softmax', {
    invalid: [
      {
        name: 'softmax output with SparseCategoricalCrossentropy(from_logits=True)',
        code: py`
          from keras import layers
          inputs = keras.Input(shape=(20,))
          outputs = layers.Dense(10, activation="softmax")(inputs)
          model = keras.Model(inputs, outputs)
          model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))`,
        lines: [3],
        message: /from_logits=True at line 5/,
      },
      {
        name: 'sigmoid output with BinaryCrossentropy(from_logits=True)',
        code: py`
          model = Sequential([Dense(8, activation='relu'), Dense(1), Activation('sigmoid')])
          model.compile(optimizer='adam', loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))`,
        lines: [1],
      },
    ],
    valid: [
      { name: 'logits with from_logits=True', code: py`
          model = Sequential([Dense(8, activation='relu'), Dense(10)])
          model.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))` },
      { name: 'softmax with the default from_logits=False', code: py`
          model = Sequential([Dense(8, activation='relu'), Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss=keras.losses.CategoricalCrossentropy())` },
    ],
  });
});
