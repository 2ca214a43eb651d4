import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/analyze.js';
import type { ProjectFiles } from '../../src/extract/program.js';
import { analyzeProgram } from '../../src/analyze-program.js';
import { configFrom, fixturePath, py } from '../helpers.js';

function folder(name: string): ProjectFiles {
  const root = fixturePath(`projects/${name}`);
  return { exists: (path) => existsSync(join(root, path)), read: (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined) };
}

function inMemory(files: Record<string, string>): ProjectFiles {
  return { exists: (path) => path in files, read: (path) => files[path] };
}

function check(name: string, entries: string[]) {
  const files = folder(name);
  return analyzeProgram(
    entries.map((path) => ({ path, content: files.read(path)! })),
    files,
    configFrom(),
  );
}

const problems = (results: ReturnType<typeof check>) => results.flatMap((result) => result.findings.filter((finding) => finding.severity !== 'info').map((finding) => `${result.path}:${finding.line} ${finding.rule}`));

describe('a PyTorch project split over files', () => {
  it('sees the softmax output of models.py with the CrossEntropyLoss of train.py, on the line that causes it', () => {
    const [train, models] = check('torch-split', ['train.py']);
    expect(problems([train!, models!])).toEqual(['models.py:15 double-softmax']);
    const finding = models!.findings[0]!;
    expect(finding.related).toEqual([{ line: 7, message: expect.any(String), path: 'train.py' }]);
    // Net(num_classes) is only defined in models.py; train.py builds and trains it: a model.
    // 160 (Conv2d(1, 16, 3)) + 108,170 (Linear(16·26·26, 10)) parameters, by PyTorch's formulas.
    expect(train!.models).toEqual([expect.objectContaining({ name: 'model', path: 'models.py', role: 'model', params: 108330, loss: 'nn.CrossEntropyLoss', outputs: [[null, 10]] })]);
  });

  it('needs both files: train.py alone cannot know, and models.py alone builds Net only in its __main__ block', () => {
    const files = folder('torch-split');
    expect(analyzeSource('train.py', files.read('train.py')!, configFrom()).findings).toEqual([]);
    expect(analyzeSource('models.py', files.read('models.py')!, configFrom()).findings).toEqual([]);
  });

  it('reports a finding reached from two entry files once', () => {
    const results = check('torch-split', ['train.py', 'models.py']);
    expect(problems(results)).toEqual(['models.py:15 double-softmax']);
    expect(results.map((result) => result.path)).toEqual(['train.py', 'models.py']);
  });

  it("does not run an imported module's __main__ block: its demo model would be a second model, and the loss nobody's", () => {
    const [train] = check('torch-split', ['train.py']);
    expect(train!.models.filter((model) => model.role === 'model').map((model) => model.name)).toEqual(['model']);
  });

  it('follows a package with relative imports and `import model as M`, and is silent on correct code', () => {
    const results = check('torch-package', ['train.py', 'evaluate.py', 'model.py', 'classifier/__init__.py', 'classifier/net.py', 'classifier/blocks.py']);
    expect(problems(results)).toEqual([]);
    const model = (path: string) => results.find((result) => result.path === path)!.models.find((summary) => summary.role === 'model');
    // ConvBlock(1, 16): 160 + 32 (BatchNorm2d); ConvBlock(16, 32): 4,640 + 64; Linear(32·7·7, 10): 15,690
    expect(model('train.py')).toEqual(expect.objectContaining({ name: 'model', path: 'classifier/net.py', params: 20586, outputs: [[null, 10]], loss: 'nn.CrossEntropyLoss' }));
    // Linear(784, 128): 100,480 + Linear(128, 10): 1,290
    expect(model('evaluate.py')).toEqual(expect.objectContaining({ name: 'net', path: 'model.py', params: 101770, input: [null, 784] }));
  });
});

describe('a Keras project split over files', () => {
  it('sees the softmax output of model.py with the binary cross-entropy that train.py compiles it with', () => {
    const results = check('keras-split', ['train.py']);
    expect(problems(results)).toEqual(['model.py:10 softmax-binary-crossentropy']);
    // Conv2D(32, 3) on 28×28×1: 320; Dense(10) on 13·13·32: 54,090
    expect(results[0]!.models[0]).toEqual(expect.objectContaining({ path: 'model.py', params: 54410, loss: 'binary_crossentropy' }));
  });

  it('is silent on its correct twin', () => {
    expect(problems(check('keras-split-ok', ['train.py', 'model.py']))).toEqual([]);
  });
});

