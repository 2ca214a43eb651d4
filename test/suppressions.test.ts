import { describe, expect, it } from 'vitest';
import { analyze, py } from './helpers.js';

const BAD = py`
  model = Sequential()
  model.add(Dense(64, activation='relu'))
  model.add(Dropout(rate=1))
  model.add(Conv2D(8, 11))
  model.add(Flatten())
  model.add(Dense(10, activation='softmax'))`;

describe('suppression comments', () => {
  it('ignore[rule] on the line silences that rule only', () => {
    const code = BAD.replace('Dropout(rate=1))', 'Dropout(rate=1))  # footgun: ignore[dropout-rate]');
    expect(analyze(code).findings.map((f) => f.rule)).not.toContain('dropout-rate');
    expect(analyze(code).findings.map((f) => f.rule)).toContain('large-kernel');
  });
  it('a comment line above covers the next line', () => {
    const code = BAD.replace("model.add(Dropout(rate=1))", "# footgun: ignore[dropout-rate, large-kernel]\nmodel.add(Dropout(rate=1))");
    const rules = analyze(code).findings.map((f) => f.rule);
    expect(rules).not.toContain('dropout-rate');
    expect(rules).toContain('large-kernel');
  });
  it('a trailing comment on the line above does not cover the next line', () => {
    const code = BAD.replace("model.add(Dense(64, activation='relu'))", "model.add(Dense(64, activation='relu'))  # footgun: ignore[dropout-rate]");
    expect(analyze(code).findings.map((f) => f.rule)).toContain('dropout-rate');
  });
  it('ignore-file[rule] anywhere in the file', () => {
    const rules = analyze(`${BAD}\n# footgun: ignore-file[large-kernel]\n`).findings.map((f) => f.rule);
    expect(rules).not.toContain('large-kernel');
    expect(rules).toContain('dropout-rate');
  });
  it('bare ignore silences every rule on the line', () => {
    const code = BAD.replace('Conv2D(8, 11))', 'Conv2D(8, 11))  # footgun: ignore');
    expect(analyze(code).findings.filter((f) => f.line === 4)).toEqual([]);
  });
  it('an unknown rule id is reported where it is written', () => {
    const code = BAD.replace('Dropout(rate=1))', 'Dropout(rate=1))  # footgun: ignore[dropout-rat]');
    const bad = analyze(code).findings.find((f) => f.rule === 'bad-suppression');
    expect(bad).toMatchObject({ line: 3, column: 47, severity: 'warning' });
    expect(analyze(code).findings.map((f) => f.rule)).toContain('dropout-rate');
  });
});
