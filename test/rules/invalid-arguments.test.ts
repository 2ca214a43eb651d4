import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('invalid-arguments', () => {
  ruleTester('invalid-arguments', {
    invalid: [
      {
        // PyTorch 1.13: nn.Linear(512, 128.0) raises TypeError (torch.empty with a float size)
        name: 'PyTorch: a channel count made by true division, in a block built twice',
        code: py`
          import torch.nn as nn
          class Head(nn.Module):
              def __init__(self, width=512):
                  super().__init__()
                  hidden = width / 4
                  self.fc1 = nn.Linear(width, hidden)
                  self.fc2 = nn.Linear(hidden, 10)
              def forward(self, x):
                  return self.fc2(self.fc1(x).relu())
          head = Head()
          other = Head(256)`,
        lines: [6],
        severity: 'error',
        message: /^`width \/ 4` \(line 5\) is a true division, so under Python 3 it gives 128\.0, and nn\.Linear needs an int for out_features: .*Use integer division: `width \/\/ 4`\.$/,
      },
      {
        // PyTorch 1.13: nn.Conv2d(3, 64, 3.0) raises TypeError
        name: 'PyTorch: a float literal as kernel size',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 64, 3.0), nn.ReLU())`,
        lines: [2],
        message: /^`3\.0` is 3\.0, and nn\.Conv2d needs an int for kernel_size: .* Give it an int\.$/,
      },
      {
        name: "PyTorch: padding='same' with stride=2",
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding="same"), nn.ReLU())`,
        lines: [2],
        severity: 'error',
        message: /padding='same' is not supported for strided convolutions.*padding=kernel_size \/\/ 2/,
      },
      {
        name: 'PyTorch: channels not divisible by groups',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(30, 64, 3, groups=4))`,
        lines: [2],
        message: /in_channels=30 is not divisible by groups=4/,
      },
      {
        name: 'PyTorch: embed_dim not divisible by num_heads, in __init__',
        code: py`
          import torch.nn as nn
          class Encoder(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.attn = nn.MultiheadAttention(embed_dim=100, num_heads=8)
                  self.fc = nn.Linear(100, 10)
              def forward(self, x):
                  y, _ = self.attn(x, x, x)
                  return self.fc(y)`,
        lines: [5],
        message: /embed_dim=100 is not divisible by num_heads=8.*\(5 or 10\)/,
      },
      {
        name: 'PyTorch: TransformerEncoderLayer d_model and nhead',
        code: py`
          import torch.nn as nn
          layer = nn.TransformerEncoderLayer(d_model=30, nhead=4)
          model = nn.Sequential(nn.Linear(8, 30), layer)`,
        lines: [2],
        message: /d_model=30 is not divisible by nhead=4/,
      },
      {
        name: 'PyTorch: GroupNorm',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 30, 3), nn.GroupNorm(8, 30), nn.ReLU())`,
        lines: [2],
        message: /num_channels=30 is not divisible by num_groups=8/,
      },
      {
        name: 'Keras: strides and dilation_rate both above 1',
        code: py`
          model = Sequential([Conv2D(32, 3, strides=2, dilation_rate=2, activation='relu', input_shape=(64, 64, 3))])`,
        lines: [1],
        message: /strides > 1 not supported in conjunction with dilation_rate > 1/,
      },
    ],
    valid: [
      {
        name: 'PyTorch: floats made ints, and floats where PyTorch takes them',
        code: py`
          import math
          import torch.nn as nn
          def block(width, ratio=0.25):
              return nn.Sequential(
                  nn.Conv2d(width, int(width * ratio), 1),
                  nn.Conv2d(int(width * ratio), width // 2, 3, padding=1.0),
                  nn.BatchNorm2d(math.floor(width / 2)),
                  nn.Dropout(width / 1000),
                  nn.Upsample(scale_factor=width / 32),
                  nn.MaxPool2d(2.0),
              )
          model = block(64)`,
      },
      { name: "PyTorch: padding='same' with stride 1, and explicit padding with stride 2", code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 16, 3, padding="same"), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2, padding=1))` },
      { name: 'PyTorch: depthwise convolution (groups = channels)', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(32, 32, 3, padding=1, groups=32), nn.Conv2d(32, 64, 1))` },
      { name: 'PyTorch: 512 / 8 heads, GroupNorm(32, 64)', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(16, 512), nn.TransformerEncoderLayer(d_model=512, nhead=8))
          norm = nn.Sequential(nn.Conv2d(3, 64, 3), nn.GroupNorm(32, 64))` },
      { name: "Keras: padding='same' with strides=2 is fine in Keras", code: py`
          model = Sequential([Conv2D(32, 3, strides=2, padding='same', activation='relu', input_shape=(64, 64, 3))])` },
      { name: 'Keras: dilation without stride', code: py`
          model = Sequential([Conv2D(32, 3, dilation_rate=2, activation='relu', input_shape=(64, 64, 3))])` },
    ],
  });
});
