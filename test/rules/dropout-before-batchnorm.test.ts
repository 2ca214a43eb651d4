import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('dropout-before-batchnorm', () => {
  ruleTester('dropout-before-batchnorm', {
    invalid: [
      { name: 'Dropout then BatchNormalization', code: py`
          model = Sequential()
          model.add(Dense(128, activation='relu'))
          model.add(Dropout(0.5))
          model.add(BatchNormalization())`, lines: [3] },
    ],
    valid: [
      { name: 'BatchNormalization then Dropout', code: py`
          model = Sequential([Dense(128, activation='relu'), BatchNormalization(), Dropout(0.5)])` },
      { name: 'Dropout then LayerNormalization', code: py`
          model = Sequential([Dense(128, activation='relu'), Dropout(0.1), LayerNormalization()])` },
    ],
  });
});
