import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('input-data-mismatch', () => {
  ruleTester('input-data-mismatch', {
    invalid: [
      {
        name: 'flattened images for a 28x28 input',
        code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Flatten, Dense
          model = Sequential([Flatten(input_shape=(28, 28)), Dense(10, activation='softmax')])
          model.fit(np.zeros((100, 784)), np.zeros(100))`,
        lines: [4],
        message: /Expected shape \(None, 28, 28\), but input has incompatible shape \(None, 784\)/,
      },
      {
        name: 'twelve features for a functional Input of ten',
        code: py`
          import numpy as np
          from tensorflow import keras
          inputs = keras.Input(shape=(10,))
          outputs = keras.layers.Dense(1)(inputs)
          model = keras.Model(inputs, outputs)
          model.fit(np.random.rand(64, 12), np.random.rand(64))`,
        lines: [3],
        message: /expected shape=\(None, 10\), found shape=\(None, 12\)/,
      },
      {
        name: 'grayscale images for an RGB convolution',
        code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Conv2D, GlobalAveragePooling2D, Dense
          model = Sequential([Conv2D(8, 3, input_shape=(32, 32, 3)), GlobalAveragePooling2D(), Dense(2)])
          model.predict(np.zeros((5, 32, 32, 1)))`,
        lines: [4],
      },
      {
        name: 'another image size when a Flatten fixes the count',
        code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Conv2D, Flatten, Dense
          model = Sequential([Conv2D(8, 3, input_shape=(28, 28, 1)), Flatten(), Dense(10)])
          model.evaluate(np.zeros((5, 32, 32, 1)), np.zeros(5))`,
        lines: [4],
      },
      {
        name: 'one sample without its batch axis',
        code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(3, input_shape=(8,))])
          sample = np.zeros((10, 8))[0]
          model.predict(sample)`,
        lines: [4],
        message: /one sample of shape \(8,\) without its batch axis.*np\.expand_dims/,
      },
    ],
    valid: [
      { name: '(n, 28, 28) images for an Input of (28, 28, 1): Keras adds the axis', code: py`
          import numpy as np
          from tensorflow import keras
          model = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(), keras.layers.Dense(10)])
          model.fit(np.zeros((10, 28, 28)), np.zeros(10))` },
      { name: 'a convolutional model with global pooling takes another image size', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Conv2D, GlobalAveragePooling2D, Dense
          model = Sequential([Conv2D(8, 3, input_shape=(32, 32, 3)), GlobalAveragePooling2D(), Dense(2)])
          model.predict(np.zeros((5, 64, 64, 3)))` },
      { name: 'longer sequences for an Embedding', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Embedding, LSTM, Dense
          model = Sequential([Embedding(1000, 16, input_length=100), LSTM(8), Dense(1)])
          model.fit(np.zeros((10, 200)), np.zeros(10))` },
      { name: 'a model without input_shape takes the data\'s', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(3), Dense(1)])
          model.fit(np.zeros((10, 8)), np.zeros(10))` },
      { name: 'channels-first images for a channels-first convolution', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Conv2D, Flatten, Dense
          model = Sequential([Conv2D(8, 3, input_shape=(3, 32, 32), data_format='channels_first'), Flatten(), Dense(10)])
          model.fit(np.zeros((4, 3, 32, 32)), np.zeros(4))` },
      { name: 'features read from a file', code: py`
          import numpy as np
          from keras.models import Sequential
          from keras.layers import Dense
          model = Sequential([Dense(3, input_shape=(8,))])
          model.fit(np.loadtxt('x.csv'), np.zeros(10))` },
    ],
  });
});
