import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('layer-class-rebound', () => {
  ruleTester('layer-class-rebound', {
    invalid: [
      {
        name: 'Dense = Dense(64) and Dense(10) afterwards',
        code: py`
          from keras.layers import Dense, Input
          from keras.models import Model
          inputs = Input(shape=(32,))
          Dense = Dense(64, activation='relu')
          x = Dense(inputs)
          outputs = Dense(10, activation='softmax')(x)`,
        lines: [4],
        message: /Dense now names a layer instance, not the Dense class: Dense\(…\) at line 5/,
      },
      {
        name: 'rebound inside a loop',
        code: py`
          import torch.nn as nn
          from torch.nn import Linear
          blocks = []
          for width in (64, 32):
              Linear = Linear(width, width)
              blocks.append(Linear)`,
        lines: [5],
        message: /next pass of the loop at line 4/,
      },
      {
        name: 'inside a function the rebinding itself fails',
        code: py`
          from tensorflow.keras.layers import Conv2D
          def block(x):
              Conv2D = Conv2D(32, 3)
              return Conv2D(x)`,
        lines: [3],
        message: /UnboundLocalError/,
      },
      {
        name: 'a layer instance called with a number',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(128, 10)
              def forward(self, x):
                  x = x.flatten(1)
                  return self.fc(128, 10)`,
        lines: [8],
        message: /self.fc is a nn.Linear layer already built.*the number 128/,
      },
      {
        name: 'a Keras layer instance called with units=',
        code: py`
          from keras import layers
          dense = layers.Dense(64)
          out = dense(units=10)`,
        lines: [3],
      },
    ],
    valid: [
      {
        name: 'a layer stored under its own name',
        code: py`
          from keras.layers import Dense, Input
          inputs = Input(shape=(32,))
          hidden = Dense(64, activation='relu')
          x = hidden(inputs)
          outputs = Dense(10)(x)`,
      },
      {
        name: 'Dense = Dense(64) never called again',
        code: py`
          from keras.layers import Dense
          Dense = Dense(64)
          model.add(Dense)`,
      },
      {
        name: 'a class that is not a layer',
        code: py`
          from argparse import ArgumentParser
          from collections import Counter
          Counter = Counter(words)
          print(Counter("abc"))`,
      },
      {
        name: 'layer calls with tensors and call keywords',
        code: py`
          import torch.nn as nn
          from keras import layers
          attn = nn.MultiheadAttention(64, 4)
          out, _ = attn(q, k, v, need_weights=False)
          mha = layers.MultiHeadAttention(num_heads=2, key_dim=8)
          y = mha(query=q, value=v, training=True)
          lstm = nn.LSTM(10, 20)
          h = lstm(x, (h0, c0))
          fc = nn.Linear(4, 2)
          fc2 = nn.Linear(2, 10)`,
      },
      {
        name: 'a function that returns a layer, called with numbers',
        code: py`
          from keras import layers
          def dense(units):
              return layers.Dense(units)
          x = dense(64)(x)`,
      },
    ],
  });
});
