// End to end, one process as `npm start` runs it (no Redis): the real HTTP server in a child
// process, webhook deliveries signed with WEBHOOK_SECRET (HMAC SHA-256), genuine payloads, and a
// fake GitHub API on loopback. Needs `npm run build` (npm test builds first).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeFile } from '../../scripts/fake-github.js';
import { FakeGitHub, deliverWebhook, pullRequestPayload } from '../../scripts/fake-github.js';
import type { ServerProcess } from '../../scripts/server-process.js';
import { appKeys, startServerProcess } from '../../scripts/server-process.js';
import { readFixture } from '../helpers.js';
import { changePatch } from './github-mock.js';

const SECRET = 'e2e-webhook-secret';
const keys = appKeys();
const github = new FakeGitHub({ appPublicKey: keys.publicKey, latencyMs: 20 });
let server: ServerProcess;
const seedD = readFixture('seed/seed_d.py');

beforeAll(async () => {
  await github.start();
  server = await startServerProcess({ keys, githubApi: github.url, secret: SECRET });
}, 60_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await github.stop();
});

const pull = (number: number, headSha: string, files: FakeFile[] = [{ filename: 'net.py', content: seedD }]) => github.push({ owner: 'octo-org', repo: 'models', number, installationId: 7, headSha, files });
const webhooks = () => `${server.url}/api/github/webhooks`;

async function until<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
  }
  throw new Error(`timed out waiting for ${what}\n${server.output().slice(-3000)}`);
}

const completedRun = (sha: string) => [...github.checkRuns.values()].find((run) => run.headSha === sha && run.status === 'completed');

describe('the webhook server (one process)', { timeout: 30_000 }, () => {
  it('rejects a delivery with a bad signature and asks GitHub for nothing', async () => {
    const body = JSON.stringify(pullRequestPayload('opened', { owner: 'octo-org', repo: 'models', number: 1, installationId: 7, headSha: 'f'.repeat(40) }));
    const response = await fetch(webhooks(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'bad-1', 'x-hub-signature-256': `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}` },
      body,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(github.calls).toEqual([]);
  });

  it('answers a signed delivery, then reviews it off the handler: check run, one review, conclusion', async () => {
    const sha = '1'.repeat(40);
    pull(2, sha);
    const response = await deliverWebhook(webhooks(), SECRET, 'pull_request', 'good-1', pullRequestPayload('opened', { owner: 'octo-org', repo: 'models', number: 2, installationId: 7, headSha: sha }));
    expect(response.status).toBe(200);
    const run = await until('the check run to complete', () => completedRun(sha));
    expect(run.conclusion).toBe('failure');
    expect(github.reviewsByCommit('octo-org/models#2').get(sha)).toBe(1);
    expect(github.pulls.get('octo-org/models#2')!.comments.map((comment) => comment.line)).toEqual(expect.arrayContaining([17, 19, 20]));
  });

  it('reviews what the pull request changed: the new mistake inline, the others already there', async () => {
    const sha = '5'.repeat(40);
    const after = seedD.replace('model.add(Flatten())', 'model.add(Flatten())\nmodel.add(Dropout(rate=1))');
    const event = pullRequestPayload('opened', { owner: 'octo-org', repo: 'models', number: 5, installationId: 7, headSha: sha });
    pull(5, event.pull_request.base.sha, [{ filename: 'net.py', content: seedD }]);
    pull(5, sha, [{ filename: 'net.py', content: after, status: 'modified', patch: changePatch(seedD, after) }]);
    expect((await deliverWebhook(webhooks(), SECRET, 'pull_request', 'change-1', event)).status).toBe(200);
    const run = await until('the check run to complete', () => completedRun(sha));
    expect(run.conclusion).toBe('failure');
    expect(run.output?.title).toBe('1 new error · 12 already there');
    expect(github.pulls.get('octo-org/models#5')!.comments.map((comment) => [comment.line, String(comment.body).includes('`dropout-rate`')])).toEqual([[16, true]]);
  });

  it('a redelivery and a second event for the same commit post no second review', async () => {
    const sha = '2'.repeat(40);
    pull(3, sha);
    const event = pullRequestPayload('opened', { owner: 'octo-org', repo: 'models', number: 3, installationId: 7, headSha: sha });
    expect((await deliverWebhook(webhooks(), SECRET, 'pull_request', 'dup-1', event)).status).toBe(200);
    expect((await deliverWebhook(webhooks(), SECRET, 'pull_request', 'dup-1', event)).status).toBe(200);
    expect((await deliverWebhook(webhooks(), SECRET, 'pull_request', 'dup-2', pullRequestPayload('reopened', { owner: 'octo-org', repo: 'models', number: 3, installationId: 7, headSha: sha }))).status).toBe(200);
    await until('the check run to complete', () => completedRun(sha));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(github.reviewsByCommit('octo-org/models#3').get(sha)).toBe(1);
    expect([...github.checkRuns.values()].filter((run) => run.headSha === sha)).toHaveLength(1);
    expect(server.output()).toContain('delivery dup-1 for octo-org/models#3@2222222 ignored: this delivery was already received');
  });

  it('a push that supersedes the commit under review: only the newest head gets a review', async () => {
    const old = '3'.repeat(40);
    const newer = '4'.repeat(40);
    pull(4, old);
    await deliverWebhook(webhooks(), SECRET, 'pull_request', 'push-1', pullRequestPayload('opened', { owner: 'octo-org', repo: 'models', number: 4, installationId: 7, headSha: old, updatedAt: new Date(Date.now() - 1000) }));
    pull(4, newer);
    await deliverWebhook(webhooks(), SECRET, 'pull_request', 'push-2', pullRequestPayload('synchronize', { owner: 'octo-org', repo: 'models', number: 4, installationId: 7, headSha: newer }));
    await until('the newest head to be reviewed', () => completedRun(newer));
    await until('the old head to be dropped', () => /superseded: .*3333333/.test(server.output()));
    const reviews = github.reviewsByCommit('octo-org/models#4');
    expect(reviews.get(newer)).toBe(1);
    expect(reviews.get(old)).toBeUndefined();
    const oldRun = [...github.checkRuns.values()].find((run) => run.headSha === old);
    if (oldRun) expect(oldRun).toMatchObject({ status: 'completed', conclusion: 'neutral' });
  });

  it('serves /healthz and /metrics', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', queue: 'memory' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/footgun_review_jobs_total\{outcome="reviewed"\} [1-9]/);
    expect(metrics).toMatch(/footgun_github_requests_total\{method="POST",status="201"\} [1-9]/);
    expect(metrics).toMatch(/footgun_webhook_deliveries_total\{event="pull_request",outcome="duplicate-delivery"\} 1/);
    expect(metrics).toMatch(/footgun_github_rate_limit_remaining \d+/);
  });

  it('stops on SIGTERM: the process exits and frees its port', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(server.output()).toContain('SIGTERM: no new webhooks or jobs');
  });
});

describe('npm start', { timeout: 60_000 }, () => {
  it('stops with the server process on SIGTERM: npm exits 0 and the port is free', async () => {
    const { spawn } = await import('node:child_process');
    const { freePort } = await import('../../scripts/redis-server.js');
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, APP_ID: '1', PRIVATE_KEY: keys.privateKey, WEBHOOK_SECRET: SECRET, HOST: '127.0.0.1', PORT: String(port), FOOTGUN_ANALYSIS_PROCESSES: '1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const healthz = () => fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.status, () => 0);
    for (let i = 0; i < 300 && (await healthz()) !== 200; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await healthz()).toBe(200);
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await healthz()).toBe(0);
  });
});
