import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('softmax-single-unit', () => {
  ruleTester('softmax-single-unit', {
    invalid: [
      {
        name: 'Dense(1, softmax)',
        code: py`
          model = Sequential()
          model.add(Dense(32, activation='relu', input_shape=(8,)))
          model.add(Dense(1, activation='softmax'))`,
        lines: [3],
        fix: "'sigmoid'",
      },
      {
        name: 'Activation(softmax) after one unit',
        code: py`
          model = Sequential()
          model.add(Dense(32, activation='relu', input_shape=(8,)))
          model.add(Dense(1))
          model.add(Activation('softmax'))`,
        lines: [4],
      },
    ],
    valid: [
      { name: 'softmax over two units', code: py`
          model = Sequential([Dense(2, activation='softmax', input_shape=(8,))])` },
      { name: 'sigmoid over one unit', code: py`
          model = Sequential([Dense(1, activation='sigmoid', input_shape=(8,))])` },
    ],
  });
});
