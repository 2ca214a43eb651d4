import { describe, expect, it } from 'vitest';
import { DEFAULT_REVIEW } from '../src/config/config.js';
import { withRetries } from '../src/fetch/github.js';
import { buildReview } from '../src/review/build-review.js';
import { diffLayers, paramsChange } from '../src/review/architecture.js';
import { classifyFindings } from '../src/review/classify.js';
import { commentableLines, patchLines } from '../src/review/diff.js';
import { factsOf, fingerprints } from '../src/review/fingerprint.js';
import { passesText } from '../src/rules/engine.js';
import { MAX_SUMMARY } from '../src/review/summary.js';
import { analyze, py, readFixture } from './helpers.js';

describe('commentable lines of a patch', () => {
  it('are the added and context lines of each hunk, on the new side', () => {
    const patch = ['@@ -1,3 +1,4 @@', ' a', '-b', '+B', '+C', ' d', '@@ -10,2 +11,2 @@', ' x', '-y', '+Y', '\\ No newline at end of file'].join('\n');
    expect([...commentableLines(patch)]).toEqual([1, 2, 3, 4, 11, 12]);
  });
  it('are none without a patch', () => {
    expect(commentableLines(undefined).size).toBe(0);
  });
  it('tell added lines (new side) and removed lines (old side) apart', () => {
    const patch = ['@@ -1,3 +1,4 @@', ' a', '-b', '+B', '+C', ' d', '@@ -10,2 +11,2 @@', ' x', '-y', '+Y'].join('\n');
    const lines = patchLines(patch);
    expect([...lines.added]).toEqual([2, 3, 12]);
    expect([...lines.removed]).toEqual([2, 11]);
  });
});

describe('what a finding is, without its line', () => {
  const model = py`
    model = Sequential()
    model.add(Dense(64, activation='relu', input_shape=(20,)))
    for filters in [32, 64, 128]:
        model.add(Dropout(rate=1))
    model.add(Dense(10, activation='softmax', name='head'))
    model.add(Dropout(0.2))
  `;
  it('names the layer by its name, or by its type and rank in the model', () => {
    const findings = analyze(model).findings;
    expect(findings.find((f) => f.rule === 'dropout-rate')?.layer).toBe('Dropout#1');
    expect(findings.find((f) => f.rule === 'dropout-after-output')?.layer).toBe('Dropout#4');
  });
  it('drops the line numbers from the facts of a message', () => {
    expect(factsOf('softmax at line 12, then the loss (cell 3, line 2) (every pass of the loop at line 3)')).toBe('softmax at line, then the loss (line) (every pass of the loop at line)');
  });
  it('a loop with 60 passes of 63 at fault is summarised', () => {
    expect(passesText([...Array.from({ length: 60 }, (_, i) => i), 61], 63, 3)).toBe('passes 1–60 and 62 of the loop at line 3');
    expect(passesText([0, 1, 5], 8, 3)).toBe('passes 1, 2 and 6 of the loop at line 3');
    expect(passesText(Array.from({ length: 31 }, (_, i) => 2 * i), 63, 3)).toBe('31 of the 63 passes of the loop at line 3 (1, 3, …, 61)');
    expect(passesText([0, 1, 2], 3, 7)).toBe('every pass of the loop at line 7');
    const result = analyze(py`
      model = Sequential()
      model.add(Dense(8, activation='relu', input_shape=(4,)))
      for i in range(63):
          model.add(Dropout(rate=1.0 if i < 60 or i == 61 else 0.5))
      model.add(Dense(1))
    `);
    expect(result.findings.find((f) => f.rule === 'dropout-rate')?.message).toMatch(/\(passes 1–60 and 62 of the loop at line 3\)$/);
  });
});

