// Bad input ends quickly with a clear message or a skip, never a crash or a hang.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../src/analyze.js';
import { analyze, configFrom, findingsOf } from './helpers.js';

const config = configFrom();

describe('bad input', () => {
  it('a binary file is skipped with a message', () => {
    const result = analyzeSource('weights.py', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), config);
    expect(result.error).toMatch(/binary/);
    expect(result.findings).toEqual([]);
  });
  it('a file that is not UTF-8 is skipped with a message', () => {
    const latin1 = new Uint8Array([...Buffer.from('# caf'), 0xe9, ...Buffer.from('\nmodel = Sequential()\n')]);
    expect(analyzeSource('legacy.py', latin1, config).error).toMatch(/not valid UTF-8/);
  });
  it('a UTF-8 byte-order mark is accepted', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('model = Sequential([Dropout(rate=1)])\n')]);
    const result = analyzeSource('bom.py', bytes, config);
    expect(result.error).toBeNull();
    expect(findingsOf(result, 'dropout-rate')).toMatchObject([{ line: 1, column: 21 }]);
  });
  it('an empty file has nothing to report', () => {
    expect(analyze('')).toMatchObject({ error: null, findings: [], models: [] });
  });
  it('a file over the size limit is skipped and says how to raise the limit', () => {
    const result = analyzeSource('huge.py', `x = 1\n${'#'.repeat(70 * 1024)}\n`, configFrom('max_file_kb: 64\n'));
    expect(result.error).toMatch(/over the 64 KB limit.*max_file_kb/);
  });
  it('deeply nested expressions and blocks', () => {
    const nested = `x = ${'('.repeat(3000)}1${')'.repeat(3000)}\nmodel = Sequential([Dropout(rate=1)])\n`;
    expect(findingsOf(analyze(nested), 'dropout-rate')).toHaveLength(1);
    let blocks = '';
    for (let depth = 0; depth < 90; depth++) blocks += `${'    '.repeat(depth)}if True:\n`;
    blocks += `${'    '.repeat(90)}model = Sequential([Dropout(rate=1)])\n`;
    expect(findingsOf(analyze(blocks), 'dropout-rate')).toHaveLength(1);
  });
  it('endless loops and runaway recursion end with a note', () => {
    const result = analyze([
      'def explode(n):',
      '    explode(n)',
      '    explode(n)',
      '    explode(n)',
      '    explode(n)',
      'explode(1)',
      'grid = [[[[[i for i in range(60)] for j in range(60)] for k in range(60)] for l in range(60)] for m in range(60)]',
      'while True:',
      '    model = Sequential([Dropout(rate=1)])',
    ].join('\n'));
    expect(result.error).toBeNull();
    expect(findingsOf(result, 'analysis-limit').length).toBeGreaterThan(0);
  });
  it('random bytes that happen to be text do not crash the parser', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'model.add(Dense(Conv2D[]{}):=,\'" \n\t#123abc_+-*/';
    for (let run = 0; run < 50; run++) {
      const text = Array.from({ length: 400 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(analyze(text).error).toBeNull();
    }
  });
});
