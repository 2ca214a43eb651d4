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
  it('reads the project files a checked file imports, and reports a finding in one of them there, once', async () => {
    const alone = JSON.parse((await cli(['check', '--format', 'json', fixturePath('projects/torch-split/train.py')])).stdout);
    expect(alone.files.map((file: { path: string; findings: { line: number; rule: string }[] }) => [file.path.split('/').pop(), file.findings.map((f) => `${f.line} ${f.rule}`)])).toEqual([
      ['train.py', []],
      ['models.py', ['15 double-softmax']],
    ]);
    const both = await cli(['check', fixturePath('projects/torch-split')]);
    expect(both.code).toBe(1);
    expect(both.stdout.match(/double-softmax/g)).toHaveLength(1);
    expect(both.stdout).toMatch(/train\.py line 7: the loss that expects logits/);
    const correct = await cli(['check', fixturePath('projects/torch-package'), fixturePath('projects/keras-split-ok')]);
    expect(correct.code).toBe(0);
  });

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
      message: expect.any(String), model: 'model', layer: 'Conv2D#1', related: [],
    });
    expect(file.models[0]).toMatchObject({
      name: 'model', framework: 'keras', kind: 'sequential', role: 'model', line: 1, input: [null, 100, 100, 3], params: 675722, loss: null, optimizer: null, task: null,
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
    expect(collapse.partialFingerprints).toEqual({ 'footgunFinding/v1': expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('SARIF fingerprints name the finding, not its line: code moved down keeps them', async () => {
    const model = 'model = Sequential([Dense(8, activation="relu"), Dropout(rate=1), Dense(1)])\nmodel.compile(optimizer="adam", loss="accuracy")\n';
    const results = async (source: string) => {
      const sarif = JSON.parse((await cli(['check', 'net.py', '--format', 'sarif'], project({ 'net.py': source }))).stdout);
      return (sarif.runs[0].results as { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[]).map((r) => ({
        rule: r.ruleId,
        line: r.locations[0]!.physicalLocation.region.startLine,
        fingerprint: r.partialFingerprints['footgunFinding/v1'],
      }));
    };
    const before = await results(model);
    const after = await results(`import os\n\n\n${model}`);
    expect(before.map((r) => `${r.rule}:${r.line}`)).toEqual(['dropout-rate:1', 'metric-as-loss:2']);
    expect(after.map((r) => `${r.rule}:${r.line}`)).toEqual(['dropout-rate:4', 'metric-as-loss:5']);
    expect(after.map((r) => r.fingerprint)).toEqual(before.map((r) => r.fingerprint));
    expect(new Set(before.map((r) => r.fingerprint)).size).toBe(2);
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
  it('lists every rule with its severity, and its options with their defaults', async () => {
    const { code, stdout } = await cli(['rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^shape-collapse\s+error\s+/m);
    expect(stdout).toMatch(/^pool-too-large\s+warning\s+.*\n\s+max_size: 4 — largest window side allowed\n\s+max_coverage: 0\.5 — /m);
    const json = JSON.parse((await cli(['rules', '--format', 'json'])).stdout);
    expect(json.find((rule: { id: string }) => rule.id === 'wide-first-conv').options).toEqual([{ name: 'max_filters', default: 255, description: 'the most filters the first convolution may have' }]);
  });

  it('--help names both frameworks and notebooks', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toContain('Keras and PyTorch, in .py files and Jupyter notebooks');
  });
});

/** A notebook as Jupyter writes it: nbformat 4, one-space indent, one source line per file line. */
function notebook(cells: { type?: string; source: string[] }[]): string {
  const source = (lines: string[]) => lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
  const json = {
    cells: cells.map((cell) => ({ cell_type: cell.type ?? 'code', metadata: {}, source: source(cell.source), ...(cell.type ? {} : { execution_count: null, outputs: [] }) })),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(json, null, 1)}\n`;
}

describe('notebooks', () => {
  const cells = [
    { type: 'markdown', source: ['# Training'] },
    { source: ['%matplotlib inline', '!pip install keras', 'from keras.models import Sequential', 'from keras.layers import Dense, Dropout'] },
    { source: ['model = Sequential()', "model.add(Dense(64, activation='relu', input_shape=(20,)))", 'model.add(Dropout(rate=1))', "model.add(Dense(10, activation='softmax'))"] },
    { source: ['get_ipython().run_line_magic("time", "")', "model.compile(optimizer='adam', loss=\"sparse_categorical_accuracy\")"] },
  ];

  it('are analysed as one program of their code cells; text output says cell and line', async () => {
    const root = project({ 'train.ipynb': notebook(cells) });
    const { code, stdout } = await cli(['check', 'train.ipynb'], root);
    expect(code).toBe(1);
    expect(stdout).toMatch(/cell 3, line 3:11 error\s+dropout-rate/);
    expect(stdout).toContain('     3 | model.add(Dropout(rate=1))\n       |           ^^^^^^^^^^^^^^^');
    expect(stdout).toMatch(/cell 4, line 2:38 error\s+metric-as-loss/);
    // 29 characters in the cell, 31 in the file (its quotes are escaped): the caret follows the cell
    expect(stdout).toContain(`       | ${' '.repeat(37)}${'^'.repeat(29)}`);
    expect(stdout).toMatch(/2 problems \(2 errors, 0 warnings, 0 info\) in 1 file, 1 model\./);
  });

  it("JSON and SARIF place findings on the notebook file's own lines, with the cell beside them", async () => {
    const text = notebook(cells);
    const root = project({ 'train.ipynb': text });
    const lines = text.split('\n');
    const dropoutLine = lines.indexOf('    "model.add(Dropout(rate=1))\\n",') + 1;
    const report = JSON.parse((await cli(['check', 'train.ipynb', '--format', 'json'], root)).stdout);
    const [dropout, metric] = report.files[0].findings;
    expect(dropout).toMatchObject({ rule: 'dropout-rate', line: dropoutLine, column: 16, endColumn: 31, notebook: { cell: 3, line: 3, column: 11, endLine: 3, endColumn: 26 } });
    expect(lines[dropoutLine - 1]!.slice(15, 30)).toBe('Dropout(rate=1)');
    // a fix becomes JSON text: the replacement of a quoted string is escaped as the file writes it
    const metricLine = lines[metric.line - 1]!;
    expect(metricLine.slice(metric.fix.range.column - 1, metric.fix.range.endColumn - 1)).toBe('\\"sparse_categorical_accuracy\\"');
    expect(metric.fix.replacement).toBe('\\"sparse_categorical_crossentropy\\"');
    expect(report.files[0].models[0].layers.map((layer: { line: number }) => layer.line)).toEqual([dropoutLine - 1, dropoutLine, dropoutLine + 1]);
    const sarif = JSON.parse((await cli(['check', 'train.ipynb', '--format', 'sarif'], root)).stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'train.ipynb' }, region: { startLine: dropoutLine, startColumn: 16 } });
  });

  it('a message that names a line names its cell', async () => {
    const root = project({
      'nb.ipynb': notebook([
        { source: ['import torch', 'import torch.nn as nn'] },
        { source: ['model = nn.Sequential(nn.Linear(20, 10), nn.Softmax(dim=1))'] },
        { source: ['criterion = nn.CrossEntropyLoss()'] },
      ]),
    });
    const report = JSON.parse((await cli(['check', 'nb.ipynb', '--format', 'json'], root)).stdout);
    const doubled = report.files[0].findings.find((f: { rule: string }) => f.rule === 'double-softmax');
    expect(doubled.message).toContain('nn.CrossEntropyLoss at cell 3, line 1');
    // an nn.Sequential has no forward() of the user's
    expect(doubled.message).toContain('End the nn.Sequential with the logits (drop its final softmax)');
    expect(doubled.related).toEqual([expect.objectContaining({ notebook: { cell: 3, line: 1 } })]);
  });

  it('are found when folders are walked (checkpoints skipped); a bad notebook gets a clear message', async () => {
    const root = project({
      'nb/train.ipynb': notebook(cells),
      'nb/.ipynb_checkpoints/train-checkpoint.ipynb': notebook(cells),
      'nb/broken.ipynb': '{"cells": [',
      'nb/old.ipynb': JSON.stringify({ nbformat: 3, worksheets: [] }),
      'nb/r.ipynb': JSON.stringify({ cells: [], metadata: { kernelspec: { language: 'R' } }, nbformat: 4 }),
    });
    const report = JSON.parse((await cli(['check', '.', '--format', 'json'], root)).stdout);
    expect(report.files.map((f: { path: string; error: string | null }) => [f.path, f.error])).toEqual([
      ['nb/broken.ipynb', expect.stringMatching(/^not a valid notebook: the file is not JSON \(/)],
      ['nb/old.ipynb', 'not read: nbformat 3 notebook; footgun reads nbformat 4 (convert it with `jupyter nbconvert --to notebook --nbformat 4`)'],
      ['nb/r.ipynb', 'skipped: a R notebook, not Python'],
      ['nb/train.ipynb', null],
    ]);
  });

  it('outputs do not count against the size limit: only the code does', async () => {
    const text = notebook(cells).replace('"outputs": []', `"outputs": [{"output_type": "stream", "name": "stdout", "text": ["${'x'.repeat(2 * 1024 * 1024)}"]}]`);
    const root = project({ 'train.ipynb': text });
    const report = JSON.parse((await cli(['check', 'train.ipynb', '--format', 'json'], root)).stdout);
    expect(report.files[0].error).toBeNull();
    expect(report.files[0].findings.map((f: { rule: string }) => f.rule)).toEqual(['dropout-rate', 'metric-as-loss']);
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
