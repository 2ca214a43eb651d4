import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { configuredInput, configuredTask, isIncluded, parseConfig } from '../src/config/config.js';
import { analyze, findingsOf, py } from './helpers.js';

function problems(yaml: string) {
  return parseConfig(yaml, RULES).problems;
}

describe('footgun.yml', () => {
  it('reads rules, severities, options, include/exclude and tasks', () => {
    const { config, problems: found } = parseConfig(
      [
        'include: ["**/*.py"]',
        'exclude: ["third_party/**"]',
        'rules:',
        '  large-kernel: off',
        '  wide-first-conv: { severity: info, max_filters: 128 }',
        'tasks:',
        '  - paths: ["models/tagger/**"]',
        '    task: multilabel',
        'max_file_kb: 64',
      ].join('\n'),
      RULES,
    );
    expect(found).toEqual([]);
    expect(config.rules['large-kernel']!.severity).toBe('off');
    expect(config.rules['wide-first-conv']).toEqual({ severity: 'info', options: { max_filters: 128 } });
    expect(config.rules['pool-too-large']!.options).toEqual({ max_size: 4, max_coverage: 0.5 });
    expect(isIncluded(config, 'models/net.py')).toBe(true);
    expect(isIncluded(config, 'third_party/lib/net.py')).toBe(false);
    expect(isIncluded(config, 'README.md')).toBe(false);
    expect(configuredTask(config, 'models/tagger/model.py')).toBe('multilabel');
    expect(configuredTask(config, 'models/other.py')).toBeNull();
    expect(config.maxFileBytes).toBe(64 * 1024);
  });

  it('an empty file is the default configuration', () => {
    expect(problems('')).toEqual([]);
  });

  it('notebooks are included by default; review.filter and review.fail_on_existing are read and checked', () => {
    const { config } = parseConfig('review:\n  filter: diff_context\n  fail_on_existing: true\n', RULES);
    expect(isIncluded(config, 'notebooks/train.ipynb')).toBe(true);
    expect(config.review).toMatchObject({ filter: 'diff_context', fail_on_existing: true });
    expect(parseConfig('', RULES).config.review).toMatchObject({ filter: 'added', fail_on_existing: false });
    expect(problems('review:\n  filter: changed\n')).toEqual([{ key: 'review.filter', message: 'expected one of added, diff_context, file, all; got "changed"', line: 2 }]);
    expect(problems('review:\n  fail_on_exisitng: true\n')[0]!.message).toContain("(did you mean 'fail_on_existing'?)");
  });

  it('names an unknown rule and suggests the closest one, with its line', () => {
    const [problem] = problems('rules:\n  large-kernl: off\n');
    expect(problem).toMatchObject({ key: 'rules.large-kernl', line: 2 });
    expect(problem!.message).toContain("unknown rule 'large-kernl' (did you mean 'large-kernel'?)");
  });

  it('names an unknown option of a rule', () => {
    const [problem] = problems('rules:\n  wide-first-conv: { max_filter: 64 }\n');
    expect(problem!.key).toBe('rules.wide-first-conv.max_filter');
    expect(problem!.message).toContain("did you mean 'max_filters'");
  });

  it('rejects a bad severity, a bad option value, a bad task and an unknown top-level key', () => {
    expect(problems('rules:\n  dropout-rate: loud\n')[0]!.key).toBe('rules.dropout-rate');
    expect(problems('rules:\n  pool-too-large: { max_size: -3 }\n')[0]!.key).toBe('rules.pool-too-large.max_size');
    const task = problems('tasks:\n  - paths: ["a/**"]\n    task: segmentation\n')[0]!;
    expect(task.key).toBe('tasks.0.task');
    expect(task.message).toContain('regression, binary, multiclass, multilabel');
    expect(problems('rulez: {}\n')[0]!.message).toContain("did you mean 'rules'");
  });

  it('names what is wrong in an inputs entry', () => {
    expect(problems('inputs:\n  - paths: ["a/**"]\n    shape: [3, 0, 32]\n')[0]!.key).toBe('inputs.0.shape.1');
    expect(problems('inputs:\n  - paths: ["a/**"]\n    shape: [3, 32, 32]\n    modle: Net\n')[0]!.message).toContain("did you mean 'model'");
    expect(problems('inputs:\n  - shape: [3, 32, 32]\n')[0]!.key).toBe('inputs.0.paths');
  });

  it('reports a YAML syntax error with its line instead of throwing', () => {
    const [problem] = problems('rules:\n  large-kernel: [off\n');
    expect(problem!.key).toBe('(yaml)');
    expect(problem!.message).toMatch(/not valid YAML/);
    expect(problem!.line).toBeGreaterThan(0);
  });
});