describe('classifying findings as new, already there, or fixed', () => {
  const classify = (before: string, after: string, patch: string) => {
    const head = analyze(after).findings;
    const result = classifyFindings({ findings: head, source: after }, { findings: analyze(before).findings, source: before }, patchLines(patch));
    return { head: head.map((f, i) => `${f.line} ${f.rule} ${result.status[i]}`), fixed: result.fixed.map((f) => `${f.line} ${f.rule}`) };
  };
  const base = py`
    model = Sequential()
    model.add(Dense(64, activation='relu', input_shape=(20,)))
    model.add(Dropout(rate=1))
    model.add(Dense(10, activation='softmax'))
  `;
  it('a second copy of the same mistake: the one on the added line is the new one', () => {
    const after = base.replace('model.add(Dense(64', 'model.add(Dropout(rate=1))\nmodel.add(Dense(64');
    expect(classify(base, after, '@@ -1,2 +1,3 @@\n model = Sequential()\n+model.add(Dropout(rate=1))\n model.add(Dense(64').head.filter((line) => line.includes('dropout-rate'))).toEqual(['2 dropout-rate new', '4 dropout-rate existing']);
  });
  it('a finding whose facts changed on the same layer was there before, unless it got more severe', () => {
    const wide = py`
      model = Sequential()
      model.add(Conv2D(512, (3, 3), activation='relu', input_shape=(32, 32, 3)))
      model.add(Flatten())
      model.add(Dropout(rate=0.95))
      model.add(Dense(10, activation='softmax'))
    `;
    // still too wide at 256 filters: not fixed at 512 and new at 256
    const narrower = wide.replace('Conv2D(512,', 'Conv2D(256,');
    expect(classify(wide, narrower, '@@ -2 +2 @@\n-a\n+b')).toEqual({ head: ['2 wide-first-conv existing', '4 dropout-rate existing'], fixed: [] });
    // a rate of 0.95 is a warning, 1 an error: the error is new
    const worse = wide.replace('rate=0.95', 'rate=1');
    expect(classify(wide, worse, '@@ -4 +4 @@\n-a\n+b')).toEqual({ head: ['2 wide-first-conv existing', '4 dropout-rate new'], fixed: ['4 dropout-rate'] });
  });

  it('a layer renamed by name= is a new finding and a fixed one; a moved layer is neither', () => {
    const renamed = base.replace('Dropout(rate=1)', "Dropout(rate=1, name='drop')");
    expect(classify(base, renamed, '@@ -3 +3 @@\n-model.add(Dropout(rate=1))\n+model.add(Dropout(rate=1, name=\'drop\'))')).toMatchObject({ head: expect.arrayContaining(['3 dropout-rate new']), fixed: ['3 dropout-rate'] });
    const moved = `# training script\n\n${base}`;
    expect(classify(base, moved, '@@ -0,0 +1,2 @@\n+# training script\n+').head.filter((line) => line.includes('dropout-rate'))).toEqual(['5 dropout-rate existing']);
  });
});

describe('the architecture diff', () => {
  const layer = (type: string, output: number[], params: number, name?: string) => ({ type, ...(name ? { name } : {}), line: 1, output: [null, ...output], params });
  it('aligns layers by name or type: a layer inserted in the middle is one added layer', () => {
    const before = [layer('Dense', [64], 1344), layer('Dense', [32], 2080), layer('Dense', [10], 330)];
    const after = [layer('Dense', [64], 1344), layer('Dropout', [64], 0), layer('Dense', [32], 2080), layer('Dense', [10], 330)];
    expect(diffLayers(before, after)).toEqual([{ change: 'added', after: after[1] }]);
    const renamed = [layer('Linear', [64], 1344, 'fc1'), layer('Linear', [10], 650, 'out')];
    expect(diffLayers([layer('Linear', [64], 1344, 'fc1'), layer('Linear', [10], 650, 'fc2')], renamed).map((c) => c.change)).toEqual(['removed', 'added']);
  });
  it('shows parameter changes with their percentage', () => {
    expect(paramsChange(101770, 203530)).toBe('101,770 → 203,530 (+100.0%)');
    expect(paramsChange(387466, 387626)).toBe('387,466 → 387,626 (+<0.1%)');
    expect(paramsChange(1000, 500)).toBe('1,000 → 500 (−50.0%)');
    expect(paramsChange(null, 500)).toBe('? → 500');
    expect(paramsChange(500, 500)).toBe('500');
  });
});

