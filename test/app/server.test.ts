// End to end: the real HTTP server, webhook deliveries signed with WEBHOOK_SECRET (HMAC SHA-256),
// and GitHub's API mocked with nock.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { Probot, ProbotOctokit, Server } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import footgun from '../../src/app/app.js';
import { readFixture } from '../helpers.js';
import { SILENT_LOG, finalCheckRun, mockPullRequest, payload } from './github-mock.js';

const SECRET = 'e2e-webhook-secret';

/** A port nothing listens on now: the system picks it for a probe that closes at once. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * The App behind the server `probot run` starts in production (Probot's Server with the App
 * loaded), on a free port: Probot turns port 0 into 3000, which the App itself may hold.
 */
async function startApp(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  for (let attempt = 1; ; attempt++) {
    const server = new Server({
      log: SILENT_LOG,
      host: '127.0.0.1',
      port: await freePort(),
      Probot: Probot.defaults({
        appId: 123,
        privateKey,
        secret: SECRET,
        Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
      }),
    });
    await server.load(footgun);
    try {
      await server.start();
    } catch (error) {
      // another process took the port between the probe and the listen
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
      throw error;
    }
    return { url: `http://127.0.0.1:${server.port}/api/github/webhooks`, stop: () => server.stop() };
  }
}

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(() => {
  nock.cleanAll();
  nock.emitter.removeAllListeners('no match');
});

afterAll(async () => {
  await app.stop();
  nock.enableNetConnect();
});

function deliver(body: string, signature: string, id: string) {
  return fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': id, 'x-hub-signature-256': signature },
    body,
  });
}

function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('the webhook server', () => {
  it('rejects a delivery with a bad signature and posts nothing', async () => {
    // GitHub's API is ready for the whole review, so a server that skipped the check would use it
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', content: readFixture('seed/seed_d.py') }] });
    const requests: string[] = [];
    for (const scope of scopes) scope.on('request', (request: { method: string; path: string }) => requests.push(`${request.method} ${request.path}`));
    nock.emitter.on('no match', (request: { method?: string; hostname?: string; path?: string }) => {
      if (request.hostname !== '127.0.0.1') requests.push(`unmocked ${request.method} ${request.hostname}${request.path}`);
    });
    const body = JSON.stringify(payload('pull_request', 'opened'));
    const response = await deliver(body, sign(body, 'not-the-secret'), 'e2e-bad');
    expect(response.status).toBe(400);
    expect(nock.pendingMocks()).not.toEqual([]);
    expect(requests).toEqual([]);
    expect(recorded).toEqual({ reviews: [], checkRunCreates: [], checkRunUpdates: [], deletedComments: [], updatedComments: [] });
  });

  it('processes a correctly signed delivery: check run, review of what the pull request changed, conclusion', async () => {
    // the pull request adds one mistake (a Dropout(rate=1)) to a file that already had them all
    const before = readFixture('seed/seed_d.py');
    const after = before.replace('model.add(Flatten())', 'model.add(Flatten())\nmodel.add(Dropout(rate=1))');
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', base: before, content: after }] });
    const body = JSON.stringify(payload('pull_request', 'opened'));
    const response = await deliver(body, sign(body, SECRET), 'e2e-good');
    expect(response.status).toBe(200);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(recorded.reviews).toHaveLength(1);
    expect(recorded.reviews[0].comments.map((c: { line: number; body: string }) => [c.line, c.body.includes('`dropout-rate`')])).toEqual([[16, true]]);
    const check = finalCheckRun(recorded);
    expect(check.conclusion).toBe('failure');
    expect(check.title).toBe('1 new error · 12 already there');
  });
});
