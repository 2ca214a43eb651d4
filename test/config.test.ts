import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { configuredTask, isIncluded, parseConfig } from '../src/config/config.js';

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

  it('reports a YAML syntax error with its line instead of throwing', () => {
    const [problem] = problems('rules:\n  large-kernel: [off\n');
    expect(problem!.key).toBe('(yaml)');
    expect(problem!.message).toMatch(/not valid YAML/);
    expect(problem!.line).toBeGreaterThan(0);
  });
});
