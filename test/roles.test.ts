// Roles: which networks of a file are models and which are components (blocks used inside
// another module), and which rules apply to each.
import { describe, expect, it } from 'vitest';
import type { FileResult } from '../src/analyze.js';
import { analyze, findingsOf, py } from './helpers.js';

function lines(...parts: string[]): string {
  return parts.join('\n');
}

function roles(result: FileResult): Record<string, string> {
  return Object.fromEntries(result.models.map((model) => [model.name, model.role]));
}

const BLOCK = py`
  class Block(nn.Module):
      def __init__(self, dim=64):
          super().__init__()
          self.fc = nn.Linear(dim, dim)
          self.drop = nn.Dropout(0.1)
      def forward(self, x):
          return self.drop(self.fc(x))`;

const NET = py`
  class Net(nn.Module):
      def __init__(self):
          super().__init__()
          self.block = Block(64)
          self.head = nn.Linear(64, 10)
      def forward(self, x):
          return self.head(self.block(x))`;

describe('roles', () => {
  it('a block used as an attribute of a model is a component, whichever class is defined first', () => {
    for (const source of [lines('import torch.nn as nn', BLOCK, NET), lines('import torch.nn as nn', NET, BLOCK)]) {
      const result = analyze(source);
      expect(roles(result)).toEqual({ Net: 'model', Block: 'component' });
      expect(result.models.find((m) => m.name === 'Block')!.roleReason).toMatch(/Net/);
      expect(findingsOf(result, 'dropout-after-output')).toEqual([]);
    }
  });

  it('the models come first in models[], then one entry per component definition', () => {
    const result = analyze(lines('import torch.nn as nn', BLOCK, py`
      class Deep(nn.Module):
          def __init__(self):
              super().__init__()
              self.blocks = nn.ModuleList([Block(64) for _ in range(6)])
          def forward(self, x):
              for block in self.blocks:
                  x = block(x)
              return x`));
    expect(result.models.map((m) => [m.name, m.role])).toEqual([['Deep', 'model'], ['Block', 'component']]);
  });

  const uses: [string, string][] = [
    ['an nn.Sequential entry', 'self.body = nn.Sequential(nn.Linear(64, 64), Block(64))'],
    ['add_module', "self.add_module('body', Block(64))"],
    ['setattr', "setattr(self, 'body', Block(64))"],
    ['a dict of modules', "self.body = nn.ModuleDict({'a': Block(64)})"],
  ];
  for (const [how, line] of uses) {
    it(`a block registered with ${how} is a component`, () => {
      const net = ['class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', `        ${line}`, '    def forward(self, x):', '        return x'];
      const result = analyze(lines('import torch.nn as nn', BLOCK, ...net));
      expect(roles(result).Block).toBe('component');
    });
  }

  it('a block called with keyword arguments is a component (self.attn(x=y, mask=m))', () => {
    const keyword = analyze(py`
      import torch.nn as nn
      class Attn(nn.Module):
          def __init__(self):
              super().__init__()
              self.proj = nn.Linear(64, 64)
              self.drop = nn.Dropout(0.1)
          def forward(self, x, mask=None):
              return self.drop(self.proj(x))
      class Encoder(nn.Module):
          def __init__(self, attn):
              super().__init__()
              self.embed = nn.Linear(8, 64)
              self.layers = [attn]
          def forward(self, x, mask=None):
              x = self.embed(x)
              for layer in self.layers:
                  x = layer(x=x, mask=mask)
              return x
      model = Encoder(Attn())
      out = model(torch.randn(2, 8))`);
    expect(roles(keyword)).toEqual({ model: 'model', Attn: 'component' });
  });

  it('a block class handed to another module as a value (token_mixer=Attention) is a component', () => {
    const result = analyze(py`
      import torch.nn as nn
      class Pooling(nn.Module):
          def __init__(self, dim=64):
              super().__init__()
              self.pool = nn.AvgPool1d(3, 1, 1)
          def forward(self, x):
              return self.pool(x) - x
      class Attention(nn.Module):
          def __init__(self, dim=64):
              super().__init__()
              self.proj = nn.Linear(dim, dim)
              self.drop = nn.Dropout(0.1)
          def forward(self, x):
              return self.drop(self.proj(x))
      class MixerBlock(nn.Module):
          def __init__(self, dim=64, token_mixer=Pooling):
              super().__init__()
              self.mixer = token_mixer(dim)
          def forward(self, x):
              return x + self.mixer(x)
      def mixer_with_attention():
          return MixerBlock(64, token_mixer=Attention)`);
    expect(roles(result).Attention).toBe('component');
    expect(roles(result).Pooling).toBe('component');
    expect(findingsOf(result, 'dropout-after-output')).toEqual([]);
  });

  it('a network a module builds in its own code is a part of it, even when footgun loses track of where it goes', () => {
    const result = analyze(py`
      import torch.nn as nn
      class FuseLayer(nn.Module):
          def __init__(self, channels=64, single_branch=False):
              super().__init__()
              self.fuse = self._make_fuse(channels, single_branch)
          def _make_fuse(self, channels, single_branch):
              if single_branch:
                  return nn.Identity()
              return nn.Sequential(nn.Conv2d(channels, channels, 3, padding=1), nn.BatchNorm2d(channels), nn.Dropout2d(0.1))
          def forward(self, x):
              return x
      fuse = FuseLayer(64, single_branch=config.single)`);
    // FuseLayer's forward uses none of its layers, so it is not listed
    expect(result.models.map((m) => [m.name, m.role, m.roleReason])).toEqual([['component_1', 'component', 'built by the code of FuseLayer']]);
    expect(findingsOf(result, 'dropout-after-output')).toEqual([]);
  });

  it('a class named only in a string or comment of another module, or by a subclass, is not used by it', () => {
    const result = analyze(py`
      import torch.nn as nn
      class Head(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(64, 10)
              self.drop = nn.Dropout(0.5)
          def forward(self, x):
              return self.drop(self.fc(x))
      class BigHead(Head):
          """Like Head, but wider."""
          def __init__(self):
              Head.__init__(self)
              self.fc = nn.Linear(64, 10)  # Head's classifier
          def forward(self, x):
              return self.drop(self.fc(x))`);
    expect(roles(result)).toEqual({ Head: 'model', BigHead: 'model' });
    expect(findingsOf(result, 'dropout-after-output').map((f) => f.line)).toEqual([8, 15]);
  });

  it('a class the file only defines and that needs constructor arguments is a building block for other code', () => {
    const result = analyze(py`
      import torch.nn as nn
      class Mlp(nn.Module):
          def __init__(self, in_features, hidden_features=None, drop=0.0):
              super().__init__()
              self.fc1 = nn.Linear(in_features, hidden_features or in_features)
              self.act = nn.GELU()
              self.fc2 = nn.Linear(hidden_features or in_features, in_features)
              self.drop = nn.Dropout(drop)
          def forward(self, x):
              return self.drop(self.fc2(self.act(self.fc1(x))))`);
    expect(result.models.map((m) => [m.name, m.role, m.roleReason])).toEqual([['Mlp', 'component', expect.stringContaining('`in_features`')]]);
    expect(findingsOf(result, 'dropout-after-output')).toEqual([]);
  });

  it('the same class built by the file is a model, and so is one whose constructor needs nothing', () => {
    const built = analyze(py`
      import torch.nn as nn
      class Classifier(nn.Module):
          def __init__(self, n_classes):
              super().__init__()
              self.fc = nn.Linear(128, n_classes)
              self.drop = nn.Dropout(0.5)
          def forward(self, x):
              return self.drop(self.fc(x))
      model = Classifier(10)`);
    expect(built.models.map((m) => [m.name, m.role])).toEqual([['model', 'model']]);
    expect(findingsOf(built, 'dropout-after-output').map((f) => f.line)).toEqual([8]);
    const defaults = analyze(py`
      import torch.nn as nn
      class Classifier(nn.Module):
          def __init__(self, n_classes=10):
              super().__init__()
              self.fc = nn.Linear(128, n_classes)
              self.drop = nn.Dropout(0.5)
          def forward(self, x):
              return self.drop(self.fc(x))`);
    expect(defaults.models.map((m) => [m.name, m.role, m.roleReason])).toEqual([['Classifier', 'model', 'nothing else in the file uses it']]);
    expect(findingsOf(defaults, 'dropout-after-output').map((f) => f.line)).toEqual([8]);
  });

  it('a model is trained, compiled or run on data even when another model uses it (a GAN)', () => {
    const result = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      generator = keras.Sequential([layers.Dense(128, activation='relu', input_shape=(100,)), layers.Dense(784, activation='tanh')], name='generator')
      discriminator = keras.Sequential([layers.Dense(128, activation='relu', input_shape=(784,)), layers.Dense(1, activation='sigmoid')], name='discriminator')
      discriminator.compile(optimizer='adam', loss='binary_crossentropy')
      z = keras.Input(shape=(100,))
      gan = keras.Model(z, discriminator(generator(z)), name='gan')
      gan.compile(optimizer='adam', loss='binary_crossentropy')`);
    expect(result.models.map((m) => [m.name, m.role, m.roleReason])).toEqual([
      ['discriminator', 'model', 'compiled at line 5'],
      ['gan', 'model', 'compiled at line 8'],
      ['generator', 'component', expect.stringContaining('called on another model')],
    ]);
  });

  it('a network run on data the file makes, fitted, or summarised is a model', () => {
    const torchRun = analyze(lines('import torch', 'import torch.nn as nn', BLOCK, py`
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.block = Block()
          def forward(self, x):
              return self.block(x)
      block = Block()
      print(block(torch.randn(2, 64)).shape)`));
    expect(torchRun.models.map((m) => [m.name, m.role, m.roleReason])).toEqual([
      ['block', 'model', 'run on data at line 17'],
      ['Net', 'model', 'nothing else in the file uses it'],
      ['Block', 'component', 'an attribute of Net'],
    ]);
    const fitted = analyze(py`
      from tensorflow import keras
      encoder = keras.Sequential([keras.layers.Dense(32, activation='relu', input_shape=(784,)), keras.layers.Dense(8)])
      decoder = keras.Sequential([keras.layers.Dense(32, activation='relu', input_shape=(8,)), keras.layers.Dense(784, activation='sigmoid')])
      inputs = keras.Input(shape=(784,))
      autoencoder = keras.Model(inputs, decoder(encoder(inputs)))
      autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
      codes = encoder.predict(x_test)`);
    expect(fitted.models.map((m) => [m.name, m.role])).toEqual([['encoder', 'model'], ['autoencoder', 'model'], ['decoder', 'component']]);
  });

  it('a Keras model wrapped by TimeDistributed is a component', () => {
    const result = analyze(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      cnn = keras.Sequential([layers.Conv2D(32, 3, activation='relu', input_shape=(64, 64, 3)), layers.GlobalAveragePooling2D(), layers.Dropout(0.3)])
      model = keras.Sequential([layers.TimeDistributed(cnn, input_shape=(10, 64, 64, 3)), layers.LSTM(64), layers.Dense(5, activation='softmax')])
      model.compile(optimizer='adam', loss='categorical_crossentropy')`);
    expect(roles(result)).toEqual({ model: 'model', cnn: 'component' });
    expect(findingsOf(result, 'dropout-after-output')).toEqual([]);
  });
});

