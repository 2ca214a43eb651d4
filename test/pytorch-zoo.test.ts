// A zoo of classic CIFAR-10 architectures, written for these tests in the styles real code uses
// (configuration lists, _make_layer helpers, nn.Sequential(*layers), setattr/getattr by name,
// recursive trees, self.modules() init loops, slices and chunks), each built by its file's
// `net = Model(); y = net(torch.randn(2, 3, 32, 32))`. footgun must shape and count all of them
// exactly as PyTorch does.
//
// Where the numbers come from: PyTorch 1.13 (Debian's python3-torch) ran each fixture and printed
// sum(p.numel() for p in net.parameters()) and y.shape; pytorch-1.13-layer-shapes.json holds the
// output shape of every torch.nn leaf module (empty nn.Sequential shortcuts left out), in the
// order forward() calls them, recorded with forward hooks on the same run.
import { describe, expect, it } from 'vitest';
import type { FileResult, LayerSummary } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import { configFrom, readFixture } from './helpers.js';

const PYTORCH_LAYER_SHAPES = JSON.parse(readFixture('pytorch/zoo/pytorch-1.13-layer-shapes.json')) as Record<string, [string, number[]][]>;

/** file, parameters PyTorch counts (all outputs are (2, 10)) */
const ZOO: [file: string, params: number][] = [
  ['vgg.py', 14_728_266],
  ['resnet.py', 11_173_962],
  ['preact_resnet.py', 11_172_170],
  ['resnext.py', 9_128_778],
  ['senet.py', 11_263_042],
  ['densenet.py', 6_956_298],
  ['googlenet.py', 6_166_250],
  ['mobilenet.py', 3_217_226],
  ['mobilenetv2.py', 2_296_922],
  ['shufflenet_fixed.py', 887_582],
  ['shufflenetv2.py', 352_042],
  ['dpn.py', 11_574_842],
  ['dla.py', 16_291_386],
  ['dla_simple.py', 15_142_970],
  ['efficientnet.py', 3_599_686],
  ['pnasnet.py', 451_626],
  ['regnet.py', 3_912_330],
];

/** Layers that are torch.nn modules (not F.* calls, tensor methods or footgun's own merge nodes), as PyTorch's hooks see them. */
function moduleLayers(layers: LayerSummary[]): [string, (number | null)[] | null][] {
  const ownNodes = new Set(['Add', 'Subtract', 'Multiply', 'Branch', 'State', 'Slice', 'Unpack', 'TensorOp']);
  return layers.filter((layer) => /^[A-Z]/.test(layer.type) && !layer.type.startsWith('F.') && !ownNodes.has(layer.type)).map((layer) => [layer.type, layer.output ? layer.output.slice(1) : null]);
}

function review(file: string): FileResult {
  return analyzeSource(file, readFixture(`pytorch/zoo/${file}`), configFrom());
}

describe('a zoo of classic architectures, shaped and counted as PyTorch does', () => {
  for (const [file, params] of ZOO) {
    it(`${file}: ${params.toLocaleString('en')} parameters, (N, 10) out, every layer shaped as in PyTorch, no finding`, () => {
      const result = review(file);
      expect(result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.line} ${f.rule}: ${f.message}`)).toEqual([]);
      const net = result.models.find((model) => model.name === 'net')!;
      expect(net.params).toBe(params);
      expect(net.input).toEqual([null, 3, 32, 32]);
      expect(net.layers.at(-1)!.output).toEqual([null, 10]);
      expect(net.layers.filter((layer) => layer.output === null).map((layer) => `${layer.line} ${layer.type}`)).toEqual([]);
      expect(moduleLayers(net.layers)).toEqual(PYTORCH_LAYER_SHAPES[file]);
    });
  }
});

describe('a model PyTorch cannot build', () => {
  it('ShuffleNet with `mid_planes = out_planes / 4`: an error where PyTorch raises, the fix `//`, no parameter count', () => {
    // PyTorch 1.13: TypeError at line 27 (the first nn.Conv2d given mid_planes = 44.0)
    const result = review('shufflenet.py');
    const errors = result.findings.filter((f) => f.severity !== 'info');
    expect(errors.map((f) => [f.line, f.rule])).toEqual([[27, 'invalid-arguments']]);
    expect(errors[0]!.message).toBe(
      '`out_planes / 4` (line 25) is a true division, so under Python 3 it gives 44.0, and nn.Conv2d needs an int for out_channels: PyTorch raises TypeError when it builds this layer (its weights cannot have a float size), so the model never builds. Use integer division: `out_planes // 4`.',
    );
    expect(errors[0]!.fix).toEqual({ range: { line: 25, column: 33, endLine: 25, endColumn: 34 }, replacement: '//' });
    expect(result.models.find((model) => model.name === 'net')!.params).toBeNull();
  });
});
