import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('shrinking-filters', () => {
  ruleTester('shrinking-filters', {
    invalid: [
      { name: '128 → 64 → 32', code: py`
          model = Sequential()
          model.add(Conv2D(128, 3, activation='relu', input_shape=(64, 64, 3)))
          model.add(MaxPooling2D())
          model.add(Conv2D(64, 3, activation='relu'))
          model.add(Conv2D(32, 3, activation='relu'))`, lines: [4], message: /128 → 64 → 32/ },
    ],
    valid: [
      { name: 'equal filter counts (64 → 64 → 64) do not shrink', code: py`
          model = Sequential([Conv2D(64, 3, activation='relu', input_shape=(64, 64, 3)), Conv2D(64, 3, activation='relu'), MaxPooling2D(), Conv2D(64, 3, activation='relu'), Flatten(), Dense(10)])` },
      { name: 'growing filters', code: py`
          model = Sequential([Conv2D(32, 3, activation='relu'), MaxPooling2D(), Conv2D(64, 3, activation='relu')])` },
      { name: 'a 1×1 bottleneck', code: py`
          model = Sequential([Conv2D(256, 3, activation='relu'), Conv2D(64, 1, activation='relu'), Conv2D(256, 3, activation='relu')])` },
      { name: 'an inverted-bottleneck network (EfficientNetV2 narrows its 40-filter stem to 16 in a fused block)', code: py`
          x = Input(shape=(64, 64, 3))
          h = Conv2D(40, 3, strides=2, padding='same', activation='swish')(x)
          h = Conv2D(16, 3, padding='same', activation='swish')(h)
          h = Conv2D(64, 1, activation='swish')(h)
          h = DepthwiseConv2D(3, padding='same', activation='swish')(h)
          h = Conv2D(24, 1)(h)
          model = Model(x, Dense(10)(GlobalAveragePooling2D()(h)))` },
      { name: 'a decoder', code: py`
          model = Sequential([Conv2D(64, 3, activation='relu', padding='same'), UpSampling2D(), Conv2D(32, 3, activation='relu', padding='same')])` },
    ],
  });
});
