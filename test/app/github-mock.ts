// A pull request on a mocked GitHub API (nock 14), with genuine webhook payloads from
// @octokit/webhooks-examples, and a Probot instance running the App against it.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { expect } from 'vitest';
import { footgunApp } from '../../src/app/app.js';
import { reviewJobHandlers } from '../../src/app/review-jobs.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];

export const API = 'https://api.github.com';
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const INSTALLATION = 2;
export const CHECK_RUN_ID = 4242;

/** Probot's logger, silenced: a passing run prints the test listing and nothing else. */
export const SILENT_LOG = pino({ level: 'silent' });

let privateKey: string | undefined;

/** The App as `npm start` runs it (webhook handlers, an in-memory queue, its worker), analysing files in the test's thread. */
/**
 * `inProgressAfterMs`: when the review's check run shows it in progress; by default at once, so
 * that what a test sees never depends on how fast the machine is
 */
export function testProbot(options: { inProgressAfterMs?: number } = {}): Pick<Probot, 'receive'> {
  const probot = probotForTests();
  const started = probot.ready().then(async () => {
    const queue = new MemoryQueue({ log: probot.log, retryBaseDelayMs: 10 });
    queue.work(reviewJobHandlers({ app: probot, log: probot.log, inProgressAfterMs: options.inProgressAfterMs ?? 0 }), { concurrency: 1 });
    await probot.load(footgunApp({ queue }));
    return queue;
  });
  // a delivery is answered once queued; the tests look at what the review did
  return {
    receive: async (event) => {
      const queue = await started;
      await probot.receive(event);
      await queue.idle();
    },
  };
}

