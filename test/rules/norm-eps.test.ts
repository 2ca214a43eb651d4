import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('norm-eps', () => {
  ruleTester('norm-eps', {
    invalid: [
      {
        name: "a GAN discriminator block: BatchNorm2d's second positional argument is eps",
        code: py`
          import torch.nn as nn
          def discriminator_block(in_filters, out_filters):
              return [nn.Conv2d(in_filters, out_filters, 3, 2, 1), nn.LeakyReLU(0.2, inplace=True), nn.BatchNorm2d(out_filters, 0.8)]
          model = nn.Sequential(*discriminator_block(3, 16), *discriminator_block(16, 32), nn.Flatten(), nn.LazyLinear(1), nn.Sigmoid())`,
        lines: [3],
        message: /second positional argument is eps, not momentum: this writes eps=0\.8\..*Keras' momentum=0\.8 is momentum=0\.2 here/,
        fix: 'momentum=0.8',
      },
      {
        name: 'BatchNorm1d in a generator block',
        code: py`
          import torch.nn as nn
          class Generator(nn.Module):
              def __init__(self, latent_dim=100):
                  super().__init__()
                  self.fc = nn.Linear(latent_dim, 256)
                  self.bn = nn.BatchNorm1d(256, 0.8)
                  self.out = nn.Linear(256, 784)
              def forward(self, z):
                  return torch.tanh(self.out(torch.relu(self.bn(self.fc(z)))))`,
        lines: [6],
        fix: 'momentum=0.8',
      },
      {
        name: 'eps written as a keyword: flagged, with no mechanical fix',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16, eps=0.1), nn.ReLU())`,
        lines: [2],
        message: /BatchNorm2d\(eps=0\.1\) adds 0\.1 to the variance/,
      },
      {
        name: 'Keras: an epsilon of 0.5',
        code: py`
          model = Sequential([Dense(64, input_shape=(10,)), BatchNormalization(epsilon=0.5), Activation('relu'), Dense(1)])`,
        lines: [1],
        message: /epsilon=0\.5/,
      },
      {
        name: 'the threshold is an option',
        code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(64, 64), nn.LayerNorm(64, eps=1e-3), nn.GELU(), nn.Linear(64, 10))`,
        lines: [2],
        config: 'rules:\n  norm-eps: { warn_at: 0.001 }\n',
      },
    ],
    valid: [
      { name: 'momentum=0.8 by keyword', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16, momentum=0.8), nn.ReLU())` },
      { name: 'the default eps, and a TensorFlow-ported eps of 1e-3', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.Conv2d(16, 16, 3), nn.BatchNorm2d(16, eps=1e-3), nn.ReLU())` },
      { name: "Keras: BatchNormalization's second positional argument is momentum", code: py`
          model = Sequential([Dense(64, input_shape=(10,)), BatchNormalization(-1, 0.8), Activation('relu'), BatchNormalization(momentum=0.8), Dense(1)])` },
      { name: 'LayerNorm with eps=1e-6', code: py`
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(64, 768), nn.LayerNorm(768, eps=1e-6), nn.GELU(), nn.Linear(768, 10))` },
    ],
  });
});
