// Operations between modules on the way to the classifier: F.adaptive_avg_pool2d(x, 1),
// x.flatten(1), x.mean((2, 3)), F.interpolate(scale_factor=…), torch.stack, chunk/split/unbind,
// x.reshape(n, -1) with n = x.shape[0], a module returning a tuple, einops patterns.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../src/analyze.js';
import { analyze, configFrom, findingsOf, py, readFixture } from './helpers.js';

describe('functional operations keep the shapes flowing', () => {
  it('every step of a functional head is shaped; the counts are PyTorch’s', () => {
    const result = analyzeSource('functional_head.py', readFixture('pytorch/ops/functional_head.py'), configFrom());
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const model = result.models[0]!;
    // PyTorch 1.13: 57,461 parameters; y of shapes (2, 10) and (2, 1, 16, 16)
    expect(model.params).toBe(57_461);
    expect(model.layers.map((l) => [l.type, l.output])).toEqual([
      ['Conv2d', [null, 32, 16, 16]],
      ['F.relu', [null, 32, 16, 16]],
      ['Conv2d', [null, 32, 16, 16]],
      ['F.relu', [null, 32, 16, 16]],
      ['Conv2d', [null, 1, 16, 16]],
      ['.chunk', [null, 16, 16, 16]],
      ['.chunk', [null, 16, 16, 16]],
      ['Conv2d', [null, 16, 16, 16]],
      ['.split', [null, 8, 16, 16]],
      ['.split', [null, 8, 16, 16]],
      ['torch.cat', [null, 16, 16, 16]],
      ['Conv2d', [null, 16, 16, 16]],
      ['torch.cat', [null, 32, 16, 16]],
      ['Conv2d', [null, 64, 16, 16]],
      ['F.interpolate', [null, 64, 32, 32]],
      ['F.max_pool2d', [null, 64, 8, 8]],
      ['F.adaptive_avg_pool2d', [null, 64, 1, 1]],
      ['.flatten', [null, 64]],
      ['Linear', [null, 10]],
      ['.mean', [null, 64]],
      ['Linear', [null, 10]],
      ['torch.stack', [null, 2, 10]],
      ['.unbind', [null, 10]],
      ['.unbind', [null, 10]],
      ['torch.cat', [null, 30]],
      ['Linear', [null, 10]],
      ['.reshape', [null, 4096]],
      ['Linear', [null, 10]],
      ['Add', [null, 10]],
    ]);
  });

  it('a Linear after x.reshape(n, -1) (n = x.shape[0]) sized for the map before the pooling is reported', () => {
    const source = readFixture('pytorch/ops/functional_head.py').replace('nn.Linear(64 * 8 * 8, 10)', 'nn.Linear(64 * 16 * 16, 10)');
    const [finding] = findingsOf(analyze(source), 'shape-mismatch');
    expect(finding).toMatchObject({ line: 31 });
    expect(finding!.message).toContain('expects in_features=16384, but its input has 4096 features per sample');
  });
});

