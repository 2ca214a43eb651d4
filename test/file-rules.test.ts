import { describe, expect, it } from 'vitest';
import { analyze, findingsOf, py } from './helpers.js';

describe('syntax-error', () => {
  it('points at an unclosed bracket and analyses the rest of the file', () => {
    const result = analyze(py`
      model = Sequential()
      model.add(Dense(64, activation='relu')
      model.add(Dropout(rate=1))`);
    expect(findingsOf(result, 'syntax-error')).toMatchObject([{ line: 2, column: 10, severity: 'error' }]);
    expect(findingsOf(result, 'dropout-rate').map((f) => f.line)).toEqual([3]);
  });
  it('reports other syntax errors at their position', () => {
    const result = analyze(py`
      model = Sequential()
      def broken(:
          pass
      model.add(Dropout(rate=1))`);
    const [finding] = findingsOf(result, 'syntax-error');
    expect(finding!.line).toBe(2);
    expect(finding!.message).toMatch(/cannot parse/);
  });
  it('never calls a bracket unclosed when the file closes it, however oddly indented', () => {
    const result = analyze('def f():\n    (bar.\nbaz)\n    return 1\nmodel = Sequential([Dropout(rate=1)])\n');
    expect(findingsOf(result, 'syntax-error').map((f) => f.message).join()).not.toContain('never closed');
    expect(findingsOf(result, 'syntax-error')[0]!.line).toBe(2);
  });
  it('is silent on valid Python', () => {
    expect(findingsOf(analyze('x = 1\n'), 'syntax-error')).toEqual([]);
  });
});

describe('analysis-limit', () => {
  it('says where a loop was cut short, and the review of the file goes on', () => {
    const result = analyze(py`
      model = Sequential([InputLayer((32,))])
      for i in range(10**9):
          model.add(Dense(64, activation='relu'))
      model.add(Dropout(rate=1))`);
    expect(findingsOf(result, 'analysis-limit')).toMatchObject([{ line: 2, severity: 'info' }]);
    expect(findingsOf(result, 'analysis-limit')[0]!.message).toContain('1,000,000,000 times');
    expect(findingsOf(result, 'dropout-rate').map((f) => f.line)).toEqual([4]);
  });
  const LONG_RUN = (imports: string) => py`
    ${imports}
    for a in range(40):
        for b in range(40):
            for c in range(40):
                os.path.join(str(a), str(b), str(c))`;
  it('says where the statement budget ran out before the file built its model', () => {
    const result = analyze(`${LONG_RUN('import os\nimport torch.nn as nn')}\nmodel = nn.Sequential(nn.Linear(4, 2), nn.Dropout(1.0))\n`);
    expect(findingsOf(result, 'analysis-limit').map((f) => f.message)).toEqual([expect.stringContaining('models built after this point are not analysed')]);
  });
  it('stays silent when a long file builds no model and imports no framework, whatever words it uses', () => {
    expect(findingsOf(analyze(LONG_RUN('"""Model the Input, then Add it to the Sequential log."""\nimport os')), 'analysis-limit')).toEqual([]);
  });
});
