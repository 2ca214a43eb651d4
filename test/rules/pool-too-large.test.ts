import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('pool-too-large', () => {
  ruleTester('pool-too-large', {
    invalid: [
      { name: '10×10 max pooling', code: py`
          model = Sequential([Conv2D(8, 3, activation='relu', input_shape=(64, 64, 3)), MaxPool2D(pool_size=(10, 10))])`, lines: [1], message: /GlobalMaxPooling2D/ },
      { name: 'a window covering most of the map', code: py`
          model = Sequential([Conv2D(8, 3, activation='relu', input_shape=(7, 7, 3)), MaxPooling2D(4)])`, lines: [1] },
      { name: 'a window covering just over half of its map', code: py`
          model = Sequential([MaxPooling2D(4, input_shape=(4, 7, 3))])`, lines: [1], message: /covers most of its input map/ },
      { name: 'the threshold is an option', config: 'rules:\n  pool-too-large: { max_size: 2 }\n', code: py`
          model = Sequential([MaxPooling2D(3, input_shape=(60, 60, 3))])`, lines: [1] },
      { name: 'a map of unknown size that a 3×3 convolution reads after the pooling: it is not global', code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.conv1 = nn.Conv2d(3, 64, 3)
                  self.pool = nn.MaxPool2d(8)
                  self.conv2 = nn.Conv2d(64, 128, 3)
              def forward(self, x):
                  return torch.relu(self.conv2(self.pool(torch.relu(self.conv1(x)))))`, lines: [6] },
      { name: 'a map of unknown size that a Linear reads 25 values per channel of, after flattening', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 128, 3), nn.ReLU(), nn.MaxPool2d(6), nn.Flatten(), nn.Linear(128 * 5 * 5, 10))`, lines: [2] },
      { name: 'a 1-D window of 20 steps', code: py`
          model = Sequential([Embedding(20000, 64, input_length=1000), Conv1D(64, 5, activation='relu'), MaxPooling1D(20), Conv1D(64, 5, activation='relu'), GlobalMaxPooling1D(), Dense(2, activation='softmax')])`, lines: [1] },
    ],
    valid: [
      { name: 'a 7×7 average pooling before the classifier, on the map of a backbone footgun cannot read', code: py`
          import torch.nn as nn
          class ResNetLike(nn.Module):
              def __init__(self, num_classes=1000):
                  super().__init__()
                  self.body = build_body([3, 4, 6, 3])
                  self.avgpool = nn.AvgPool2d(kernel_size=7, stride=1)
                  self.fc = nn.Linear(2048, num_classes)
              def forward(self, x):
                  x = self.avgpool(self.body(x))
                  return self.fc(x.view(x.size(0), -1))` },
      { name: 'an 8×8 average pooling when input_shape is a parameter', code: py`
          def build(input_shape, num_classes=10):
              model = Sequential()
              model.add(Conv2D(64, 3, padding='same', activation='relu', input_shape=input_shape))
              model.add(AveragePooling2D(pool_size=8))
              model.add(Flatten())
              model.add(Dense(num_classes, activation='softmax'))
              return model` },
      { name: 'global by construction: the flattened map feeds Linear(in_features=channels)', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 256, 3), nn.ReLU(), nn.AvgPool2d(14), nn.Flatten(), nn.Linear(256, 10))` },
      { name: 'a 1-D pooling of 5 steps over a 996-step sequence', code: py`
          model = Sequential([Embedding(20000, 100, input_length=1000), Conv1D(128, 5, activation='relu'), MaxPooling1D(5), Conv1D(128, 5, activation='relu'), GlobalMaxPooling1D(), Dense(20, activation='softmax')])` },
      { name: '2×2 and 3×3 pooling', code: py`
          model = Sequential([MaxPooling2D(2, input_shape=(64, 64, 3)), MaxPooling2D(3, strides=2)])` },
      { name: 'a 4×4 window: max_size is inclusive', code: py`
          model = Sequential([MaxPooling2D(4, input_shape=(64, 64, 3))])` },
      { name: 'a window covering exactly half of its map (max_coverage is a strict limit)', code: py`
          model = Sequential([MaxPooling2D(4, input_shape=(4, 8, 3))])` },
      { name: 'a 2×2 window may cover most of a tiny map', code: py`
          model = Sequential([MaxPooling2D(2, input_shape=(3, 3, 8))])` },
      { name: 'a window equal to its map (hand-written global pooling)', code: py`
          model = Sequential([Conv2D(8, 3, padding='same', activation='relu', input_shape=(7, 7, 3)), AveragePooling2D((7, 7))])` },
    ],
  });
});
