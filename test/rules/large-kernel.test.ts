import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('large-kernel', () => {
  ruleTester('large-kernel', {
    invalid: [
      { name: '10×10', code: py`model = Sequential([Conv2D(filters=64, kernel_size=(10, 10), input_shape=(64, 64, 3)), Flatten(), Dense(10, activation='softmax')])`, lines: [1], message: /10×10/ },
      { name: 'an int kernel of 11 in Conv3D', code: py`model = Sequential([Conv3D(8, 11), GlobalAveragePooling3D(), Dense(1, activation='sigmoid')])`, lines: [1] },
      { name: 'PyTorch: a 9×9 convolution in a classifier', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 32, 9), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))`, lines: [2] },
      { name: 'PyTorch: a 17×17 kernel with stride 8 overlaps each pixel three times: not a patch embedding', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 64, 17, stride=8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))`, lines: [2] },
      { name: 'PyTorch: an 11×11 stem with stride 4 is not a patchify stem', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))`, lines: [2] },
    ],
    valid: [
      { name: 'a patchify stem: 16×16 kernel, stride 16', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 384, kernel_size=16, stride=16), nn.Flatten(2), nn.Linear(196, 10))` },
      { name: 'an overlapping patch embedding: 16×16 kernel, stride 8 (PiT)', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 256, kernel_size=16, stride=8), nn.Flatten(2), nn.Linear(729, 10))` },
      { name: 'a large kernel on a convolution whose groups footgun cannot read (it may be depthwise)', code: py`
          import torch.nn as nn
          width = config.width
          model = nn.Sequential(nn.Conv2d(width, width, 13, padding=6, groups=width), nn.BatchNorm2d(width), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, 10))` },
      { name: '7×7 stem', code: py`model = Sequential([Conv2D(64, 7, strides=2, input_shape=(224, 224, 3))])` },
      { name: 'Conv1D with a long kernel (audio)', code: py`model = Sequential([Conv1D(32, 80, strides=4, input_shape=(16000, 1))])` },
      { name: 'a large depthwise kernel', code: py`model = Sequential([DepthwiseConv2D(13, padding='same', input_shape=(32, 32, 8))])` },
      { name: 'turned off by the configuration', config: 'rules:\n  large-kernel: off\n', code: py`model = Sequential([Conv2D(8, 9), Flatten(), Dense(1)])` },
      { name: 'image to image: 9×9 convolutions of a super-resolution network (SRCNN), whose output is a convolution', code: py`
          import torch.nn as nn
          srcnn = nn.Sequential(nn.Conv2d(1, 64, 9, padding=4), nn.ReLU(), nn.Conv2d(64, 32, 5, padding=2), nn.ReLU(), nn.Conv2d(32, 1, 5, padding=2))` },
      { name: 'image to image: a style-transfer network that upsamples', code: py`
          model = Sequential([Conv2D(32, 9, padding='same', activation='relu', input_shape=(256, 256, 3)), Conv2D(64, 3, strides=2, padding='same', activation='relu'), UpSampling2D(2), Conv2D(3, 9, padding='same')])` },
    ],
  });
});
