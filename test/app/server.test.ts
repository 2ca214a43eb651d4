// End to end: the real HTTP server, webhook deliveries signed with WEBHOOK_SECRET (HMAC SHA-256),
// and GitHub's API mocked with nock.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { Probot, ProbotOctokit, Server } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import footgun from '../../src/app/app.js';
import { readFixture } from '../helpers.js';
import { finalCheckRun, mockPullRequest, payload } from './github-mock.js';

const SECRET = 'e2e-webhook-secret';
let server: Server;
let url: string;

beforeAll(async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  server = new Server({
    log: new Probot({ appId: 123, privateKey, logLevel: 'fatal' }).log,
    host: '127.0.0.1',
    port: 0,
    Probot: Probot.defaults({
      appId: 123,
      privateKey,
      secret: SECRET,
      logLevel: 'fatal',
      Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    }),
  });
  await server.load(footgun);
  const http = await server.start();
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/github/webhooks`;
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterAll(async () => {
  await server.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

function deliver(body: string, signature: string, id: string) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': id, 'x-hub-signature-256': signature },
    body,
  });
}

describe('the webhook server', () => {
  it('rejects a delivery with a bad signature and posts nothing', async () => {
    const body = JSON.stringify(payload('pull_request', 'opened'));
    const response = await deliver(body, `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`, 'e2e-bad');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('processes a correctly signed delivery: check run, review, conclusion', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', content: readFixture('seed/seed_d.py') }] });
    const body = JSON.stringify(payload('pull_request', 'opened'));
    const response = await deliver(body, `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`, 'e2e-good');
    expect(response.status).toBe(200);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(recorded.reviews).toHaveLength(1);
    expect(finalCheckRun(recorded).conclusion).toBe('failure');
  });
});