describe('fingerprints', () => {
  it('survive code added above the finding, and change when the line is fixed', () => {
    const source = readFixture('seed/seed_d.py');
    const shifted = `# a new comment\nimport keras\n${source}`;
    const before = fingerprints('net.py', analyze(source).findings, source);
    const after = fingerprints('net.py', analyze(shifted).findings, shifted);
    expect(new Set(after)).toEqual(new Set(before));
    const fixed = source.replace('Dropout(rate=1)', 'Dropout(rate=0.5)');
    expect(fingerprints('net.py', analyze(fixed).findings, fixed)).not.toEqual(before);
  });

  // The identity is rule, file, model, layer and the facts of the message; neither the line
  // number nor how the line is written is part of it.
  const dropout = (code: string, model = 'model') => {
    const source = `model = Sequential()\nmodel.add(Dense(64, activation='relu'))\n${code}\n`;
    const findings = analyze(source).findings.filter((f) => f.rule === 'dropout-rate').map((f) => ({ ...f, model }));
    expect(findings.map((f) => f.line)).toEqual([3]);
    return (path = 'net.py') => fingerprints(path, findings, source)[0];
  };

  it('change when what the finding says changes, though it stays on the same line', () => {
    expect(dropout('model.add(Dropout(rate=1.5))')()).not.toBe(dropout('model.add(Dropout(rate=1))')());
  });

  it('change when the finding is about another layer on the same line', () => {
    expect(dropout("model.add(Dropout(rate=1, name='drop'))")()).not.toBe(dropout('model.add(Dropout(rate=1))')());
  });

  it('ignore how the line is written: whitespace, comments, 1 or 1.0', () => {
    expect(dropout('model.add(Dropout(rate=1))  \t # keep everything?')()).toBe(dropout('model.add(Dropout(rate=1))')());
    expect(dropout('model.add(Dropout(rate=1.0))')()).toBe(dropout('model.add(Dropout(rate=1))')());
  });

  it('differ by file and by model', () => {
    const original = dropout('model.add(Dropout(rate=1))');
    expect(original('other.py')).not.toBe(original('net.py'));
    expect(dropout('model.add(Dropout(rate=1))', 'encoder')()).not.toBe(original());
  });

  it('tell apart the same finding on two identical lines', () => {
    const source = "model = Sequential([Dense(8, activation='relu')])\nmodel.add(Dropout(rate=1))\nmodel.add(Dropout(rate=1))\n";
    const findings = analyze(source).findings.filter((f) => f.rule === 'dropout-rate');
    expect(findings.map((f) => f.line)).toEqual([2, 3]);
    const [first, second] = fingerprints('net.py', findings, source);
    expect(first).not.toBe(second);
  });
});

describe('buildReview', () => {
  it('caps inline comments, highest severity first, and keeps the summary within GitHub\'s limit', () => {
    const source = readFixture('seed/seed_d.py');
    const files = Array.from({ length: 40 }, (_, i) => {
      const path = `models/net_${i}.py`;
      return { path, patch: `@@ -0,0 +1,20 @@\n${source.split('\n').map((l) => `+${l}`).join('\n')}`, source, result: { ...analyze(source, { path }), path } };
    });
    const plan = buildReview({ files, includedFiles: 40, fileListTruncated: true, settings: { ...DEFAULT_REVIEW, max_comments: 10 }, prior: [], headSha: 'abc' });
    expect(plan.comments).toHaveLength(10);
    expect(plan.comments.every((c) => c.severity === 'error')).toBe(true);
    expect(plan.body).toContain('over the 10-comment limit');
    expect(plan.summary.length).toBeLessThanOrEqual(MAX_SUMMARY);
    expect(plan.summary).toContain('only the first 3,000 files');
    expect(plan.annotations).toHaveLength(40 * 12);
  });
  it('fail_on and comment_min_severity are settings', () => {
    const source = 'model = Sequential([Dense(64, activation="relu"), Dense(1)])\nmodel.compile(optimizer="sgd", loss="mse")\n';
    const file = { path: 'a.py', patch: '@@ -0,0 +1,2 @@\n+a\n+b', source, result: analyze(source) };
    const lenient = buildReview({ files: [file], includedFiles: 1, fileListTruncated: false, settings: DEFAULT_REVIEW, prior: [], headSha: 'abc' });
    expect(lenient).toMatchObject({ conclusion: 'success', comments: [], body: null });
    const strict = buildReview({ files: [file], includedFiles: 1, fileListTruncated: false, settings: { ...DEFAULT_REVIEW, fail_on: 'info', comment_min_severity: 'info' }, prior: [], headSha: 'abc' });
    expect(strict.conclusion).toBe('failure');
    expect(strict.comments.map((c) => c.line)).toEqual([2]);
  });
});

describe('GitHub request retries', () => {
  it('waits out a rate limit and retries server errors, then gives up', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    let calls = 0;
    const flaky = () => {
      calls++;
      if (calls === 1) return Promise.reject(Object.assign(new Error('You have exceeded a secondary rate limit'), { status: 403, response: { headers: { 'retry-after': '7' } } }));
      if (calls === 2) return Promise.reject(Object.assign(new Error('Bad gateway'), { status: 502 }));
      return Promise.resolve('done');
    };
    await expect(withRetries(flaky, sleep)).resolves.toBe('done');
    expect(waits).toEqual([7000, 2000]);
    const forbidden = () => Promise.reject(Object.assign(new Error('Resource not accessible by integration'), { status: 403 }));
    await expect(withRetries(forbidden, sleep)).rejects.toThrow('Resource not accessible');
    const down = () => Promise.reject(Object.assign(new Error('Service unavailable'), { status: 503 }));
    await expect(withRetries(down, sleep)).rejects.toThrow('Service unavailable');
  });
});