describe('a Keras backbone: a functional model built by a subclass', () => {
  // SmallCNNBackbone(Backbone(keras.Model)) builds its graph in __init__ and hands it to
  // super().__init__(inputs=…, outputs=…); Keras makes the instance a functional model of it.
  const results = check('keras-backbone', ['train.py', 'small_cnn.py']);
  const models = (path: string) => results.find((result) => result.path === path)!.models;

  it('reads it as that functional model, also when a task model calls it on its own input', () => {
    // Keras' formulas: Conv2D(16, 3) on 3 channels 3·3·3·16 + 16 = 448; Conv2D(32, 3) on 16: 3·3·16·32 + 32 = 4,640
    expect(models('small_cnn.py')[0]).toEqual(expect.objectContaining({ name: 'SmallCNNBackbone', kind: 'functional', role: 'model', input: [null, 64, 64, 3], params: 5088, outputs: [[null, 16, 16, 32]] }));
    // backbone.input, backbone(inputs): widths (16, 32, 64) add Conv2D(64, 3) 3·3·32·64 + 64 = 18,496; Dense(10) on 64: 650
    expect(models('train.py')[0]).toEqual(expect.objectContaining({ name: 'classifier', role: 'model', input: [null, 64, 64, 3], params: 5088 + 18_496 + 650, outputs: [[null, 10]] }));
  });

  it('finds the mistake of the arguments it is built with, on the line of the layer that breaks', () => {
    expect(problems(results)).toEqual(['small_cnn.py:9 shape-collapse']);
  });
});

describe('following imports', () => {
  const net = py`
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, classes):
            super().__init__()
            self.fc = nn.Linear(8, classes)

        def forward(self, x):
            return self.fc(x).softmax(dim=1)
  `;
  const train = (imports: string) => py`
    import torch.nn as nn
    ${imports}

    model = Net(3)
    criterion = nn.CrossEntropyLoss()
  `;

  it('survives import cycles', () => {
    const files = { 'train.py': train('from a import Net'), 'a.py': `from b import helper\n${net}`, 'b.py': 'from a import Net\n\ndef helper():\n    return Net\n' };
    const results = analyzeProgram([{ path: 'train.py', content: files['train.py'] }], inMemory(files), configFrom());
    expect(problems(results)).toEqual(['a.py:10 double-softmax']);
  });

  it('stops after the limit of files, with a note where it stopped, and the rest stays unknown', () => {
    const files: Record<string, string> = { 'train.py': train('from m0 import Net') };
    for (let i = 0; i < 4; i++) files[`m${i}.py`] = `from m${i + 1} import Net\n`;
    files['m4.py'] = net;
    const results = analyzeProgram([{ path: 'train.py', content: files['train.py']! }], inMemory(files), configFrom(), { modules: 3, depth: 6 });
    expect(problems(results)).toEqual([]);
    const notes = results.flatMap((result) => result.findings.filter((finding) => finding.rule === 'analysis-limit').map((finding) => `${result.path}:${finding.line} ${finding.message}`));
    expect(notes).toEqual([expect.stringMatching(/^m2\.py:1 footgun stopped following imports here after 3 files of the project: it did not read m3\.py/)]);
  });

  it('reads names as the project defines them: a module attribute, a submodule, a star import', () => {
    const files = {
      'train.py': py`
        import torch.nn as nn
        import pkg.nets
        from pkg import *

        model = pkg.nets.Net(3)
        other = Head()
        criterion = nn.CrossEntropyLoss()
      `,
      'pkg/__init__.py': 'from .heads import Head\n',
      'pkg/heads.py': 'import torch.nn as nn\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n',
      'pkg/nets.py': net,
    };
    const [result] = analyzeProgram([{ path: 'train.py', content: files['train.py'] }], inMemory(files), configFrom());
    expect(result!.models.filter((model) => model.role === 'model').map((model) => `${model.name} ${model.path} ${model.params}`)).toEqual(['model pkg/nets.py 27', 'other pkg/heads.py 10']);
  });
});

describe('messages that name a line in another file', () => {
  it("name that file: the loss of train.py from models.py's softmax, the softmax of models.py from train.py's loss", () => {
    const [train, models] = check('torch-split', ['train.py']);
    expect(models!.findings[0]!.message).toContain('the loss (nn.CrossEntropyLoss at train.py line 7) applies it again');
    const files = folder('torch-split');
    const mse = files.read('train.py')!.replace('nn.CrossEntropyLoss()', 'nn.MSELoss()');
    const [result] = analyzeProgram([{ path: 'train.py', content: mse }], { exists: files.exists, read: (path) => (path === 'train.py' ? mse : files.read(path)) }, configFrom());
    const finding = result!.findings.find((f) => f.rule === 'mse-classification');
    expect(finding).toEqual(expect.objectContaining({ line: 7, message: expect.stringContaining('(softmax output at models.py line 15)') }));
    expect(train!.findings).toEqual([]);
  });

  it('keep the plain line number within one file', () => {
    const files = folder('torch-split');
    const single = `${files.read('models.py')!.replace(/\nif __name__[\s\S]*$/, '')}\nmodel = Net(10)\ncriterion = nn.CrossEntropyLoss()\n`;
    const [result] = analyzeProgram([{ path: 'models.py', content: single }], inMemory({ 'models.py': single }), configFrom());
    expect(result!.findings.find((f) => f.rule === 'double-softmax')!.message).toMatch(/nn\.CrossEntropyLoss at line 19\)/);
  });
});
