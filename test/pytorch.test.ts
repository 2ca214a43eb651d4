// The PyTorch front end: the same review as Keras, in PyTorch's vocabulary, and silence on
// the models of pytorch/examples and the PyTorch tutorials.
import { describe, expect, it } from 'vitest';
import type { FileResult } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import { analyze, configFrom, expectParameterCounts, expectSilentOnIdiomatic, findingsOf, py, readFixture } from './helpers.js';

function review(path: string): FileResult {
  return analyzeSource(path, readFixture(path), configFrom());
}

function rulesAt(result: FileResult, line: number): string[] {
  return result.findings.filter((f) => f.line === line).map((f) => f.rule).sort();
}

describe('a PyTorch model with the seed mistakes', () => {
  const result = review('pytorch/bad_net.py');
  it('each mistake on its line', () => {
    expect(rulesAt(result, 9)).toEqual(['large-kernel', 'wide-first-conv']);
    expect(rulesAt(result, 10)).toEqual(['shape-mismatch', 'shrinking-filters']);
    expect(rulesAt(result, 11)).toEqual(['pool-too-large']);
    expect(rulesAt(result, 14)).toEqual(['dropout-rate']);
    expect(rulesAt(result, 15)).toEqual(['softmax-no-dim']);
    // how modules are wired is reported where forward() wires them
    expect(rulesAt(result, 21)).toEqual(['missing-activation']);
    expect(rulesAt(result, 24)).toEqual(['double-softmax']);
    expect(rulesAt(result, 28)).toEqual(['zero-init']);
    expect(rulesAt(result, 30)).toEqual(['plain-sgd']);
  });
  it('speaks PyTorch', () => {
    const message = (rule: string) => result.findings.find((f) => f.rule === rule)!.message;
    expect(message('shape-mismatch')).toContain('self.conv2 (Conv2d) expects 256 input channels (in_channels=256), but the layer before it produces 512');
    expect(message('dropout-rate')).toContain('Dropout(p=1)');
    expect(message('double-softmax')).toContain('nn.CrossEntropyLoss at line 29');
    expect(message('missing-activation')).toContain('nn.ReLU()');
    expect(message('pool-too-large')).toContain('nn.AdaptiveMaxPool2d(1)');
  });
  it('reads the loss and the optimizer made beside the model', () => {
    expect(result.models[0]).toMatchObject({ framework: 'pytorch', kind: 'subclass', loss: 'nn.CrossEntropyLoss', optimizer: 'optim.SGD', task: 'multiclass' });
  });
});

describe('idiomatic PyTorch models', () => {
  const reluThenPool = 'ReLU before max-pooling is correct; activation-before-pool is an optimisation hint (pool first: the same result for a quarter of the ReLU work), info on purpose';
  expectSilentOnIdiomatic('pytorch/idiomatic', 6, [
    { file: 'lenet.py', rule: 'activation-before-pool', line: 20, severity: 'info', reason: reluThenPool },
    { file: 'lenet.py', rule: 'activation-before-pool', line: 21, severity: 'info', reason: reluThenPool },
    { file: 'mnist.py', rule: 'activation-before-pool', line: 24, severity: 'info', reason: reluThenPool },
    { file: 'transformer.py', rule: 'activation-before-pool', line: 61, severity: 'info', reason: reluThenPool },
  ]);
});

// sum(p.numel() for p in model.parameters()), worked out by PyTorch's formulas.
describe('parameter counts match PyTorch', () => {
  expectParameterCounts('pytorch/idiomatic', [
    ['lenet.py', 'net', 61_706],
    ['mnist.py', 'model', 1_199_882],
    ['resnet.py', 'model', 11_173_962],
    ['dcgan.py', 'netG', 3_576_704],
    ['dcgan.py', 'netD', 2_765_568],
    ['word_language_model.py', 'model', 4_653_200],
    ['word_language_model.py', 'tagger', 186_193],
    ['transformer.py', 'model', 2_825_476],
    ['transformer.py', 'mlp', 218_058],
    ['transformer.py', 'vgg_block', 38_976],
    ['unet.py', 'model', 1_864_194],
  ]);
});

