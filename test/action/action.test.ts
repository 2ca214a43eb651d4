// The GitHub Action's entry point as a runner starts it (action.yml): GITHUB_EVENT_PATH with a
// genuine pull_request payload, GITHUB_API_URL pointed at a fake GitHub API on loopback,
// GITHUB_TOKEN with write access or read-only (a fork's). Needs `npm run build`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, pullRequestPayload } from '../../scripts/fake-github.js';
import { readFixture } from '../helpers.js';

const ENTRY = fileURLToPath(new URL('../../dist/src/action/main.js', import.meta.url));
const github = new FakeGitHub({ latencyMs: 5 });
const folder = mkdtempSync(join(tmpdir(), 'footgun-action-'));

beforeAll(async () => {
  await github.start();
  github.addToken('ghs_write');
  github.addToken('ghs_fork', true);
});
afterAll(() => github.stop());

async function runAction(token: string, number: number, eventName = 'pull_request') {
  const headSha = String(number).repeat(40).slice(0, 40);
  github.push({ owner: 'octo-org', repo: 'models', number, installationId: 1, headSha, files: [{ filename: 'net.py', content: readFixture('seed/seed_d.py') }] });
  const eventPath = join(folder, `event-${number}.json`);
  writeFileSync(eventPath, JSON.stringify(pullRequestPayload('opened', { owner: 'octo-org', repo: 'models', number, installationId: 1, headSha })));
  const summary = join(folder, `summary-${number}.md`);
  const output = join(folder, `output-${number}.txt`);
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const child = spawn(process.execPath, [ENTRY], {
    env: { PATH: process.env.PATH, GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: github.url, GITHUB_TOKEN: token, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, headSha, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8') };
}

describe('the GitHub Action', { timeout: 60_000 }, () => {
  it('with a token that may write: the check run, the review and the job summary, and the step fails with the check', async () => {
    const run = await runAction('ghs_write', 1);
    expect(run.code).toBe(1);
    const check = [...github.checkRuns.values()].find((candidate) => candidate.headSha === run.headSha)!;
    expect(check).toMatchObject({ name: 'footgun', status: 'completed', conclusion: 'failure' });
    expect(github.reviewsByCommit('octo-org/models#1').get(run.headSha)).toBe(1);
    expect(run.summary).toContain('| `net.py` |');
    expect(run.output).toBe('conclusion=failure\n');
    expect(run.stdout).not.toContain('::error file=');
  });

  it("with a fork's read-only token: a clear message, and the review as annotations in the log and the summary", async () => {
    const writesBefore = github.writes().length;
    const run = await runAction('ghs_fork', 2);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::warning title=footgun could not post its review::GitHub refused a write with this token \(Resource not accessible by integration/);
    expect(run.stdout).toMatch(/::error file=net\.py,line=17,endLine=17,title=[^:]*dropout-rate[^:]*::Dropout\(rate=1\) drops every activation/);
    expect(run.stdout).toMatch(/::warning file=net\.py,line=19,/);
    // one refused write, then nothing more is sent
    expect(github.writes().slice(writesBefore).map((call) => call.status)).toEqual([403]);
    expect(run.summary).toContain('The review footgun would have posted');
    expect(run.output).toBe('conclusion=failure\n');
  });

  it('on an event that is not a pull request: says what it does and succeeds', async () => {
    const run = await runAction('ghs_write', 3, 'push');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("footgun reviews pull requests; this workflow ran on 'push'");
  });

  it('action.yml installs footgun in the action folder and runs the entry point or the SARIF writer', () => {
    const action = parse(readFileSync(fileURLToPath(new URL('../../action.yml', import.meta.url)), 'utf8'));
    expect(action.runs.using).toBe('composite');
    const scripts = action.runs.steps.map((step: { run?: string }) => step.run ?? '').join('\n');
    expect(scripts).toContain('npm ci');
    expect(scripts).toContain('dist/src/action/main.js');
    expect(scripts).toContain('check --format sarif');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['token', 'sarif', 'sarif-file']));
  });
});
