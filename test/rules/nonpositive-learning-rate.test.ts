import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('nonpositive-learning-rate', () => {
  ruleTester('nonpositive-learning-rate', {
    invalid: [
      { name: 'learning_rate=0', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer=keras.optimizers.Adam(learning_rate=0), loss='mse')`, lines: [2], fix: '1e-3' },
      { name: 'a negative positional rate', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer=keras.optimizers.SGD(-0.01, momentum=0.9), loss='mse')`, lines: [2], message: /uphill/ },
      { name: 'legacy lr=', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer=Adam(lr=0.0), loss='mse')`, lines: [2] },
    ],
    valid: [
      { name: '1e-3', code: py`
          model = Sequential([Dense(1)])
          model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='mse')` },
      { name: 'a schedule', code: py`
          schedule = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=1000, decay_rate=0.9)
          model = Sequential([Dense(1)])
          model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss='mse')` },
    ],
  });
});
