// End to end with Redis, as a deployment with several instances runs: a real redis-server, two
// web and two worker processes (`FOOTGUN_ROLE`), a fake GitHub API on loopback. Needs
// `npm run build` and Debian's redis-server (.ci/run installs it). With REDIS_URL, Probot's own
// rate limiting loads ioredis too (npm start used to crash there with ERR_MODULE_NOT_FOUND).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, deliverWebhook, pullRequestPayload } from '../../scripts/fake-github.js';
import type { LocalRedis } from '../../scripts/redis-server.js';
import { startRedis } from '../../scripts/redis-server.js';
import type { ServerProcess } from '../../scripts/server-process.js';
import { appKeys, startServerProcess } from '../../scripts/server-process.js';
import { readFixture } from '../helpers.js';

const SECRET = 'redis-e2e-secret';
const keys = appKeys();
const github = new FakeGitHub({ appPublicKey: keys.publicKey, latencyMs: 20 });
let redis: LocalRedis;
let webs: ServerProcess[] = [];
let workers: ServerProcess[] = [];
const seedD = readFixture('seed/seed_d.py');
const repo = { owner: 'octo-org', repo: 'models', installationId: 9 };

beforeAll(async () => {
  redis = await startRedis();
  await github.start();
  const start = (role: string) => startServerProcess({ keys, githubApi: github.url, secret: SECRET, env: { FOOTGUN_ROLE: role, REDIS_URL: redis.url, FOOTGUN_JOB_LOCK_SECONDS: '2', FOOTGUN_DRAIN_SECONDS: '2', FOOTGUN_IN_PROGRESS_AFTER_MS: '0' } });
  webs = await Promise.all([start('web'), start('web')]);
  workers = await Promise.all([start('worker'), start('worker')]);
}, 90_000);

afterAll(async () => {
  await Promise.all([...webs, ...workers].map((server) => server.stop('SIGKILL')));
  await github.stop();
  await redis?.dispose();
});

const hook = (web: ServerProcess) => `${web.url}/api/github/webhooks`;
const completedRun = (sha: string) => [...github.checkRuns.values()].find((run) => run.headSha === sha && run.status === 'completed');
const logs = () => [...webs, ...workers].map((server) => server.output()).join('\n');

async function until<T>(what: string, probe: () => T | undefined | false, ms = 40_000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
  }
  throw new Error(`timed out waiting for ${what}\n${logs().split('\n').filter((line) => !line.includes('ECONNREFUSED')).join('\n').slice(-6000)}`);
}

describe('web and worker instances sharing Redis', { timeout: 60_000 }, () => {
  it('a delivery sent to both web instances, and a second event for the commit, make one review', async () => {
    const sha = 'a1'.repeat(20);
    github.push({ ...repo, number: 1, headSha: sha, files: [{ filename: 'net.py', content: seedD }] });
    const event = pullRequestPayload('opened', { ...repo, number: 1, headSha: sha });
    const answers = await Promise.all([deliverWebhook(hook(webs[0]!), SECRET, 'pull_request', 'r-1', event), deliverWebhook(hook(webs[1]!), SECRET, 'pull_request', 'r-1', event)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect((await deliverWebhook(hook(webs[1]!), SECRET, 'pull_request', 'r-2', pullRequestPayload('reopened', { ...repo, number: 1, headSha: sha }))).status).toBe(200);
    await until('the review', () => completedRun(sha));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(github.reviewsByCommit('octo-org/models#1').get(sha)).toBe(1);
    expect([...github.checkRuns.values()].filter((run) => run.headSha === sha)).toHaveLength(1);
    expect(logs()).toMatch(/delivery r-1 for octo-org\/models#1@a1a1a1a ignored: this delivery was already received/);
  });

  // the check run shows the review in progress at once (FOOTGUN_IN_PROGRESS_AFTER_MS=0), so the worker is killed before it posts
  it('a worker killed mid-review: the other takes the job over and posts exactly one review on the same check run', async () => {
    const sha = 'b2'.repeat(20);
    github.push({ ...repo, number: 2, headSha: sha, files: Array.from({ length: 6 }, (_, i) => ({ filename: `m${i}.py`, content: seedD })) });
    expect((await deliverWebhook(hook(webs[0]!), SECRET, 'pull_request', 'k-1', pullRequestPayload('opened', { ...repo, number: 2, headSha: sha }))).status).toBe(200);
    const victim = await until('a worker to start the review', () => workers.find((worker) => worker.output().includes('reviewing octo-org/models#2@b2b2b2b')));
    await until('its check run', () => [...github.checkRuns.values()].find((run) => run.headSha === sha));
    expect(await victim.stop('SIGKILL')).toBe('SIGKILL');
    const survivor = workers.find((worker) => worker !== victim)!;
    await until('the review to complete', () => completedRun(sha));
    expect(survivor.output()).toMatch(/reviewing octo-org\/models#2@b2b2b2b \(attempt \d, check run \d+ from an earlier attempt\)/);
    expect(github.reviewsByCommit('octo-org/models#2').get(sha)).toBe(1);
    expect([...github.checkRuns.values()].filter((run) => run.headSha === sha)).toHaveLength(1);
    workers = [survivor];
  });

  it('with Redis down a webhook is answered 503 and /healthz says why; when it returns, deliveries are reviewed again', async () => {
    await redis.stop();
    const sha = 'c3'.repeat(20);
    github.push({ ...repo, number: 3, headSha: sha, files: [{ filename: 'net.py', content: seedD }] });
    const event = pullRequestPayload('opened', { ...repo, number: 3, headSha: sha });
    const refused = await deliverWebhook(hook(webs[0]!), SECRET, 'pull_request', 'down-1', event);
    expect(refused.status).toBe(503);
    const health = await fetch(`${webs[0]!.url}/healthz`);
    expect(health.status).toBe(503);
    expect((await health.json()).detail).toMatch(/Redis unreachable/);
    await redis.start();
    // GitHub's redelivery of the refused delivery, until the web instance has reconnected
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await deliverWebhook(hook(webs[0]!), SECRET, 'pull_request', 'down-1', event)).status;
    }
    expect(status).toBe(200);
    await until('the review after the outage', () => completedRun(sha));
    expect(github.reviewsByCommit('octo-org/models#3').get(sha)).toBe(1);
  });
});
