import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('mse-classification', () => {
  ruleTester('mse-classification', {
    invalid: [
      { name: "loss='mse' on softmax", code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss='mse')`, lines: [2] },
      { name: 'MeanAbsoluteError() on a Softmax layer', code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(10), Softmax()])
          model.compile(optimizer='adam', loss=keras.losses.MeanAbsoluteError())`, lines: [2] },
    ],
    valid: [
      { name: 'MSE on a linear regression output', code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(1)])
          model.compile(optimizer='adam', loss='mse')` },
      { name: 'MSE on a sigmoid reconstruction (autoencoder)', code: py`
          model = Sequential([Dense(32, activation='relu'), Dense(784, activation='sigmoid')])
          model.compile(optimizer='adam', loss='mean_squared_error')` },
      { name: 'cross-entropy on softmax', code: py`
          model = Sequential([Dense(64, activation='relu'), Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss='categorical_crossentropy')` },
    ],
  });
});
