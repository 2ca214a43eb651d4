import { describe, expect, it } from 'vitest';
import { DEFAULT_REVIEW } from '../src/config/config.js';
import { withRetries } from '../src/fetch/github.js';
import { buildReview } from '../src/review/build-review.js';
import { commentableLines } from '../src/review/diff.js';
import { fingerprints } from '../src/review/fingerprint.js';
import { MAX_SUMMARY } from '../src/review/summary.js';
import { analyze, readFixture } from './helpers.js';

describe('commentable lines of a patch', () => {
  it('are the added and context lines of each hunk, on the new side', () => {
    const patch = ['@@ -1,3 +1,4 @@', ' a', '-b', '+B', '+C', ' d', '@@ -10,2 +11,2 @@', ' x', '-y', '+Y', '\\ No newline at end of file'].join('\n');
    expect([...commentableLines(patch)]).toEqual([1, 2, 3, 4, 11, 12]);
  });
  it('are none without a patch', () => {
    expect(commentableLines(undefined).size).toBe(0);
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

  // The identity is rule, file, model and the line's code with whitespace and comments
  // normalised; the line number is not part of it.
  const dropout = (code: string, model = 'model') => {
    const source = `model = Sequential()\nmodel.add(Dense(64, activation='relu'))\n${code}\n`;
    const findings = analyze(source).findings.filter((f) => f.rule === 'dropout-rate').map((f) => ({ ...f, model }));
    expect(findings.map((f) => f.line)).toEqual([3]);
    return (path = 'net.py') => fingerprints(path, findings, source)[0];
  };

  it('change when the code of the line changes, though the finding stays on the same line', () => {
    expect(dropout('model.add(Dropout(rate=1.0))')()).not.toBe(dropout('model.add(Dropout(rate=1))')());
  });

  it('ignore whitespace and comments on the line', () => {
    expect(dropout('model.add(Dropout(rate=1))  \t # keep everything?')()).toBe(dropout('model.add(Dropout(rate=1))')());
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
    const plan = buildReview({ files, pythonFiles: 40, fileListTruncated: true, settings: { ...DEFAULT_REVIEW, max_comments: 10 }, prior: [], headSha: 'abc' });
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
    const lenient = buildReview({ files: [file], pythonFiles: 1, fileListTruncated: false, settings: DEFAULT_REVIEW, prior: [], headSha: 'abc' });
    expect(lenient).toMatchObject({ conclusion: 'success', comments: [], body: null });
    const strict = buildReview({ files: [file], pythonFiles: 1, fileListTruncated: false, settings: { ...DEFAULT_REVIEW, fail_on: 'info', comment_min_severity: 'info' }, prior: [], headSha: 'abc' });
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
