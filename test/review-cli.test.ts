// `footgun review`: the App's review of a pull request, made locally from a git checkout.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../src/cli/main.js';
import { fixturePath, temporaryFolder } from './helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A repository whose branch `feature` adds seed_d.py as models/net.py to `main`; `root` defaults to a new temporary folder. */
function repository(root = temporaryFolder('review')): string {
  mkdirSync(root, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  // the first branch is main whatever init.defaultBranch says (`git init -b` needs git 2.28)
  git('symbolic-ref', 'HEAD', 'refs/heads/main');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  mkdirSync(join(root, 'models'));
  writeFileSync(join(root, 'models', 'old.py'), 'model = Sequential([Dropout(rate=1)])\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'feature');
  copyFileSync(fixturePath('seed/seed_d.py'), join(root, 'models', 'net.py'));
  git('add', '.');
  git('commit', '-qm', 'add a model');
  return root;
}

async function review(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(['review', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, isTty: false });
  return { code, stdout, stderr };
}

describe('footgun review', () => {
  it('reviews the changes since the merge base with the default branch, as the App would', async () => {
    const { code, stdout } = await review(['--format', 'json'], repository());
    expect(code).toBe(1);
    const plan = JSON.parse(stdout);
    expect(plan.conclusion).toBe('failure');
    expect(plan.comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`)).toContain('models/net.py:17');
    // the unchanged file's old mistake is not part of this review
    expect(plan.comments.some((c: { path: string }) => c.path === 'models/old.py')).toBe(false);
    expect(plan.annotations).toHaveLength(12);
  });

  it('prints Markdown with the inline comments, the findings below the comment threshold collapsed, and the check-run summary', async () => {
    const { stdout } = await review([], repository());
    expect(stdout).toMatch(/^# footgun review: failure · 2 new errors, 6 new warnings, 4 new info/);
    expect(stdout).toContain('### `models/net.py:17`');
    expect(stdout).toContain('```suggestion\nmodel.add(Dropout(rate=0.5))\n```');
    expect(stdout).toContain('<details><summary>4 new findings below `review.comment_min_severity` (check-run annotations only)</summary>');
    expect(stdout).toContain('- `models/net.py:8` · `shrinking-filters` · info:');
    expect(stdout).toContain('## Check run');
  });

  it('--base picks another base; git errors say what to do', async () => {
    const root = repository();
    const { stdout } = await review(['--base', 'HEAD', '--format', 'json'], root);
    expect(JSON.parse(stdout).conclusion).toBe('neutral');
    const bad = await review(['--base', 'no-such-ref'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('footgun: --base no-such-ref: no such commit in this repository. Name a branch, tag or commit that exists here (`git fetch origin no-such-ref` first when it is only on the remote).\n');
  });

  it('reads the configuration of the repository, not of a folder above it', async () => {
    const outer = temporaryFolder('outer');
    mkdirSync(join(outer, '.github'));
    writeFileSync(join(outer, '.github', 'footgun.yml'), 'rules:\n  dropout-rate: off\n');
    const { stdout } = await review(['--format', 'json'], repository(join(outer, 'repository')));
    expect(JSON.parse(stdout).comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`)).toContain('models/net.py:17');
  });

  it('outside a git repository it says so, and what to run instead, and exits 2', async () => {
    const folder = temporaryFolder('nogit');
    // git must not find a repository above the temporary folder (TMPDIR inside a checkout)
    vi.stubEnv('GIT_CEILING_DIRECTORIES', dirname(folder));
    const { code, stderr } = await review([], folder);
    expect(code).toBe(2);
    expect(stderr).toContain(`footgun: ${folder} is not in a git repository`);
    expect(stderr).toContain('use `footgun check PATH` to check files without git');
  });

  it('without a default branch it asks for --base', async () => {
    const root = repository();
    execFileSync('git', ['branch', '-m', 'main', 'trunk'], { cwd: root });
    const { code, stderr } = await review([], root);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot tell the default branch .*: pass --base REF/);
  });

  it('tells new findings from those already there, lists fixed ones, diffs the models; untracked files count', async () => {
    const root = repository();
    // the working tree: old.py fixed and widened, a new untracked notebook-free script with a mistake
    writeFileSync(join(root, 'models', 'old.py'), 'model = Sequential([Dense(16, input_shape=(4,)), Dropout(rate=0.5)])\n');
    writeFileSync(join(root, 'models', 'extra.py'), 'm = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dropout(rate=1), Dense(1)])\n');
    const { stdout } = await review(['--format', 'json'], root);
    const plan = JSON.parse(stdout);
    expect(plan.findings.fixed.map((f: { path: string; rule: string }) => `${f.path} ${f.rule}`)).toEqual(['models/old.py dropout-rate']);
    expect(plan.findings.new.map((f: { path: string }) => f.path)).toContain('models/extra.py');
    expect(plan.findings.existing).toEqual([]);
    const old = plan.architecture.find((change: { path: string }) => change.path === 'models/old.py');
    expect(old).toMatchObject({ change: 'changed', before: { params: null }, after: { params: 80 } });
    expect(old.layers.map((layer: { change: string; after?: { type: string } }) => `${layer.change} ${layer.after?.type ?? ''}`)).toEqual(['added Dense', 'changed Dropout']);
    expect(plan.architecture.map((change: { path: string; change: string }) => `${change.path} ${change.change}`)).toEqual(['models/net.py added', 'models/old.py changed', 'models/extra.py added']);
  });
});
