import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it, onTestFinished } from 'vitest';
import { RULES } from '../rules/index.js';
import type { FileResult, Finding } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import type { Config } from '../src/config/config.js';
import { defaultConfig, parseConfig } from '../src/config/config.js';

export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));
}

export function readFixture(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

/** A new folder in the system's temporary folder, removed when the test that made it ends. */
export function temporaryFolder(name: string): string {
  const folder = mkdtempSync(join(tmpdir(), `footgun-${name}-`));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

export function configFrom(yaml?: string): Config {
  if (!yaml) return defaultConfig(RULES);
  const { config, problems } = parseConfig(yaml, RULES);
  if (problems.length > 0) throw new Error(`bad test config: ${JSON.stringify(problems)}`);
  return config;
}

export function analyze(source: string, options: { path?: string; config?: string } = {}): FileResult {
  return analyzeSource(options.path ?? 'model.py', source, configFrom(options.config));
}

export function findingsOf(result: FileResult, rule: string): Finding[] {
  return result.findings.filter((finding) => finding.rule === rule);
}

/** Removes the common indentation of a template literal so test code reads like a Python file. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indents = text.split('\n').filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length);
  const common = Math.min(...indents);
  return text.split('\n').map((line) => line.slice(common)).join('\n');
}

export interface InvalidCase {
  name: string;
  code: string;
  /** every line the rule must fire on, in order */
  lines: number[];
  message?: RegExp;
  severity?: Finding['severity'];
  config?: string;
  fix?: string;
}

export interface ValidCase {
  name: string;
  code: string;
  config?: string;
}

/** Table-driven rule tests in the style of ESLint's RuleTester: the rule fires on exactly these lines, or not at all. */
export function ruleTester(rule: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  for (const testCase of cases.valid) {
    it(`stays silent: ${testCase.name}`, () => {
      const findings = findingsOf(analyze(testCase.code, { config: testCase.config }), rule);
      expect(findings.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
    });
  }
  for (const testCase of cases.invalid) {
    it(`fires: ${testCase.name}`, () => {
      const findings = findingsOf(analyze(testCase.code, { config: testCase.config }), rule);
      expect(findings.map((f) => f.line)).toEqual(testCase.lines);
      if (testCase.message) for (const finding of findings) expect(finding.message).toMatch(testCase.message);
      if (testCase.severity) for (const finding of findings) expect(finding.severity).toBe(testCase.severity);
      if (testCase.fix !== undefined) expect(findings[0]!.fix?.replacement).toBe(testCase.fix);
    });
  }
}

function reviewFixture(relative: string): FileResult {
  return analyzeSource(relative, readFixture(relative), configFrom());
}

/** A finding an idiomatic fixture deliberately keeps, and why it is not noise. */
export interface ExpectedOnIdiomatic {
  file: string;
  rule: string;
  line: number;
  severity: Finding['severity'];
  reason: string;
}

/**
 * Every file of a folder of correct, idiomatic models: no finding of any severity (a false
 * positive is a bug as serious as a miss, and an info finding on correct code is noise in a
 * review too) except the exceptions listed, and at least one model read from each. An exception
 * that no longer fires fails as well, so the list stays true.
 */
export function expectSilentOnIdiomatic(folder: string, minimumFiles: number, exceptions: readonly ExpectedOnIdiomatic[] = []): void {
  const files = readdirSync(fixturePath(folder)).filter((name) => name.endsWith('.py'));
  it(`has at least ${minimumFiles} fixtures to check`, () => {
    expect(files.length).toBeGreaterThanOrEqual(minimumFiles);
  });
  it('every exception names a fixture of the folder and gives a reason', () => {
    for (const exception of exceptions) {
      expect(files).toContain(exception.file);
      expect(exception.reason.length).toBeGreaterThan(20);
    }
  });
  for (const file of files) {
    it(`${file}: no finding of any severity but the listed exceptions, and at least one model read`, () => {
      const result = reviewFixture(`${folder}/${file}`);
      expect(result.error).toBeNull();
      const expected = exceptions.filter((e) => e.file === file).map((e) => `${e.line} ${e.severity} ${e.rule}`);
      expect(result.findings.map((f) => `${f.line} ${f.severity} ${f.rule}: ${f.message}`).filter((f) => !expected.some((e) => f.startsWith(`${e}: `)))).toEqual([]);
      expect(result.findings.map((f) => `${f.line} ${f.severity} ${f.rule}`).sort()).toEqual(expected.sort());
      expect(result.models.length).toBeGreaterThan(0);
    });
  }
}

/** Parameter counts footgun reports for named models of a folder's fixtures, against the framework's. */
export function expectParameterCounts(folder: string, table: readonly [file: string, model: string, params: number][]): void {
  for (const [file, name, params] of table) {
    it(`${file} ${name}: ${params}`, () => {
      expect(reviewFixture(`${folder}/${file}`).models.find((m) => m.name === name)?.params).toBe(params);
    });
  }
}
