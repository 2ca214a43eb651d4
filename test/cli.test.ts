import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PARALLEL_MIN_BYTES } from '../src/analyze-files.js';
import { run } from '../src/cli/main.js';
import { packageRoot } from '../src/package-info.js';
import { fixturePath, temporaryFolder } from './helpers.js';

const require = createRequire(import.meta.url);

async function cli(args: string[], cwd = packageRoot()) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, isTty: false });
  return { code, stdout, stderr };
}

/**
 * A project folder with these files, removed after the test. It has a configuration of its own
 * (empty unless given), so one in a folder above the temporary folder is never read.
 */
function project(files: Record<string, string | Uint8Array>): string {
  const root = temporaryFolder('cli');
  for (const [path, content] of Object.entries({ '.github/footgun.yml': '', ...files })) {
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

  it('reads the configuration above a folder, but not above the root of a git repository', async () => {
    const outer = temporaryFolder('outer');
    const dropout = 'model = Sequential([Dense(8, activation="relu"), Dropout(rate=1), Dense(1)])\n';
    mkdirSync(join(outer, '.github'));
    writeFileSync(join(outer, '.github', 'footgun.yml'), 'rules:\n  dropout-rate: off\n');
    for (const folder of ['plain', 'repository']) {
      mkdirSync(join(outer, folder));
      writeFileSync(join(outer, folder, 'net.py'), dropout);
    }
    execFileSync('git', ['init', '-q'], { cwd: join(outer, 'repository'), stdio: 'ignore' });
    const rules = async (folder: string) => JSON.parse((await cli(['check', '.', '--format', 'json'], join(outer, folder))).stdout).files[0].findings.map((f: { rule: string }) => f.rule);
    expect(await rules('plain')).toEqual([]);
    expect(await rules('repository')).toEqual(['dropout-rate']);
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

/** 240 copies of the seed files, padded: enough source for analyzeFiles to share it among processes. */
function largeProject(): string {
  const seeds = ['seed_a.py', 'seed_b.py', 'seed_c.py', 'seed_d.py'].map((name) => readFileSync(fixturePath(`seed/${name}`), 'utf8'));
  const files: Record<string, string> = {};
  for (let i = 0; i < 240; i++) files[`models/m${String(i).padStart(3, '0')}.py`] = `${seeds[i % 4]}\n${'# padding\n'.repeat(200)}`;
  const bytes = Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  expect(bytes).toBeGreaterThan(PARALLEL_MIN_BYTES);
  return project(files);
}

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** Compiles dist/ when a source is newer than it, so bin/footgun.js never runs stale code. */
function buildIfStale(): void {
  const root = packageRoot();
  const built = statSync(join(root, 'dist', 'src', 'cli', 'bin.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = ['src', 'rules', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((name) => newestChange(join(root, name)));
  if (Math.max(...sources) > built) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
}

describe('worker processes and the installed command', () => {
  // TSX_DISABLE_CACHE: tsx would otherwise leave its compile cache in the temporary folder
  const runJson = (command: string[], root: string) =>
    spawnSync(process.execPath, [...command, 'check', '.', '--format', 'json', '--jobs', '2'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TSX_DISABLE_CACHE: '1' } });

  it('worker processes give the same report as one process, run from the source', async () => {
    const root = largeProject();
    const single = await cli(['check', '.', '--format', 'json', '--jobs', '1'], root);
    expect(single.stderr).toBe('');
    expect(single.code).toBe(1);
    const report = JSON.parse(single.stdout);
    expect(report.summary.files).toBe(240);
    expect(report.summary.error).toBe(60 * 7);
    // the workers fork analysis-worker.ts and inherit the TypeScript loader from this process
    const parallel = runJson(['--import', pathToFileURL(require.resolve('tsx')).href, fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url))], root);
    expect(parallel.stderr).toBe('');
    expect(parallel.status).toBe(1);
    expect(parallel.stdout).toBe(single.stdout);
  }, 120_000);

  it('bin/footgun.js runs the build of the current source, with worker processes', async () => {
    buildIfStale();
    const root = largeProject();
    const single = await cli(['check', '.', '--format', 'json', '--jobs', '1'], root);
    const installed = runJson([fileURLToPath(new URL('../bin/footgun.js', import.meta.url))], root);
    expect(installed.stderr).toBe('');
    expect(installed.status).toBe(1);
    expect(installed.stdout).toBe(single.stdout);
  }, 120_000);
});