describe('PyTorch shapes', () => {
  it('LeNet: view(-1, 16 * 5 * 5) after two conv/pool stages of a 32×32 input', () => {
    const layers = review('pytorch/idiomatic/lenet.py').models[0]!.layers.map((l) => [l.type, l.output]);
    expect(layers).toEqual([
      ['Conv2d', [null, 6, 28, 28]],
      ['F.relu', [null, 6, 28, 28]],
      ['F.max_pool2d', [null, 6, 14, 14]],
      ['Conv2d', [null, 16, 10, 10]],
      ['F.relu', [null, 16, 10, 10]],
      ['F.max_pool2d', [null, 16, 5, 5]],
      ['.view', [null, 400]],
      ['Linear', [null, 120]],
      ['F.relu', [null, 120]],
      ['Linear', [null, 84]],
      ['F.relu', [null, 84]],
      ['Linear', [null, 10]],
    ]);
  });
  it('padding, stride, dilation, ceil_mode and adaptive pooling', () => {
    const result = analyze(py`
      import torch.nn as nn
      model = nn.Sequential(
          nn.Conv2d(3, 8, 3, stride=2, padding=1),
          nn.Conv2d(8, 8, 3, dilation=2),
          nn.MaxPool2d(3, stride=2, ceil_mode=True),
          nn.AdaptiveAvgPool2d(1),
          nn.Flatten(),
      )
      model(torch.randn(2, 3, 33, 33))`);
    expect(result.models[0]!.layers.map((l) => l.output)).toEqual([
      [null, 8, 17, 17],
      [null, 8, 13, 13],
      [null, 8, 6, 6],
      [null, 8, 1, 1],
      [null, 8],
    ]);
  });
  it('symbolic shapes: without a sample input, channels and Linear widths are still known', () => {
    const result = analyze(py`
      from torch import nn
      model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))`);
    expect(result.models[0]!.input).toEqual([null, 3, null, null]);
    expect(result.models[0]!.layers.map((l) => l.output)).toEqual([[null, 16, null, null], [null, 16, null, null], [null, null], [null, 10]]);
  });
  it('Linear.in_features against the flattened size, when the input size is known', () => {
    const result = analyze(py`
      import torch
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.conv = nn.Conv2d(1, 8, 3)
              self.fc = nn.Linear(8 * 28 * 28, 10)
          def forward(self, x):
              return self.fc(torch.flatten(self.conv(x), 1))
      net = Net()
      net(torch.zeros(1, 1, 28, 28))`);
    const [finding] = result.findings.filter((f) => f.rule === 'shape-mismatch');
    expect(finding).toMatchObject({ line: 7 });
    expect(finding!.message).toContain('in_features=6272, but its input has 5408 features per sample');
  });
});

describe('PyTorch spellings', () => {
  const variants = {
    'import torch.nn as nn': py`
      import torch.nn as nn
      model = nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.Dropout(p=1.0))`,
    'from torch import nn, keywords': py`
      from torch import nn
      model = nn.Sequential(nn.Conv2d(in_channels=3, out_channels=32, kernel_size=3), nn.ReLU(), nn.Conv2d(in_channels=32, out_channels=64, kernel_size=(3, 3)), nn.Dropout(1.0))`,
    'from torch.nn import Conv2d': py`
      from torch.nn import Conv2d, ReLU, Dropout, Sequential
      model = Sequential(Conv2d(3, 32, 3), ReLU(), Conv2d(32, 64, 3), Dropout(1.0))`,
    'torch.nn and an OrderedDict': py`
      import torch
      from collections import OrderedDict
      model = torch.nn.Sequential(OrderedDict([('conv1', torch.nn.Conv2d(3, 32, 3)), ('relu', torch.nn.ReLU()), ('conv2', torch.nn.Conv2d(32, 64, 3)), ('drop', torch.nn.Dropout(1.0))]))`,
  };
  for (const [name, code] of Object.entries(variants)) {
    it(`${name}: same layers, parameters and findings`, () => {
      const result = analyze(code);
      expect(result.models[0]!.params).toBe(3 * 32 * 9 + 32 + 32 * 64 * 9 + 64);
      expect(result.models[0]!.layers.map((l) => l.output)).toEqual([[null, 32, null, null], [null, 32, null, null], [null, 64, null, null], [null, 64, null, null]]);
      expect(result.findings.map((f) => f.rule).sort()).toEqual(['dropout-after-output', 'dropout-rate']);
    });
  }
});

