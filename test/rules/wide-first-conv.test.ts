import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('wide-first-conv', () => {
  ruleTester('wide-first-conv', {
    invalid: [
      { name: '512 filters first', code: py`
          model = Sequential()
          model.add(Conv2D(filters=512, kernel_size=(3, 3), input_shape=(32, 32, 3)))
          model.add(Conv2D(512, 3))`, lines: [2] },
      { name: 'PyTorch: 512 filters on the RGB image', code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.conv1 = nn.Conv2d(3, 512, 3, padding=1)
                  self.pool = nn.AdaptiveAvgPool2d(1)
                  self.fc = nn.Linear(512, 10)
              def forward(self, x):
                  return self.fc(self.pool(torch.relu(self.conv1(x))).flatten(1))`, lines: [5] },
      { name: 'after rescaling the pixels, with a stride that is not the kernel', code: py`
          from keras import layers
          inputs = keras.Input(shape=(224, 224, 3))
          x = layers.Rescaling(1 / 255)(inputs)
          x = layers.Conv2D(256, 3, strides=2, activation='relu')(x)
          model = keras.Model(inputs, layers.GlobalAveragePooling2D()(x))`, lines: [4] },
      { name: 'PyTorch: on the image reshaped from flat pixels', code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.conv = nn.Conv2d(1, 256, 5)
                  self.fc = nn.Linear(256, 10)
              def forward(self, x):
                  x = x.view(-1, 1, 28, 28)
                  return self.fc(torch.relu(self.conv(x)).mean([2, 3]))`, lines: [5] },
      { name: 'max_filters from the configuration', config: 'rules:\n  wide-first-conv: { severity: info, max_filters: 128 }\n', code: py`
          model = Sequential([Conv2D(192, 3)])`, lines: [1], severity: 'info' },
    ],
    valid: [
      { name: '32 filters first, 512 later', code: py`
          model = Sequential([Conv2D(32, 3, activation='relu'), MaxPooling2D(), Conv2D(512, 3, activation='relu')])` },
      { name: 'an overlapping patch embedding: 7×7 kernel, stride 4 (CvT, PVT v2)', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 384, kernel_size=7, stride=4, padding=3), nn.Flatten(2), nn.Linear(3136, 10))` },
      { name: 'a patchify stem: ViT patch embedding, kernel and stride 16', code: py`
          import torch.nn as nn
          class TinyViT(nn.Module):
              def __init__(self, embed_dim=768, num_classes=1000):
                  super().__init__()
                  self.patch_embed = nn.Conv2d(3, embed_dim, kernel_size=16, stride=16)
                  self.norm = nn.LayerNorm(embed_dim)
                  self.head = nn.Linear(embed_dim, num_classes)
              def forward(self, x):
                  x = self.patch_embed(x).flatten(2).transpose(1, 2)
                  return self.head(self.norm(x).mean(dim=1))` },
      { name: 'a ConvNeXt stem: Conv2D(256, 4, strides=4)', code: py`
          from keras import layers
          inputs = keras.Input(shape=(224, 224, 3))
          x = layers.Conv2D(256, 4, strides=4)(inputs)
          x = layers.LayerNormalization(epsilon=1e-6)(x)
          model = keras.Model(inputs, x)` },
      { name: 'the first convolution after a pretrained backbone', code: py`
          from keras import layers
          inputs = keras.Input(shape=(224, 224, 3))
          backbone = keras.applications.ResNet50(include_top=False, weights='imagenet')
          x = backbone(inputs)
          x = layers.Conv2D(512, 3, padding='same', activation='relu')(x)
          model = keras.Model(inputs, layers.GlobalAveragePooling2D()(x))` },
      { name: 'a 1000-filter classifier convolution after features built by a helper footgun cannot read', code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self, cfg='A'):
                  super().__init__()
                  self.features = make_layers(cfgs[cfg])
                  self.classifier = nn.Conv2d(512, 1000, kernel_size=1)
              def forward(self, x):
                  return self.classifier(self.features(x)).mean([2, 3])` },
      { name: 'a model whose input is a feature map (768 channels), not an image', code: py`
          import torch.nn as nn
          neck = nn.Sequential(nn.Conv2d(768, 256, kernel_size=1, bias=False), nn.BatchNorm2d(256), nn.Conv2d(256, 256, 3, padding=1))` },
      { name: 'a 1-D convolution over text', code: py`
          model = Sequential([Embedding(1000, 64), Conv1D(256, 7, activation='relu')])` },
    ],
  });
});