export function probotForTests(): Probot {
  privateKey ??= generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
  return new Probot({
    appId: 123,
    privateKey,
    secret: 'test-secret',
    log: SILENT_LOG,
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
}

/** A genuine example payload of the event, pointed at our pull request. */
export function payload(event: string, action: string, change: (payload: Record<string, any>) => void = () => {}): Record<string, any> {
  const example = examples.find((e) => e.name === event)!.examples.find((e) => e.action === action)!;
  const copy = structuredClone(example) as Record<string, any>;
  copy.installation = { id: INSTALLATION, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==' };
  change(copy);
  return copy;
}

/** The base commit of the example payloads' pull request. */
export const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';

export interface PullRequestFixture {
  number?: number;
  headSha?: string;
  baseSha?: string;
  /** where the head commit lives (a fork) */
  headOwner?: string;
  headRepo?: string;
  /**
   * `base` is the file before the pull request (its status then defaults to 'modified', else
   * 'added'); null: GitHub answers 404 for it. `previous_filename` for a renamed file.
   */
  files: { filename: string; status?: string; patch?: string | null; content?: string; base?: string | null; previous_filename?: string }[];
  config?: string;
  priorComments?: Record<string, unknown>[];
  priorReviews?: Record<string, unknown>[];
  /** the head the pull request has when footgun re-checks it (defaults to headSha) */
  currentHeadSha?: string;
  /** files of the repository the pull request does not change, the same at the head and the base commit */
  project?: Record<string, string>;
  /** how GitHub answers a request for one of the `project` files (default 200) */
  projectStatus?: Record<string, number>;
}

export interface Recorded {
  reviews: any[];
  checkRunCreates: any[];
  checkRunUpdates: any[];
  deletedComments: number[];
  updatedComments: { id: number; body: string }[];
  /** every request the App made, as `GET /repos/…` (query left out) */
  requests: string[];
  /** the `project` files the App read, as `path@sha` */
  projectReads: string[];
}

/** The patch GitHub gives for a changed file: git's unified diff of the two versions, from the first hunk. */
export function changePatch(before: string, after: string, context = 3): string {
  const folder = mkdtempSync(join(tmpdir(), 'footgun-patch-'));
  writeFileSync(join(folder, 'before'), before);
  writeFileSync(join(folder, 'after'), after);
  const diff = spawnSync('git', ['diff', '--no-index', `-U${context}`, 'before', 'after'], { cwd: folder, encoding: 'utf8' });
  rmSync(folder, { recursive: true });
  return diff.stdout.slice(diff.stdout.indexOf('@@')).replace(/\n$/, '');
}

/** A patch that adds every line of a file (a new file). */
export function addedPatch(content: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n');
}

/** Mocks every request the App makes for one review; returns what it posted. */
export interface MockOptions {
  /** how GitHub answers each review POST in turn: 403 as a secondary rate limit, 422 as a bad anchor */
  reviewStatus?: number[];
  /** GitHub refuses the review for want of a permission */
  refuseReview?: boolean;
}

export function mockPullRequest(fixture: PullRequestFixture, options: MockOptions = {}): { recorded: Recorded; scopes: nock.Scope[] } {
  const number = fixture.number ?? 2;
  const headSha = fixture.headSha ?? 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
  const headOwner = fixture.headOwner ?? OWNER;
  const headRepo = fixture.headRepo ?? REPO;
  const recorded: Recorded = { reviews: [], checkRunCreates: [], checkRunUpdates: [], deletedComments: [], updatedComments: [], requests: [], projectReads: [] };
  const scopes: nock.Scope[] = [];
  const api = nock(API);
  scopes.push(api);
  api.post(`/app/installations/${INSTALLATION}/access_tokens`).reply(200, { token: 'test-token', permissions: { pull_requests: 'write', checks: 'write', contents: 'read' } });
  if (fixture.config === undefined) {
    api.get(`/repos/${OWNER}/${REPO}/contents/${encodeURIComponent('.github/footgun.yml')}`).reply(404);
    api.get(`/repos/${OWNER}/.github/contents/${encodeURIComponent('.github/footgun.yml')}`).reply(404);
  } else {
    api.get(`/repos/${OWNER}/${REPO}/contents/${encodeURIComponent('.github/footgun.yml')}`).reply(200, fixture.config, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
  }
  api.post(`/repos/${OWNER}/${REPO}/check-runs`).reply(201, (_uri, body) => {
    recorded.checkRunCreates.push(body);
    return { id: CHECK_RUN_ID };
  });
  api
    .patch(`/repos/${OWNER}/${REPO}/check-runs/${CHECK_RUN_ID}`)
    .times(100)
    .optionally()
    .reply(200, (_uri, body) => {
      recorded.checkRunUpdates.push(body);
      return { id: CHECK_RUN_ID };
    });
  const statusOf = (file: PullRequestFixture['files'][number]) => file.status ?? (file.base === undefined ? 'added' : 'modified');
  const listed = fixture.files.map((file) => ({
    filename: file.filename,
    status: statusOf(file),
    ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
    ...(file.patch === null ? {} : { patch: file.patch ?? (typeof file.base === 'string' ? changePatch(file.base, file.content ?? '') : addedPatch(file.content ?? '')) }),
  }));
  const pages = Math.max(1, Math.ceil(listed.length / 100));
  for (let page = 1; page <= pages; page++) {
    const query = page === 1 ? { per_page: '100' } : { per_page: '100', page: String(page) };
    const next = page < pages ? { link: `<${API}/repos/${OWNER}/${REPO}/pulls/${number}/files?per_page=100&page=${page + 1}>; rel="next"` } : undefined;
    api.get(`/repos/${OWNER}/${REPO}/pulls/${number}/files`).query(query).reply(200, listed.slice((page - 1) * 100, page * 100), next);
  }
  const contents = headOwner === OWNER && headRepo === REPO ? api : nock(API);
  if (contents !== api) scopes.push(contents);
  const reviewed = (path: string) => path.endsWith('.py') || path.endsWith('.ipynb');
  for (const file of fixture.files) {
    if (statusOf(file) === 'removed' || !reviewed(file.filename) || file.content === undefined) continue;
    contents.get(`/repos/${headOwner}/${headRepo}/contents/${encodeURIComponent(file.filename)}`).query({ ref: headSha }).reply(200, file.content, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
  }
  // the versions before the pull request, read from the base repository at the base commit
  const baseSha = fixture.baseSha ?? BASE_SHA;
  for (const file of fixture.files) {
    if (file.base === undefined || !reviewed(file.filename)) continue;
    const path = encodeURIComponent(file.previous_filename ?? file.filename);
    const request = api.get(`/repos/${OWNER}/${REPO}/contents/${path}`).query({ ref: baseSha });
    if (file.base === null) request.reply(404, { message: 'Not Found' });
    else request.reply(200, file.base, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
  }
  scopes.push(mockRepositoryFiles(fixture, { headOwner, headRepo, headSha, baseSha }, recorded));
  const all = [...scopes, ...mockReviewState(fixture, number, headSha, recorded, options)];
  for (const scope of all) scope.on('request', (request: { method: string; path: string }) => recorded.requests.push(`${request.method} ${request.path.split('?')[0]}`));
  return { recorded, scopes: all };
}

/** git's id of a file's content */
function blobSha(content: string): string {
  return createHash('sha1').update(`blob ${Buffer.byteLength(content)}\0${content}`).digest('hex');
}

/**
 * The repository's trees at the head and the base (the pull request's files and the `project`
 * files), and the `project` files' contents at either commit: whether the App reads them, and how
 * often, is for each test to check.
 */
function mockRepositoryFiles(fixture: PullRequestFixture, at: { headOwner: string; headRepo: string; headSha: string; baseSha: string }, recorded: Recorded): nock.Scope {
  const api = nock(API);
  const project = Object.entries(fixture.project ?? {});
  const headFiles = [...fixture.files.filter((file) => file.status !== 'removed' && file.content !== undefined).map((file) => [file.filename, file.content!] as const), ...project];
  const baseFiles = [...fixture.files.filter((file) => typeof file.base === 'string').map((file) => [file.previous_filename ?? file.filename, file.base as string] as const), ...project];
  const tree = (files: readonly (readonly [string, string])[]) => ({ sha: 'tree', truncated: false, tree: files.map(([path, content]) => ({ path, mode: '100644', type: 'blob', sha: blobSha(content), size: Buffer.byteLength(content) })) });
  api.get(`/repos/${at.headOwner}/${at.headRepo}/git/trees/${at.headSha}`).query({ recursive: 'true' }).optionally().reply(200, tree(headFiles));
  api.get(`/repos/${OWNER}/${REPO}/git/trees/${at.baseSha}`).query({ recursive: 'true' }).optionally().reply(200, tree(baseFiles));
  for (const [path, content] of project) {
    for (const [owner, repo, sha] of [[at.headOwner, at.headRepo, at.headSha], [OWNER, REPO, at.baseSha]] as const) {
      const status = fixture.projectStatus?.[path] ?? 200;
      api
        .get(`/repos/${owner}/${repo}/contents/${encodeURIComponent(path)}`)
        .query({ ref: sha })
        .optionally()
        .times(4)
        .reply(() => {
          recorded.projectReads.push(`${path}@${sha}`);
          return status === 200 ? [200, content, { 'content-type': 'application/vnd.github.raw; charset=utf-8' }] : [status, { message: status === 404 ? 'Not Found' : status === 403 ? 'Resource not accessible by integration' : 'Server Error' }];
        });
    }
  }
  return api;
}

function mockReviewState(fixture: PullRequestFixture, number: number, headSha: string, recorded: Recorded, options: MockOptions): nock.Scope[] {
  const api = nock(API);
  api.get(`/repos/${OWNER}/${REPO}/pulls/${number}/comments`).query({ per_page: '100' }).reply(200, fixture.priorComments ?? []);
  api.get(`/repos/${OWNER}/${REPO}/pulls/${number}/reviews`).query({ per_page: '100' }).reply(200, fixture.priorReviews ?? []);
  api.get(`/repos/${OWNER}/${REPO}/pulls/${number}`).reply(200, { number, head: { sha: fixture.currentHeadSha ?? headSha } });
  if (options.refuseReview) {
    api.post(`/repos/${OWNER}/${REPO}/pulls/${number}/reviews`).reply(403, { message: 'Resource not accessible by integration' });
  }
  for (const status of options.refuseReview ? [] : (options.reviewStatus ?? [200])) {
    api
      .post(`/repos/${OWNER}/${REPO}/pulls/${number}/reviews`)
      .optionally()
      .reply(status, (_uri, body) => {
        if (status < 300) recorded.reviews.push(body);
        return status < 300 ? { id: 99 } : status === 403 ? { message: 'You have exceeded a secondary rate limit' } : { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] };
      }, status === 403 ? { 'retry-after': '0' } : undefined);
  }
  api
    .delete(/\/repos\/Codertocat\/Hello-World\/pulls\/comments\/\d+/)
    .times(20)
    .optionally()
    .reply(204, (uri) => {
      recorded.deletedComments.push(Number(uri.split('/').pop()));
      return '';
    });
  api
    .patch(/\/repos\/Codertocat\/Hello-World\/pulls\/comments\/\d+/)
    .times(20)
    .optionally()
    .reply(200, (uri, body) => {
      recorded.updatedComments.push({ id: Number(uri.split('/').pop()), body: (body as { body: string }).body });
      return {};
    });
  return [api];
}

/** Delivers `pull_request.opened` for a mocked pull request (every mock used); returns what footgun posted. */
export async function reviewOpened(fixture: PullRequestFixture, deliveryId: string) {
  const { recorded, scopes } = mockPullRequest(fixture);
  await testProbot().receive({ id: deliveryId, name: 'pull_request', payload: payload('pull_request', 'opened') as never });
  for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  const comments = (recorded.reviews[0]?.comments ?? []) as { path: string; line: number; body: string }[];
  return { recorded, comments, anchors: comments.map((c) => `${c.path}:${c.line}`), check: finalCheckRun(recorded) };
}

/** The check run as the App left it: the request that completed it (created completed, or updated), and every annotation sent. */
export function finalCheckRun(recorded: Recorded): { conclusion: string; title: string; summary: string; annotations: any[] } {
  const requests = [...recorded.checkRunCreates, ...recorded.checkRunUpdates];
  const completed = requests.find((request) => request.conclusion);
  return {
    conclusion: completed?.conclusion,
    title: completed?.output.title,
    summary: completed?.output.summary,
    annotations: requests.flatMap((request) => request.output?.annotations ?? []),
  };
}