describe('more PyTorch forms', () => {
  it('summary(model, (3, 32, 32)) gives the input size (torchsummary leaves out the batch axis)', () => {
    const result = analyze(py`
      import torch.nn as nn
      from torchsummary import summary
      model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 30 * 30, 10))
      summary(model, (3, 32, 32))`);
    expect(result.models[0]!.input).toEqual([null, 3, 32, 32]);
    expect(result.models[0]!.layers.at(-1)!.output).toEqual([null, 10]);
  });
  it('torchinfo.summary(model, input_size=(1, …)) includes the batch axis', () => {
    const result = analyze(py`
      import torch.nn as nn
      import torchinfo
      model = nn.Sequential(nn.Linear(20, 5))
      torchinfo.summary(model, input_size=(16, 20))`);
    expect(result.models[0]!.input).toEqual([null, 20]);
  });
  it('nn.ModuleList built by a comprehension and run in a loop in forward', () => {
    const result = analyze(py`
      import torch.nn as nn
      import torch.nn.functional as F
      class MLP(nn.Module):
          def __init__(self, width=64, depth=3):
              super().__init__()
              self.inp = nn.Linear(16, width)
              self.hidden = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])
              self.out = nn.Linear(width, 1)
          def forward(self, x):
              x = F.relu(self.inp(x))
              for layer in self.hidden:
                  x = F.relu(layer(x))
              return self.out(x)
      model = MLP()`);
    const model = result.models[0]!;
    expect(model.layers.filter((l) => l.type === 'Linear')).toHaveLength(5);
    expect(model.params).toBe(16 * 64 + 64 + 3 * (64 * 64 + 64) + 64 + 1);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
  it('a ResNet basic block on its own: 73,984 parameters', () => {
    const result = analyze(py`
      import torch.nn as nn
      class BasicBlock(nn.Module):
          def __init__(self, planes=64):
              super().__init__()
              self.conv1 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
              self.bn1 = nn.BatchNorm2d(planes)
              self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
              self.bn2 = nn.BatchNorm2d(planes)
          def forward(self, x):
              out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
              return torch.relu(out + x)
      block = BasicBlock()`);
    expect(result.models[0]!.params).toBe(73_984);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe('found in real scripts', () => {
  it('a sample passed inside print(...) still sets the input size', () => {
    const result = analyze(py`
      import torch
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(784, 10)
          def forward(self, x):
              return self.fc(torch.flatten(x, 1))
      if __name__ == "__main__":
          model = Net()
          print(model(torch.randn(4, 1, 28, 28)).shape)`);
    expect(result.models[0]!.input).toEqual([null, 1, 28, 28]);
  });
  it('the loss and optimizer go to the one model the file creates, not to classes it only defines', () => {
    const result = analyze(py`
      import torch.nn as nn
      import torch.nn.functional as F
      import torch.optim as optim
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc1 = nn.Linear(784, 128)
              self.fc2 = nn.Linear(128, 10)
          def forward(self, x):
              return F.softmax(self.fc2(F.relu(self.fc1(x))), dim=1)
      class Wide(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(784, 10)
          def forward(self, x):
              return self.fc(x)
      net = Net()
      criterion = nn.CrossEntropyLoss()
      optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)`);
    const [net, wide] = result.models;
    expect([net!.name, net!.loss, net!.optimizer]).toEqual(['net', 'nn.CrossEntropyLoss', 'optim.SGD']);
    expect([wide!.name, wide!.loss, wide!.optimizer]).toEqual(['Wide', null, null]);
    expect(result.findings.filter((f) => f.rule === 'double-softmax').map((f) => f.line)).toEqual([10]);
  });
  it('with two created models (a GAN), the losses belong to neither', () => {
    const result = analyze(py`
      import torch.nn as nn
      G = nn.Sequential(nn.Linear(100, 784), nn.Tanh())
      D = nn.Sequential(nn.Linear(784, 1), nn.Sigmoid())
      criterion = nn.BCEWithLogitsLoss()`);
    expect(result.models.map((m) => m.loss)).toEqual([null, null]);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
  it('an optimizer trains the model whose parameters it is given, even with several models in the file', () => {
    const result = analyze(py`
      import torch.nn as nn
      import torch.optim as optim
      netG = nn.Sequential(nn.Linear(100, 784), nn.Tanh())
      netD = nn.Sequential(nn.Linear(784, 1), nn.Sigmoid())
      optimizerD = optim.Adam(netD.parameters(), lr=0, betas=(0.5, 0.999))
      optimizerG = optim.SGD(params=netG.parameters(), lr=0.01)`);
    expect(result.models.map((m) => [m.name, m.optimizer])).toEqual([['netG', 'optim.SGD'], ['netD', 'optim.Adam']]);
    expect(findingsOf(result, 'nonpositive-learning-rate').map((f) => f.line)).toEqual([5]);
    expect(findingsOf(result, 'plain-sgd').map((f) => f.line)).toEqual([6]);
  });
  it('a LightningModule is a model (self.hparams included), with the loss of its training_step and the optimizer of configure_optimizers', () => {
    const result = analyze(py`
      import torch
      from torch import nn
      import torch.nn.functional as F
      import pytorch_lightning as pl
      class LitClassifier(pl.LightningModule):
          def __init__(self, hidden_dim=128, learning_rate=0.1):
              super().__init__()
              self.save_hyperparameters()
              self.l1 = nn.Linear(28 * 28, self.hparams.hidden_dim)
              self.l2 = nn.Linear(self.hparams.hidden_dim, 10)
          def forward(self, x):
              x = torch.relu(self.l1(x.view(x.size(0), -1)))
              return torch.softmax(self.l2(x), dim=1)
          def training_step(self, batch, batch_idx):
              x, y = batch
              loss = F.cross_entropy(self(x), y)
              self.log("train_loss", loss)
              return loss
          def configure_optimizers(self):
              return torch.optim.SGD(self.parameters(), lr=self.hparams.learning_rate)
      class LitRegressor(pl.LightningModule):
          def __init__(self):
              super().__init__()
              self.net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
          def forward(self, x):
              return self.net(x)
          def training_step(self, batch, batch_idx):
              x, y = batch
              return F.mse_loss(self(x), y)
          def configure_optimizers(self):
              return torch.optim.Adam(self.parameters(), lr=1e-3)`);
    expect(result.models.map((m) => [m.name, m.role, m.loss, m.optimizer, m.params])).toEqual([
      ['LitClassifier', 'model', 'F.cross_entropy', 'optim.SGD', 784 * 128 + 128 + 128 * 10 + 10],
      ['LitRegressor', 'model', 'F.mse_loss', 'optim.Adam', 8 * 16 + 16 + 16 + 1],
      ['net', 'component', null, null, 8 * 16 + 16 + 16 + 1],
    ]);
    const doubleSoftmax = result.findings.filter((f) => f.rule === 'double-softmax');
    expect(doubleSoftmax.map((f) => [f.line, f.message.includes('F.cross_entropy at line 16')])).toEqual([[13, true]]);
  });
  it('a classifier on the LSTM state h_n stays connected to the layers before it, through pack_padded_sequence', () => {
    const result = analyze(py`
      import torch
      import torch.nn as nn
      class LSTMClassifier(nn.Module):
          def __init__(self, vocab_size=5000, embed_dim=128, hidden=256, num_classes=5):
              super().__init__()
              self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
              self.lstm = nn.LSTM(embed_dim, hidden, num_layers=2, batch_first=True, bidirectional=True)
              self.fc = nn.Linear(hidden * 2, num_classes)
          def forward(self, tokens, lengths):
              packed = nn.utils.rnn.pack_padded_sequence(self.embedding(tokens), lengths.cpu(), batch_first=True)
              _, (h, c) = self.lstm(packed)
              return self.fc(torch.cat([h[-2], h[-1]], dim=1))`);
    const model = result.models[0]!;
    expect(model.layers.map((l) => l.type)).toEqual(['Embedding', 'pack_padded_sequence', 'LSTM', 'State', 'Slice', 'Slice', 'torch.cat', 'Linear']);
    // embedding + 2 bidirectional LSTM layers (4 × (256 × (128 or 512) + 256 × 256 + 2 × 256) per direction) + fc
    expect(model.params).toBe(5000 * 128 + 2 * 4 * (256 * 128 + 256 * 256 + 512) + 2 * 4 * (256 * 512 + 256 * 256 + 512) + 512 * 5 + 5);
  });
  it('Conv1d on an embedding without transpose: the channels are last (sample from torch.randint)', () => {
    const result = analyze(py`
      import torch
      import torch.nn as nn
      import torch.nn.functional as F
      class TextCNN(nn.Module):
          def __init__(self):
              super().__init__()
              self.embedding = nn.Embedding(1000, 300)
              self.convs = nn.ModuleList([nn.Conv1d(300, 100, k) for k in (3, 4, 5)])
              self.fc = nn.Linear(300, 2)
          def forward(self, x):
              x = self.embedding(x)
              x = [F.relu(conv(x)).max(dim=2)[0] for conv in self.convs]
              return self.fc(torch.cat(x, dim=1))
      model = TextCNN()
      model(torch.randint(0, 1000, (8, 50)))`);
    expect(result.models[0]!.input).toEqual([null, 50]);
    const [finding] = findingsOf(result, 'shape-mismatch');
    expect(finding).toMatchObject({ line: 8 });
    expect(finding!.message).toMatch(/^Conv1d reads channels at dim 1, but its input \(N, 50, 300\) has its 300 channels last.*x\.transpose\(1, 2\)/);
    // the parameters of a module follow from its constructor even where its input does not fit
    expect(result.models[0]!.params).toBe(1000 * 300 + (300 * 100 * 3 + 100) + (300 * 100 * 4 + 100) + (300 * 100 * 5 + 100) + 300 * 2 + 2);
  });
  it('transpose, permute and unsqueeze move axes: the fixed TextCNN checks clean', () => {
    const result = analyze(py`
      import torch
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.embedding = nn.Embedding(1000, 300)
              self.conv = nn.Conv1d(300, 100, 3)
              self.conv2d = nn.Conv2d(1, 8, 3)
          def forward(self, x):
              y = self.conv(self.embedding(x).transpose(1, 2))
              z = self.conv2d(torch.relu(y).unsqueeze(1))
              return z.permute(0, 2, 3, 1)
      net = Net()
      net(torch.randint(0, 1000, (8, 50)))`);
    expect(result.models[0]!.layers.map((l) => [l.type, l.output])).toEqual([
      ['Embedding', [null, 50, 300]],
      ['.transpose', [null, 300, 50]],
      ['Conv1d', [null, 100, 48]],
      ['F.relu', [null, 100, 48]],
      ['.unsqueeze', [null, 1, 100, 48]],
      ['Conv2d', [null, 8, 98, 46]],
      ['.permute', [null, 98, 46, 8]],
    ]);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
  it('x.mean([2, 3]) pools by hand: the head after it is checked', () => {
    const net = (features: number, keepdim = '') => py`
      import torch
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.conv = nn.Conv2d(3, 64, 3)
              self.fc = nn.Linear(${features}, 10)
          def forward(self, x):
              x = torch.relu(self.conv(x)).mean([2, 3]${keepdim})
              return self.fc(x)
      net = Net()
      net(torch.randn(2, 3, 32, 32))`;
    expect(findingsOf(analyze(net(64)), 'shape-mismatch')).toEqual([]);
    expect(findingsOf(analyze(net(32)), 'shape-mismatch').map((f) => f.line)).toEqual([7]);
    expect(analyze(net(64, ', keepdim=True')).models[0]!.layers.find((l) => l.type === '.mean')!.output).toEqual([null, 64, 1, 1]);
  });
  it('a residual add keeps the batch unknown (not 1); view(-1, 2 × per-sample) merges samples, and says so', () => {
    const result = analyze(py`
      import torch
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.conv = nn.Conv2d(32, 32, 3, padding=1)
              self.fc = nn.Linear(4096, 10)
          def forward(self, x):
              x = torch.relu(self.conv(x)) + x
              return self.fc(x.view(-1, 4096))
      net = Net()
      net(torch.randn(8, 32, 8, 8))`);
    expect(result.models[0]!.layers.find((l) => l.type === 'Add')!.output).toEqual([null, 32, 8, 8]);
    const [finding] = findingsOf(result, 'shape-mismatch');
    expect(finding!.message).toBe(
      '.view(-1, 4096) on (N, 32, 8, 8) puts 2 samples in each row: each sample has 2048 values, so the batch shrinks 2-fold and no longer matches the targets (the loss fails, and so does the view when the batch size is not a multiple of 2). Write x.view(x.size(0), -1) and give the next layer 2048 input features.',
    );
  });
  it('parameters count every module assigned to the model, as model.parameters() does, used in forward() or not', () => {
    const result = analyze(py`
      import torch.nn as nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.encoder = nn.Sequential(nn.Linear(10, 20), nn.ReLU())
              self.aux = nn.Linear(20, 5)
              self.head = nn.Linear(20, 2)
              self.blocks = nn.ModuleList([nn.Linear(20, 20) for _ in range(2)])
          def forward(self, x):
              feats, _ = self.encoder(x)
              return self.head(feats)
      net = Net()`);
    const model = result.models[0]!;
    // unpacking a call's result keeps the head connected to the encoder (through an Unpack of unknown shape)
    expect(model.layers.map((l) => l.type)).toEqual(['Linear', 'ReLU', 'Unpack', 'Linear']);
    expect(model.params).toBe(10 * 20 + 20 + (20 * 5 + 5) + (20 * 2 + 2) + 2 * (20 * 20 + 20));
  });
  it('an image-to-image network: reflection padding per side, instance norm, nearest upsampling', () => {
    const result = analyze(py`
      import torch
      import torch.nn as nn
      class PadConv(nn.Module):
          def __init__(self, cin, cout, k, stride=1, upsample=None):
              super().__init__()
              self.upsample = nn.Upsample(scale_factor=upsample, mode="nearest") if upsample else None
              self.pad = nn.ReflectionPad2d(k // 2)
              self.conv = nn.Conv2d(cin, cout, k, stride)
          def forward(self, x):
              if self.upsample is not None:
                  x = self.upsample(x)
              return self.conv(self.pad(x))
      class Stylizer(nn.Module):
          def __init__(self):
              super().__init__()
              self.down = nn.Sequential(PadConv(3, 32, 9), nn.InstanceNorm2d(32, affine=True), nn.ReLU(), PadConv(32, 64, 3, stride=2), nn.InstanceNorm2d(64, affine=True), nn.ReLU())
              self.up = nn.Sequential(PadConv(64, 32, 3, upsample=2), nn.InstanceNorm2d(32, affine=True), nn.ReLU(), PadConv(32, 3, 9))
          def forward(self, x):
              return self.up(self.down(x))
      net = Stylizer()
      net(torch.randn(1, 3, 256, 256))`);
    const model = result.models[0]!;
    expect(model.layers[0]).toMatchObject({ type: 'ReflectionPad2d', output: [null, 3, 264, 264] });
    expect(model.layers.at(-1)!.output).toEqual([null, 3, 256, 256]);
    expect(model.params).toBe((3 * 32 * 81 + 32) + 64 + (32 * 64 * 9 + 64) + 128 + (64 * 32 * 9 + 32) + 64 + (32 * 3 * 81 + 3));
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
  it('h[:, 0] keeps the graph connected (shapes after it unknown), and a never-instantiated class is named after itself', () => {
    const result = analyze(py`
      from torch import nn
      class Encoder(nn.Module):
          def __init__(self, vocab=1000, dim=64):
              super().__init__()
              self.emb = nn.Embedding(vocab, dim)
              self.head = nn.Linear(dim, 2)
          def forward(self, tokens):
              h = self.emb(tokens)
              return self.head(h[:, 0])`);
    const model = result.models[0]!;
    expect(model.name).toBe('Encoder');
    expect(model.layers.map((l) => l.type)).toEqual(['Embedding', 'Slice', 'Linear']);
    expect(model.params).toBe(1000 * 64 + 64 * 2 + 2);
  });
});
