import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('softmax-hidden', () => {
  ruleTester('softmax-hidden', {
    invalid: [
      {
        name: 'Activation(softmax) then Dropout then Dense',
        code: py`
          model = Sequential()
          model.add(Dense(100))
          model.add(Activation('softmax'))
          model.add(Dropout(0.1))
          model.add(Dense(10))`,
        lines: [3],
        fix: "'relu'",
      },
      {
        name: 'a fused softmax on a hidden Dense',
        code: py`
          model = Sequential([Dense(64, activation="softmax", input_shape=(10,)), Dense(3, activation="softmax")])`,
        lines: [1],
      },
      {
        name: 'PyTorch: softmax over the features of a hidden Linear',
        code: py`
          import torch.nn as nn
          import torch.nn.functional as F
          class Scorer(nn.Module):
              def __init__(self, features=32):
                  super().__init__()
                  self.hidden = nn.Linear(features, 128)
                  self.out = nn.Linear(128, 1)
              def forward(self, batch):
                  h = F.softmax(self.hidden(batch), dim=-1)
                  return self.out(h)
          scorer = Scorer()`,
        lines: [9],
      },
      {
        name: 'PyTorch: softmax over the channels of a feature map, then a 1×1 convolution',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.Softmax(dim=1), nn.Conv2d(16, 8, 1), nn.ReLU())`,
        lines: [2],
      },
    ],
    valid: [
      { name: 'talking-heads attention: softmax over the keys, then a Linear that mixes the heads (permuted last)', code: py`
          import torch.nn as nn
          class TalkingHeadAttn(nn.Module):
              def __init__(self, dim=384, num_heads=8):
                  super().__init__()
                  self.num_heads = num_heads
                  self.qkv = nn.Linear(dim, dim * 3)
                  self.proj_l = nn.Linear(num_heads, num_heads)
                  self.proj_w = nn.Linear(num_heads, num_heads)
                  self.proj = nn.Linear(dim, dim)
              def forward(self, x):
                  B, N, C = x.shape
                  q, k, v = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
                  attn = q @ k.transpose(-2, -1)
                  attn = self.proj_l(attn.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
                  attn = attn.softmax(dim=-1)
                  attn = self.proj_w(attn.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
                  x = (attn @ v).transpose(1, 2).reshape(B, N, C)
                  return self.proj(x)
          model = TalkingHeadAttn()` },
      { name: 'talking heads written as 1×1 convolutions over the head axis, after a softmax over the keys', code: py`
          import torch.nn as nn
          class Attention4d(nn.Module):
              def __init__(self, num_heads=8):
                  super().__init__()
                  self.talking_head1 = nn.Conv2d(num_heads, num_heads, kernel_size=1)
                  self.talking_head2 = nn.Conv2d(num_heads, num_heads, kernel_size=1)
              def forward(self, attn):
                  attn = self.talking_head1(attn)
                  attn = attn.softmax(dim=-1)
                  return self.talking_head2(attn)
          model = Attention4d()` },
      { name: 'softmax on the output', code: py`
          model = Sequential([Dense(64, activation="relu"), Dense(3, activation="softmax")])` },
      { name: 'attention weights multiplied with values', code: py`
          from keras import layers
          inputs = keras.Input(shape=(10, 16))
          scores = layers.Dense(1)(inputs)
          weights = layers.Softmax(axis=1)(scores)
          context = layers.Multiply()([inputs, weights])
          outputs = layers.Dense(4)(layers.Flatten()(context))
          model = keras.Model(inputs, outputs)` },
    ],
  });
});
