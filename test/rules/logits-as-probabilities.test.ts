import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

const TORCH_NET = (training: string) => py`
  import torch
  import torch.nn as nn
  class Net(nn.Module):
      def __init__(self):
          super().__init__()
          self.body = nn.Linear(20, 16)
          self.head = nn.Linear(16, 1)
      def forward(self, x):
          return self.head(torch.relu(self.body(x)))
  model = Net()
  ${training}
`;

describe('logits-as-probabilities', () => {
  ruleTester('logits-as-probabilities', {
    invalid: [
      {
        name: 'Dense(10) without activation and sparse_categorical_crossentropy',
        code: py`
          from keras import layers
          inputs = keras.Input(shape=(20,))
          x = layers.Dense(64, activation="relu")(inputs)
          outputs = layers.Dense(10)(x)
          model = keras.Model(inputs, outputs)
          model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")`,
        lines: [4],
        severity: 'error',
        message: /Dense\(10\) has no activation.*"sparse_categorical_crossentropy" \(line 6\).*activation='softmax'.*SparseCategoricalCrossentropy\(from_logits=True\)/,
      },
      {
        name: 'a binary head: Dense(1) with binary_crossentropy',
        code: py`
          model = Sequential([Dense(16, activation='relu', input_shape=(8,)), Dense(1)])
          model.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy())`,
        lines: [1],
        message: /activation='sigmoid'.*BinaryCrossentropy\(from_logits=True\)/,
      },
      {
        name: 'a segmentation head: 1×1 Conv2D without activation and categorical_crossentropy',
        code: py`
          model = Sequential([Conv2D(16, 3, padding='same', activation='relu', input_shape=(64, 64, 3)), Conv2D(4, 1)])
          model.compile(optimizer='adam', loss='categorical_crossentropy')`,
        lines: [1],
      },
      {
        name: 'PyTorch: BCELoss on the logits of forward()',
        code: TORCH_NET('criterion = nn.BCELoss()'),
        lines: [9],
        message: /nn.BCEWithLogitsLoss/,
      },
    ],
    valid: [
      { name: 'softmax output', code: py`
          model = Sequential([Dense(8, activation='relu'), Dense(10, activation='softmax')])
          model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')` },
      { name: 'a separate Softmax layer after the logits', code: py`
          model = Sequential([Dense(8, activation='relu'), Dense(10), Softmax()])
          model.compile(optimizer='adam', loss='categorical_crossentropy')` },
      { name: 'logits with from_logits=True', code: py`
          model = Sequential([Dense(8, activation='relu'), Dense(10)])
          model.compile(optimizer='adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))` },
      { name: 'a regression head with MSE', code: py`
          model = Sequential([Dense(8, activation='relu'), Dense(1)])
          model.compile(optimizer='adam', loss='mse')` },
      { name: 'an output made by an operation footgun cannot see into', code: py`
          import tensorflow as tf
          from keras import layers
          inputs = keras.Input(shape=(20,))
          outputs = tf.nn.softmax(layers.Dense(10)(inputs))
          model = keras.Model(inputs, outputs)
          model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")` },
      { name: 'PyTorch: BCEWithLogitsLoss on the logits', code: TORCH_NET('criterion = nn.BCEWithLogitsLoss()') },
      { name: 'PyTorch: the training loop applies the sigmoid before BCELoss', code: TORCH_NET(`criterion = nn.BCELoss()
  def train(x, y):
      return criterion(torch.sigmoid(model(x)), y)`) },
      { name: 'PyTorch: CrossEntropyLoss takes logits', code: TORCH_NET('criterion = nn.CrossEntropyLoss()') },
    ],
  });
});
