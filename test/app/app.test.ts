import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentableLines } from '../../src/review/diff.js';
import { readFixture } from '../helpers.js';
import { CHECK_RUN_ID, addedPatch, finalCheckRun, mockPullRequest, payload, testProbot } from './github-mock.js';

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function expectAllUsed(scopes: nock.Scope[]): void {
  for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
}

const seedD = readFixture('seed/seed_d.py');
const seedC = readFixture('seed/seed_c.py');

describe('pull_request.opened with the seed models', () => {
  it('posts one review with inline comments on the right lines, and fails the check run', async () => {
    const { recorded, scopes } = mockPullRequest({
      files: [
        { filename: 'models/seed_d.py', content: seedD },
        { filename: 'models/seed_c.py', content: seedC },
        { filename: 'README.md', content: '# hello' },
      ],
    });
    await testProbot().receive({ id: 'delivery-1', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.checkRunCreates).toEqual([expect.objectContaining({ name: 'footgun', head_sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', status: 'in_progress' })]);
    expect(recorded.reviews).toHaveLength(1);
    const [review] = recorded.reviews;
    expect(review).toMatchObject({ event: 'COMMENT', commit_id: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' });
    const anchors = review.comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`);
    // warnings and errors are inline comments; info findings are annotations only
    expect(anchors).toEqual(expect.arrayContaining(['models/seed_d.py:17', 'models/seed_d.py:20', 'models/seed_d.py:19', 'models/seed_d.py:13', 'models/seed_c.py:4', 'models/seed_c.py:13']));
    expect(anchors).not.toContain('models/seed_d.py:5');
    const dropout = review.comments.find((c: { line: number; path: string }) => c.path === 'models/seed_d.py' && c.line === 17);
    expect(dropout.side).toBe('RIGHT');
    expect(dropout.body).toContain('`dropout-rate`');
    expect(dropout.body).toContain('```suggestion\nmodel.add(Dropout(rate=0.5))\n```');
    expect(dropout.body).toMatch(/rules\/dropout-rate\.md/);
    expect(dropout.body).toMatch(/<!-- footgun:finding [0-9a-f]{16} -->/);
    const sigmoid = review.comments.find((c: { line: number; path: string }) => c.path === 'models/seed_d.py' && c.line === 19);
    expect(sigmoid.body).toContain("```suggestion\nmodel.add(Activation('softmax'))\n```");
    // errors first
    expect(review.comments[0].body).toMatch(/error/);
    const check = finalCheckRun(recorded);
    expect(check.conclusion).toBe('failure');
    expect(check.annotations.length).toBe(15);
    // a new file: every finding is new, and its model is new (its full table is in the architecture changes)
    expect(check.summary).toContain('| `models/seed_d.py` | 2 | 6 | 4 | 0 | 0 | 1 |');
    expect(check.summary).toContain('🆕 new model · **model** in `models/seed_d.py:1`');
    expect(check.summary).toContain('| 4 | Conv2D | (None, 98, 98, 512) | 14,336 |');
  });

  it('a pull request without Python changes gets a neutral check and no review', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'docs/index.md', content: '# docs' }] });
    await testProbot().receive({ id: 'delivery-3', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.reviews).toEqual([]);
    expect(finalCheckRun(recorded)).toMatchObject({ conclusion: 'neutral', title: 'No Python model code changed' });
  });
});

describe('GitHub limits and odd pull requests', () => {
  it('a 120-file pull request is listed over two pages', async () => {
    const files = Array.from({ length: 120 }, (_, i) => ({ filename: `pkg/m${String(i).padStart(3, '0')}.py`, content: i === 119 ? 'model = Sequential([Dense(8, activation="relu"), Dropout(rate=1), Dense(1)])\n' : 'x = 1\n' }));
    const { recorded, scopes } = mockPullRequest({ files });
    await testProbot().receive({ id: 'delivery-4', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.reviews[0].comments.map((c: { path: string }) => c.path)).toEqual(['pkg/m119.py']);
    expect(finalCheckRun(recorded).conclusion).toBe('failure');
  });

  it("a fork's pull request is read from the fork at the head commit", async () => {
    const { recorded, scopes } = mockPullRequest({ headOwner: 'forker', headRepo: 'Hello-World-fork', files: [{ filename: 'net.py', content: seedD }] });
    const event = payload('pull_request', 'opened', (p) => {
      p.pull_request.head.repo = { ...p.pull_request.head.repo, name: 'Hello-World-fork', full_name: 'forker/Hello-World-fork', owner: { ...p.pull_request.head.repo.owner, login: 'forker' } };
    });
    await testProbot().receive({ id: 'delivery-5', name: 'pull_request', payload: event as never });
    expectAllUsed(scopes);
    expect(recorded.reviews).toHaveLength(1);
  });

  it('a draft is skipped unless review.drafts is set', async () => {
    const scope = nock('https://api.github.com')
      .post('/app/installations/2/access_tokens')
      .reply(200, { token: 't' })
      .get(`/repos/Codertocat/Hello-World/contents/${encodeURIComponent('.github/footgun.yml')}`)
      .reply(404)
      .get(`/repos/Codertocat/.github/contents/${encodeURIComponent('.github/footgun.yml')}`)
      .reply(404);
    await testProbot().receive({ id: 'delivery-6', name: 'pull_request', payload: payload('pull_request', 'opened', (p) => (p.pull_request.draft = true)) as never });
    expect(scope.pendingMocks()).toEqual([]);

    const { recorded, scopes } = mockPullRequest({ config: 'review:\n  drafts: true\n', files: [{ filename: 'net.py', content: seedD }] });
    await testProbot().receive({ id: 'delivery-7', name: 'pull_request', payload: payload('pull_request', 'opened', (p) => (p.pull_request.draft = true)) as never });
    expectAllUsed(scopes);
    expect(recorded.reviews).toHaveLength(1);
  });

  it('a file without a patch gets annotations only', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'huge.py', content: seedD, patch: null }, { filename: 'small.py', content: seedC }] });
    await testProbot().receive({ id: 'delivery-8', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    const [review] = recorded.reviews;
    expect(review.comments.every((c: { path: string }) => c.path === 'small.py')).toBe(true);
    // seed_c's two warnings-or-errors on line 4 and its error on line 13
    expect(review.comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`).sort()).toEqual(['small.py:13', 'small.py:4', 'small.py:4']);
    // without a diff no line is known to be added: huge.py's findings are in the check run only
    expect(review.body).not.toContain('huge.py:17');
    const check = finalCheckRun(recorded);
    expect(check.annotations.filter((a) => a.path === 'huge.py').length).toBe(12);
    expect(check.summary).toContain('GitHub gave no diff for `huge.py`');
  });

  it('a review rejected with 422 is posted once more without inline comments', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', content: seedD }] }, { reviewStatus: [422, 200] });
    await testProbot().receive({ id: 'delivery-9', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.reviews).toHaveLength(1);
    expect(recorded.reviews[0].comments).toEqual([]);
    expect(recorded.reviews[0].body).toContain('#### `net.py:17`');
  });

  it('a secondary rate limit is waited out and the review posted', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', content: seedD }] }, { reviewStatus: [403, 200] });
    await testProbot().receive({ id: 'delivery-10', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.reviews).toHaveLength(1);
    expect(recorded.reviews[0].comments.length).toBeGreaterThan(0);
  });

  it('results for a head that moved on are dropped', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', content: seedD }], currentHeadSha: 'f'.repeat(40) });
    await testProbot().receive({ id: 'delivery-11', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.reviews).toEqual([]);
    expect(finalCheckRun(recorded)).toMatchObject({ conclusion: 'neutral', title: 'Superseded by a newer commit' });
  });
});

describe('configuration', () => {
  it('an invalid .github/footgun.yml completes the check run with the problem and its key', async () => {
    const api = nock('https://api.github.com');
    const updates: any[] = [];
    api.post('/app/installations/2/access_tokens').reply(200, { token: 't' });
    api.get(`/repos/Codertocat/Hello-World/contents/${encodeURIComponent('.github/footgun.yml')}`).reply(200, 'rules:\n  large-kernl: off\n', { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    api.post('/repos/Codertocat/Hello-World/check-runs').reply(201, { id: CHECK_RUN_ID });
    api.patch(`/repos/Codertocat/Hello-World/check-runs/${CHECK_RUN_ID}`).reply(200, (_uri, body) => {
      updates.push(body);
      return {};
    });
    await testProbot().receive({ id: 'delivery-12', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expect(api.pendingMocks()).toEqual([]);
    expect(updates[0]).toMatchObject({ conclusion: 'action_required', output: { title: 'Invalid .github/footgun.yml' } });
    expect(updates[0].output.summary).toContain("`rules.large-kernl`: unknown rule 'large-kernl' (did you mean 'large-kernel'?)");
  });

  it('_extends pulls settings from another repository; its lists replace the defaults', async () => {
    const api = nock('https://api.github.com');
    api.get(`/repos/Codertocat/shared-config/contents/${encodeURIComponent('.github/footgun.yml')}`).reply(200, 'review:\n  comment_min_severity: error\ninclude: ["models/**/*.py"]\n', { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    const { recorded, scopes } = mockPullRequest({
      config: '_extends: shared-config\nrules:\n  pool-too-large: off\n',
      files: [
        { filename: 'models/net.py', content: seedD },
        { filename: 'scripts/other.py', patch: addedPatch(seedD) },
      ],
    });
    await testProbot().receive({ id: 'delivery-13', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expect(api.pendingMocks()).toEqual([]);
    expectAllUsed(scopes);
    const [review] = recorded.reviews;
    expect(review.comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`).sort()).toEqual(['models/net.py:17', 'models/net.py:20']);
    expect(finalCheckRun(recorded).annotations.some((a) => a.title.startsWith('pool-too-large'))).toBe(false);
  });
});

describe('pushing again', () => {
  it('does not repeat a finding already commented, and deletes or marks our comments whose finding is gone', async () => {
    const first = mockPullRequest({ files: [{ filename: 'net.py', content: seedD }] });
    await testProbot().receive({ id: 'delivery-14', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(first.scopes);
    const posted = first.recorded.reviews[0].comments as { path: string; line: number; body: string }[];
    const asGitHubReturns = posted.map((comment, index) => ({ id: 1000 + index, path: comment.path, line: comment.line, body: comment.body, user: { type: 'Bot', login: 'footgun[bot]' } }));
    const dropoutComment = asGitHubReturns.find((c) => c.line === 17)!;
    const sigmoidComment = asGitHubReturns.find((c) => c.line === 19)!;
    const reply = { id: 5000, path: 'net.py', line: 19, body: 'Good catch, fixing', in_reply_to_id: sigmoidComment.id, user: { type: 'User', login: 'misha' } };
    const someoneElse = { id: 6000, path: 'net.py', line: 4, body: 'nit', user: { type: 'User', login: 'reviewer' } };
    nock.cleanAll();
    const fixed = seedD.replace('model.add(Dropout(rate=1))', 'model.add(Dropout(rate=0.5))').replace("model.add(Activation('sigmoid'))", "model.add(Activation('softmax'))");
    const second = mockPullRequest({
      headSha: 'a'.repeat(40),
      files: [{ filename: 'net.py', content: fixed }],
      priorComments: [...asGitHubReturns, reply, someoneElse],
      priorReviews: [{ id: 99, body: first.recorded.reviews[0].body, commit_id: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', user: { type: 'Bot' } }],
    });
    await testProbot().receive({ id: 'delivery-15', name: 'pull_request', payload: payload('pull_request', 'synchronize', (p) => (p.pull_request.head.sha = 'a'.repeat(40))) as never });
    expectAllUsed(second.scopes);
    expect(second.recorded.reviews).toEqual([]);
    expect(second.recorded.deletedComments).toEqual([dropoutComment.id]);
    expect(second.recorded.updatedComments.map((u) => u.id)).toEqual([sigmoidComment.id]);
    expect(second.recorded.updatedComments[0]!.body).toMatch(/^✅ \*\*Fixed\*\* in aaaaaaa/);
    expect(finalCheckRun(second.recorded).conclusion).toBe('failure');
  });

  it('the same delivery twice produces one review', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', content: seedD }] });
    const probot = testProbot();
    const event = { id: 'delivery-16', name: 'pull_request', payload: payload('pull_request', 'opened') as never };
    await probot.receive(event as never);
    await probot.receive(event as never);
    expectAllUsed(scopes);
    expect(recorded.reviews).toHaveLength(1);
    expect(recorded.checkRunCreates).toHaveLength(1);
  });

  it('a re-run of the check on an already reviewed commit completes the check without a second review', async () => {
    const prScope = nock('https://api.github.com')
      .get('/repos/Codertocat/Hello-World/pulls/2')
      .reply(200, payload('pull_request', 'opened').pull_request);
    const { recorded, scopes } = mockPullRequest({
      files: [{ filename: 'net.py', content: seedD }],
      priorReviews: [{ id: 99, body: 'earlier\n<!-- footgun:review ec26c3e57ca3a959ca5aad62de7213c562f8c821 -->', commit_id: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', user: { type: 'Bot' } }],
    });
    const event = payload('check_suite', 'rerequested', (p) => {
      p.repository = payload('pull_request', 'opened').repository;
      p.check_suite.pull_requests = [{ number: 2 }];
    });
    await testProbot().receive({ id: 'delivery-17', name: 'check_suite', payload: event as never });
    expectAllUsed([...scopes, prScope]);
    expect(recorded.reviews).toEqual([]);
    expect(finalCheckRun(recorded).conclusion).toBe('failure');
  });
});

describe('a new file', () => {
  it('can take an inline comment on every line, as GitHub sends its patch (and as the mock does)', () => {
    const githubPatch = '@@ -0,0 +1,3 @@\n+a\n+b\n+c';
    expect([...commentableLines(githubPatch)]).toEqual([1, 2, 3]);
    expect(addedPatch('a\nb\nc\n')).toBe(githubPatch);
    expect(addedPatch('a\nb\n')).toBe('@@ -0,0 +1,2 @@\n+a\n+b');
  });
});

describe('the check run', () => {
  it('of a review done before it was due to show progress is created completed, in one request', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', content: seedD }] });
    await testProbot({ inProgressAfterMs: 60_000 }).receive({ id: 'delivery-30', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.checkRunCreates).toEqual([expect.objectContaining({ name: 'footgun', status: 'completed', conclusion: 'failure', head_sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' })]);
    expect(recorded.checkRunUpdates).toEqual([]);
    expect(recorded.reviews).toHaveLength(1);
  });

  it('with more annotations than one request takes is shown in progress while they are added', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({ filename: `m${i}.py`, content: seedD }));
    const { recorded, scopes } = mockPullRequest({ files });
    await testProbot({ inProgressAfterMs: 60_000 }).receive({ id: 'delivery-31', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.checkRunCreates).toEqual([expect.objectContaining({ status: 'in_progress' })]);
    expect(recorded.checkRunUpdates.map((update) => [update.output.annotations.length, update.conclusion])).toEqual([
      [22, undefined],
      [50, 'failure'],
    ]);
  });
});

describe('large reviews and missing permissions', () => {
  it('sends annotations in batches of 50', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({ filename: `m${i}.py`, content: seedD }));
    const { recorded, scopes } = mockPullRequest({ files });
    await testProbot().receive({ id: 'delivery-20', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.checkRunUpdates.map((update) => update.output.annotations.length)).toEqual([22, 50]);
    expect(recorded.checkRunUpdates[1].conclusion).toBe('failure');
    expect(recorded.checkRunUpdates[0].conclusion).toBeUndefined();
  });

  it('a refused write is reported on the check run, not a crash', async () => {
    const { recorded, scopes } = mockPullRequest({ files: [{ filename: 'net.py', content: seedD }] }, { refuseReview: true });
    await testProbot().receive({ id: 'delivery-21', name: 'pull_request', payload: payload('pull_request', 'opened') as never });
    expectAllUsed(scopes);
    expect(recorded.reviews).toEqual([]);
    const check = finalCheckRun(recorded);
    expect(check.conclusion).toBe('failure');
    expect(check.summary).toContain('GitHub refused a request (403): the App may lack a permission');
  });
});