describe('einops', () => {
  // einops' documented semantics: a group on the left splits an axis by the lengths given
  // (h = 32 / 4, w = 16 / 4), a group on the right multiplies axes, an axis missing on the right of
  // reduce() is reduced.
  const code = (features: number) => py`
    import torch
    import torch.nn as nn
    from einops import rearrange, reduce
    from einops.layers.torch import Rearrange
    class PatchClassifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.to_patches = Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=4, p2=4)
            self.proj = nn.Linear(${features}, 64)
            self.head = nn.Linear(64, 10)
        def forward(self, x):
            x = torch.relu(self.proj(self.to_patches(x)))
            x = rearrange(x, 'b n d -> b d n')
            return self.head(reduce(x, 'b d n -> b d', 'mean'))
    net = PatchClassifier()
    y = net(torch.randn(2, 3, 32, 16))`;

  it('Rearrange and rearrange/reduce with literal patterns', () => {
    const result = analyze(code(48));
    expect(result.models[0]!.layers.map((l) => [l.type, l.output])).toEqual([
      ['Rearrange', [null, 32, 48]],
      ['Linear', [null, 32, 64]],
      ['F.relu', [null, 32, 64]],
      ['einops.rearrange', [null, 64, 32]],
      ['einops.reduce', [null, 64]],
      ['Linear', [null, 10]],
    ]);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('a Linear sized for the image instead of the patch is reported', () => {
    const [finding] = findingsOf(analyze(code(3 * 32 * 16)), 'shape-mismatch');
    expect(finding).toMatchObject({ line: 9 });
    expect(finding!.message).toContain('expects in_features=1536, but its input has 48 features per sample');
  });
});

describe('weights used as tensors: class tokens, position embeddings, layer scales', () => {
  it('an nn.Parameter in forward() is a tensor of its data’s shape, broadcast against the batch', () => {
    const result = analyzeSource('learned_tokens.py', readFixture('pytorch/ops/learned_tokens.py'), configFrom());
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const model = result.models.find((m) => m.name === 'model')!;
    // PyTorch 1.13: 14,315 parameters (the stem's 33 among them), output (2, 10)
    expect(model.params).toBe(14_315);
    expect(model.layers.map((l) => [l.type, l.output])).toEqual([
      ['Conv2d', [null, 3, 32, 32]],
      ['Parameter', [3]],
      ['.reshape', [1, 3, 1, 1]],
      ['Multiply', [null, 3, 32, 32]],
      ['Add', [null, 3, 32, 32]],
      ['Conv2d', [null, 64, 4, 4]],
      ['.flatten', [null, 64, 16]],
      ['.transpose', [null, 16, 64]],
      ['Parameter', [1, 1, 64]],
      ['.expand', [null, 1, 64]],
      ['torch.cat', [null, 17, 64]],
      ['Parameter', [1, 17, 64]],
      ['Add', [null, 17, 64]],
      ['LayerNorm', [null, 17, 64]],
      ['Slice', [null, 64]],
      ['Linear', [null, 10]],
    ]);
  });

  it('a position embedding sized for another token count is reported', () => {
    const source = readFixture('pytorch/ops/learned_tokens.py').replace('torch.zeros(1, n + 1, dim)', 'torch.zeros(1, n, dim)');
    const [finding] = findingsOf(analyzeSource('learned_tokens.py', source, configFrom()), 'shape-mismatch');
    // PyTorch: RuntimeError, the size of tensor a (17) must match the size of tensor b (16) at dimension 1
    expect(finding).toMatchObject({ line: 32 });
    expect(finding!.message).toContain('(N, 17, 64) and (1, 16, 64)');
  });

  it('a view to a shape footgun could not read stays unknown; sum(lists, []) joins them', () => {
    const layers = analyze(py`
      import torch
      import torch.nn as nn
      class Windows(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(6, 6)
          def forward(self, x, shape):
              b, _, c = x.shape
              a = x.view(shape)
              sizes = sum([[i, s] for i, s in zip([2, 2], [1, 1])], [])
              return self.fc(x.view([b] + sizes + [c])), a
      m = Windows()
      m(torch.randn(2, 4, 6), (2, 24))
    `).models[0]!.layers;
    // PyTorch 1.13: x.view([2, 2, 1, 2, 1, 6]) has shape (2, 2, 1, 2, 1, 6)
    expect(layers.map((l) => [l.type, l.output])).toEqual([
      ['.view', null],
      ['.view', [null, 2, 1, 2, 1, 6]],
      ['Linear', [null, 2, 1, 2, 1, 6]],
    ]);
  });
});

describe('shifted windows', () => {
  it('torch.roll and x.roll move values, not the shape', () => {
    const layers = analyze(py`
      import torch
      import torch.nn as nn
      class Shift(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(8, 8)
          def forward(self, x):
              x = torch.roll(x, shifts=(-2, -2), dims=(1, 2))
              return self.fc(x.roll(2, 1).flip(2))
      m = Shift()
      m(torch.randn(2, 7, 7, 8))
    `).models[0]!.layers;
    // PyTorch 1.13: (2, 7, 7, 8) throughout
    expect(layers.map((l) => [l.type, l.output])).toEqual([
      ['torch.roll', [null, 7, 7, 8]],
      ['Linear', [null, 7, 7, 8]],
    ]);
  });
});

describe('padding to whole windows', () => {
  const windowed = (input: string) => py`
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    class WindowPad(nn.Module):
        def __init__(self, dim=32, window=7):
            super().__init__()
            self.window = window
            self.norm = nn.LayerNorm(dim)
            self.fc = nn.Linear(dim, 10)
        def forward(self, x):
            B, H, W, C = x.shape
            pad_h = (self.window - H % self.window) % self.window
            pad_w = (self.window - W % self.window) % self.window
            x = F.pad(x, (0, 0, 0, pad_w, 0, pad_h))
            x = self.norm(x)
            x = F.pad(x.permute(0, 3, 1, 2), (1, 1, 2, 2))
            return self.fc(x.mean((2, 3)))
    m = WindowPad()
    m(${input})
  `;

  it('F.pad widens the axes it pads, from the last one backwards', () => {
    // PyTorch 1.13 on torch.randn(2, 30, 30, 32): (2, 35, 35, 32), then (2, 32, 39, 37), then (2, 10); 394 parameters
    const model = analyze(windowed('torch.randn(2, 30, 30, 32)')).models[0]!;
    expect(model.layers.map((l) => [l.type, l.output])).toEqual([
      ['F.pad', [null, 35, 35, 32]],
      ['LayerNorm', [null, 35, 35, 32]],
      ['.permute', [null, 32, 35, 35]],
      ['F.pad', [null, 32, 39, 37]],
      ['.mean', [null, 32]],
      ['Linear', [null, 10]],
    ]);
    expect(model.params).toBe(394);
  });

  it('an amount footgun cannot read leaves only its own axis unknown', () => {
    const model = analyze(windowed('torch.randn(2, 30, 30, 32)').replace('pad_w = (self.window - W % self.window) % self.window', 'pad_w = self.pad_for(W)')).models[0]!;
    expect(model.layers.slice(0, 4).map((l) => [l.type, l.output])).toEqual([
      ['F.pad', [null, 35, null, 32]],
      ['LayerNorm', [null, 35, null, 32]],
      ['.permute', [null, 32, 35, null]],
      ['F.pad', [null, 32, 39, null]],
    ]);
    expect(model.layers.at(-1)!.output).toEqual([null, 10]);
  });
});

describe('functional normalisations', () => {
  const cosineHead = py`
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class CosineHead(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(32, 64)
            self.fc = nn.Linear(64, 10)

        def forward(self, x):
            x = F.normalize(self.embed(x), dim=-1)
            x = F.layer_norm(x, (64,))
            return self.fc(x)

    m = CosineHead()
    m(torch.randn(2, 32))
  `;

  it('F.normalize and F.layer_norm keep the shape and hold no weights', () => {
    // PyTorch 1.13: output (2, 10), 2,762 parameters
    const model = analyze(cosineHead).models[0]!;
    expect(model.layers.map((l) => [l.type, l.output])).toEqual([
      ['Linear', [null, 64]],
      ['F.normalize', [null, 64]],
      ['F.layer_norm', [null, 64]],
      ['Linear', [null, 10]],
    ]);
    expect(model.params).toBe(2762);
  });

  it('an L2 normalisation between two Linear layers is not a missing activation', () => {
    expect(findingsOf(analyze(cosineHead), 'missing-activation')).toEqual([]);
  });
});
