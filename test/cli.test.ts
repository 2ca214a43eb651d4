import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { fixturePath } from './helpers.js';

async function cli(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, isTty: false });
  return { code, stdout, stderr };
}

function project(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'footgun-cli-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('footgun check', () => {
  it('text output groups findings by file with the source line, and exits 1 on errors', async () => {
    const { code, stdout } = await cli(['check', fixturePath('seed')]);
    expect(code).toBe(1);
    expect(stdout).toContain('seed_d.py');
    expect(stdout).toMatch(/17:11\s+error\s+dropout-rate/);
    expect(stdout).toContain('    17 | model.add(Dropout(rate=1))');
    expect(stdout).toMatch(/\d+ problems \(7 errors, 12 warnings, 7 info\) in 4 files, 4 models\./);
  });

  it('JSON output follows the version 1 contract', async () => {
    const { code, stdout } = await cli(['check', fixturePath('seed/seed_d.py'), '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({ files: 1, models: 1, error: 2, warning: 6, info: 4 });
    const [file] = report.files;
    expect(file.error).toBeNull();
    expect(file.findings[0]).toEqual({
      rule: 'wide-first-conv', severity: 'warning', line: 4, column: 11, endLine: 4, endColumn: 87,
      message: expect.any(String), model: 'model', related: [],
    });
    expect(file.models[0]).toMatchObject({
      name: 'model', framework: 'keras', kind: 'sequential', line: 1, input: [null, 100, 100, 3], params: 675722, loss: null, optimizer: null, task: null,
    });
    expect(file.models[0].layers[0]).toEqual({ type: 'Conv2D', line: 4, output: [null, 98, 98, 512], params: 14336 });
  });

  it('SARIF output lists every rule with help and places results', async () => {
    const { stdout } = await cli(['check', fixturePath('seed/seed_c.py'), '--format', 'sarif']);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('shape-collapse');
    expect(run0.tool.driver.rules.every((r: { help: { markdown: string } }) => r.help.markdown.includes('## Why is this bad?'))).toBe(true);
    const collapse = run0.results.find((r: { ruleId: string }) => r.ruleId === 'shape-collapse');
    expect(collapse.level).toBe('error');
    expect(collapse.locations[0].physicalLocation.region).toMatchObject({ startLine: 4, startColumn: 12 });
  });

  it('--fail-on decides the exit code', async () => {
    const file = fixturePath('keras/idiomatic/text_classification.py');
    expect((await cli(['check', file])).code).toBe(0);
    expect((await cli(['check', file, '--fail-on', 'info'])).code).toBe(1);
    expect((await cli(['check', fixturePath('seed'), '--fail-on', 'never'])).code).toBe(0);
  });

  it('usage errors exit 2 with a message', async () => {
    expect((await cli(['check', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['check', '--bogus'])).stderr).toMatch(/Unknown option/);
    expect((await cli(['lint'])).code).toBe(2);
    const missing = await cli(['check', 'no/such/file.py']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder: no/such/file.py');
  });

  it('walks folders, applies include/exclude from .github/footgun.yml, skips virtualenvs and node_modules', async () => {
    const root = project({
      '.github/footgun.yml': 'exclude: ["third_party/**"]\nrules:\n  dropout-rate: warning\n',
      'models/net.py': 'model = Sequential([Dense(8, activation="relu"), Dropout(rate=1), Dense(1)])\n',
      'third_party/lib.py': 'model = Sequential([Dropout(rate=1)])\n',
      'node_modules/x/y.py': 'model = Sequential([Dropout(rate=1)])\n',
      '.venv/pyvenv.cfg': 'home = /usr/bin\n',
      '.venv/lib/z.py': 'model = Sequential([Dropout(rate=1)])\n',
      'notes.txt': 'not python',
    });
    const { code, stdout } = await cli(['check', '.', '--format', 'json'], root);
    const report = JSON.parse(stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(['models/net.py']);
    expect(report.files[0].findings[0]).toMatchObject({ rule: 'dropout-rate', severity: 'warning' });
    expect(code).toBe(0);
  });

  it('walks every folder named, also one outside the project of the first', async () => {
    const first = project({ 'a.py': 'model = Sequential([Dense(8, activation="relu"), Dropout(rate=1), Dense(1)])\n' });
    const second = project({ 'models/b.py': 'model = Sequential([Dense(8, activation="relu"), Dropout(rate=1), Dense(1)])\n' });
    const { stdout } = await cli(['check', first, second, '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(report.files.map((f: { path: string }) => f.path.split('/').slice(-2).join('/'))).toEqual([`${first.split('/').pop()}/a.py`, 'models/b.py']);
  });

  it('an invalid config exits 2 and names the key', async () => {
    const root = project({ '.github/footgun.yml': 'rules:\n  large-kernl: off\n', 'a.py': 'x = 1\n' });
    const { code, stderr } = await cli(['check', '.'], root);
    expect(code).toBe(2);
    expect(stderr).toContain("line 2: rules.large-kernl: unknown rule 'large-kernl' (did you mean 'large-kernel'?)");
  });

  it('one bad file does not stop the review of the others', async () => {
    const root = project({
      'a_binary.py': new Uint8Array([0, 1, 2, 3]),
      'b_broken.py': 'model = Sequential(\nmodel.add(Dropout(rate=1))\n',
      'c_good.py': 'model = Sequential([Dense(8, activation="relu"), Dropout(rate=1), Dense(1)])\n',
    });
    const report = JSON.parse((await cli(['check', '.', '--format', 'json'], root)).stdout);
    expect(report.files.map((f: { path: string; error: string | null; findings: { rule: string }[] }) => [f.path, f.error !== null, f.findings.map((x) => x.rule)])).toEqual([
      ['a_binary.py', true, []],
      ['b_broken.py', false, ['syntax-error', 'dropout-rate']],
      ['c_good.py', false, ['dropout-rate']],
    ]);
  });
});

describe('footgun rules', () => {
  it('lists every rule with its severity', async () => {
    const { code, stdout } = await cli(['rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^shape-collapse\s+error\s+/m);
  });
});

describe('the installed command', () => {
  const bin = fileURLToPath(new URL('../bin/footgun.js', import.meta.url));

  it('runs from bin/footgun.js, and worker processes give the same report as one', () => {
    const seeds = ['seed_a.py', 'seed_b.py', 'seed_c.py', 'seed_d.py'].map((name) => readFileSync(fixturePath(`seed/${name}`), 'utf8'));
    const files: Record<string, string> = {};
    for (let i = 0; i < 240; i++) files[`models/m${String(i).padStart(3, '0')}.py`] = `${seeds[i % 4]}\n${'# padding\n'.repeat(200)}`;
    const root = project(files);
    const runBin = (jobs: string) => spawnSync(process.execPath, [bin, 'check', '.', '--format', 'json', '--jobs', jobs], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const single = runBin('1');
    const parallel = runBin('2');
    expect(single.stderr).toBe('');
    expect(single.status).toBe(1);
    expect(parallel.status).toBe(1);
    const report = JSON.parse(single.stdout);
    expect(report.summary.files).toBe(240);
    expect(report.summary.error).toBe(60 * 7);
    expect(parallel.stdout).toBe(single.stdout);
  }, 60_000);
});
