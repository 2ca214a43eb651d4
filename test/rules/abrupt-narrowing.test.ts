import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('abrupt-narrowing', () => {
  ruleTester('abrupt-narrowing', {
    invalid: [
      { name: '128 → 1', code: py`
          model = Sequential()
          model.add(Dense(128, activation='relu', input_shape=(39,)))
          model.add(Dense(1))`, lines: [3], severity: 'info', message: /128 → 16 → 1/ },
      { name: '4096 → 10 through dropout', code: py`
          model = Sequential([Dense(4096, activation='relu'), Dropout(0.5), Dense(10, activation='softmax')])`, lines: [1] },
    ],
    valid: [
      { name: '64 → 1', code: py`model = Sequential([Dense(64, activation='relu'), Dense(1)])` },
      { name: 'Flatten of a big map into a small Dense', code: py`
          model = Sequential([Conv2D(32, 3, activation='relu', input_shape=(64, 64, 3)), Flatten(), Dense(10, activation='softmax')])` },
      { name: 'a ratio allowed by the configuration', config: 'rules:\n  abrupt-narrowing: { max_ratio: 200 }\n', code: py`
          model = Sequential([Dense(128, activation='relu'), Dense(1)])` },
    ],
  });
});