describe('several entries matching one path: the first one listed wins', () => {
  const UNTOLD = py`
    model = Sequential([Dense(64, activation='relu', input_shape=(8,)), Dense(10)])`;
  const tasks = (...entries: [glob: string, task: string][]) => `tasks:\n${entries.map(([glob, task]) => `  - paths: ["${glob}"]\n    task: ${task}\n`).join('')}`;

  it('tasks: the general entry first wins over a specific one after it, and the other way round', () => {
    const generalFirst = tasks(['models/**', 'multiclass'], ['models/tagger/**', 'multilabel']);
    const specificFirst = tasks(['models/tagger/**', 'multilabel'], ['models/**', 'multiclass']);
    expect(configuredTask(parseConfig(generalFirst, RULES).config, 'models/tagger/net.py')).toBe('multiclass');
    expect(configuredTask(parseConfig(specificFirst, RULES).config, 'models/tagger/net.py')).toBe('multilabel');
    expect(configuredTask(parseConfig(specificFirst, RULES).config, 'models/other/net.py')).toBe('multiclass');
    expect(analyze(UNTOLD, { path: 'models/tagger/net.py', config: generalFirst }).models[0]!.task).toBe('multiclass');
    expect(analyze(UNTOLD, { path: 'models/tagger/net.py', config: specificFirst }).models[0]!.task).toBe('multilabel');
  });

  it('inputs: the same order decides the input size', () => {
    const inputs = (...entries: [glob: string, shape: string][]) => `inputs:\n${entries.map(([glob, shape]) => `  - paths: ["${glob}"]\n    shape: ${shape}\n`).join('')}`;
    const generalFirst = inputs(['vision/**', '[3, 28, 28]'], ['vision/large/**', '[3, 64, 64]']);
    const specificFirst = inputs(['vision/large/**', '[3, 64, 64]'], ['vision/**', '[3, 28, 28]']);
    expect(configuredInput(parseConfig(generalFirst, RULES).config, 'vision/large/net.py', 'net')).toEqual([null, 3, 28, 28]);
    expect(configuredInput(parseConfig(specificFirst, RULES).config, 'vision/large/net.py', 'net')).toEqual([null, 3, 64, 64]);
    expect(configuredInput(parseConfig(specificFirst, RULES).config, 'vision/small/net.py', 'net')).toEqual([null, 3, 28, 28]);
  });
});

describe('inputs: sizes the code does not show', () => {
  const NET = py`
    import torch.nn as nn
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(3, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 5), nn.ReLU(),
            )
        def forward(self, x):
            return self.features(x)
    net = Net()
  `;
  const config = (entry: string) => `inputs:\n  - paths: ["vision/**"]\n${entry}`;

  it('a PyTorch model without a sample input gets the declared size, and its shapes are checked', () => {
    const result = analyze(NET, { path: 'vision/net.py', config: config('    shape: [3, 28, 28]\n') });
    expect(result.models[0]!.input).toEqual([null, 3, 28, 28]);
    // 28 → 24 → 12 → 8 → 4, and the third 5×5 convolution meets a 4×4 map
    expect(findingsOf(result, 'shape-collapse').map((f) => f.line)).toEqual([8]);
  });

  it('applies only under its paths and to the model it names', () => {
    expect(analyze(NET, { path: 'text/net.py', config: config('    shape: [3, 28, 28]\n') }).models[0]!.input).toEqual([null, 3, null, null]);
    expect(analyze(NET, { path: 'vision/net.py', config: config('    shape: [3, 28, 28]\n    model: Other\n') }).models[0]!.input).toEqual([null, 3, null, null]);
    expect(analyze(NET, { path: 'vision/net.py', config: config('    shape: [3, 28, 28]\n    model: net\n') }).models[0]!.input).toEqual([null, 3, 28, 28]);
  });

  it('a declaration that contradicts the code is ignored, not turned into findings', () => {
    const result = analyze(NET, { path: 'vision/net.py', config: config('    shape: [1, 28, 28]\n') });
    expect(result.models[0]!.input).toEqual([null, 3, null, null]);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('the size the code shows wins over the configuration', () => {
    const result = analyze(`${NET}\nnet(torch.randn(1, 3, 64, 64))\n`, { path: 'vision/net.py', config: config('    shape: [3, 28, 28]\n') });
    expect(result.models[0]!.input).toEqual([null, 3, 64, 64]);
  });

  it('a Keras Sequential model without input_shape', () => {
    const result = analyze(py`
      model = Sequential([Conv2D(32, 3, activation='relu'), MaxPooling2D(2), Flatten(), Dense(10, activation='softmax')])`, { path: 'vision/k.py', config: config('    shape: [28, 28, 1]\n') });
    expect(result.models[0]!.layers.map((l) => l.output)).toEqual([[null, 26, 26, 32], [null, 13, 13, 32], [null, 5408], [null, 10]]);
    expect(configuredInput(parseConfig(config('    shape: [28, 28, 1]\n'), RULES).config, 'vision/k.py', 'model')).toEqual([null, 28, 28, 1]);
  });
});