describe('rules on components', () => {
  it('every instance of a component is checked where no listed network has its layers', () => {
    const result = analyze(py`
      import torch.nn as nn
      class Block(nn.Module):
          def __init__(self, p):
              super().__init__()
              self.fc = nn.Linear(64, 64)
              self.drop = nn.Dropout(p)
          def forward(self, x):
              return self.drop(torch.relu(self.fc(x)))
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.blocks = nn.ModuleList([Block(0.1), Block(1.0)])
          def forward(self, x):
              for block in shuffled(self.blocks):
                  x = block(x)
              return x
      net = Net()`);
    expect(result.models.map((m) => [m.name, m.role])).toEqual([['net', 'model'], ['Block', 'component']]);
    expect(findingsOf(result, 'dropout-rate').map((f) => [f.line, f.message.includes('p=1')])).toEqual([[6, true]]);
  });

  it('local rules apply to a component; rules about a model\'s input, output, loss and task do not', () => {
    const result = analyze(py`
      import torch.nn as nn
      class Block(nn.Module):
          def __init__(self, channels):
              super().__init__()
              self.conv = nn.Conv2d(channels, 256, 3, padding=1)
              self.drop = nn.Dropout(p=1.0)
              self.proj = nn.Conv2d(256, 64, 1)
              self.out_drop = nn.Dropout(0.1)
          def forward(self, x):
              return self.out_drop(self.proj(self.drop(self.conv(x))))`);
    expect(roles(result)).toEqual({ Block: 'component' });
    expect(result.findings.map((f) => [f.line, f.rule])).toEqual([[6, 'dropout-rate'], [10, 'missing-activation']]);
  });
});
