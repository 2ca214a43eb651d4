// A queued review whose GitHub requests keep failing: retried by the queue, then a failed check run with the reason.
import nock from 'nock';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { footgunApp } from '../../src/app/app.js';
import { reviewJobHandlers } from '../../src/app/review-jobs.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { API, INSTALLATION, OWNER, REPO, payload, probotForTests } from './github-mock.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

it('a job that keeps failing ends as a failed check run that says why, after its retries', async () => {
  const created: any[] = [];
  const api = nock(API);
  api.post(`/app/installations/${INSTALLATION}/access_tokens`).reply(200, { token: 't', permissions: {} });
  api.get(`/repos/${OWNER}/${REPO}/contents/${encodeURIComponent('.github/footgun.yml')}`).times(3).reply(502, { message: 'Bad Gateway' });
  api.post(`/repos/${OWNER}/${REPO}/check-runs`).reply(201, (_uri, body) => (created.push(body), { id: 1 }));
  const probot = probotForTests();
  await probot.ready();
  const queue = new MemoryQueue({ log: probot.log, attempts: 3, retryBaseDelayMs: 5 });
  queue.work(reviewJobHandlers({ app: probot, log: probot.log }), { concurrency: 1 });
  await probot.load(footgunApp({ queue }));
  await probot.receive({ id: 'fail-1', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
  await queue.idle();
  expect(api.pendingMocks()).toEqual([]);
  expect(created).toEqual([expect.objectContaining({ name: 'footgun', status: 'completed', conclusion: 'failure', head_sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' })]);
  expect(created[0].output.summary).toContain('footgun gave up on this commit after its retries: Bad Gateway');
});
