// The App reads the project files a pull request's Python files import, even when the pull
// request does not change them: a model in models.py, trained in train.py, is one program. GitHub's
// API is mocked with nock; payloads are genuine examples.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFixture } from '../helpers.js';
import { BASE_SHA, mockPullRequest, payload, reviewOpened, testProbot } from './github-mock.js';

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
let delivery = 0;

function review(fixture: Parameters<typeof mockPullRequest>[0]) {
  return reviewOpened(fixture, `imports-${++delivery}`);
}

// models.py returns F.softmax(...) at line 15; train.py builds Net and picks the loss at line 7
const models = readFixture('projects/torch-split/models.py');
const train = readFixture('projects/torch-split/train.py');

describe('a pull request that changes train.py, whose model lives in models.py it does not change', () => {
  it("reads models.py at the head, once, and comments the new double softmax on the train.py line that causes it", async () => {
    // before: NLLLoss after the softmax (a log-softmax mismatch); after: CrossEntropyLoss (a double softmax)
    const before = train.replace('nn.CrossEntropyLoss()', 'nn.NLLLoss()');
    const { recorded, anchors, comments, check } = await review({ files: [{ filename: 'train.py', base: before, content: train }], project: { 'models.py': models, 'unrelated.py': 'import os\n' } });
    expect(anchors).toEqual(['train.py:7']);
    expect(comments[0]!.body).toContain('`double-softmax`');
    expect(comments[0]!.body).toContain('the loss (nn.CrossEntropyLoss at train.py line 7) applies it again');
    expect(comments[0]!.body).toContain("- `models.py` line 15 (`return F.softmax(self.fc(x), dim=1)`): where it shows; the change on this line causes it");
    expect(check.conclusion).toBe('failure');
    expect(check.title).toBe('1 new error · 1 fixed');
    expect(check.summary).toContain('| `models.py` (not changed; imported) | 1 | 0 | 0 | 0 | 1 | 0 |');
    expect(check.summary).toContain('- ✅ `models.py` (line 15 before) · `log-softmax-nll-mismatch`');
    expect(check.annotations).toEqual([expect.objectContaining({ path: 'models.py', start_line: 15, end_line: 15, annotation_level: 'failure', title: 'double-softmax (error)' })]);
    // the same blob at the base is not fetched again; files nobody imports are not fetched at all
    expect(recorded.projectReads).toEqual([`models.py@${HEAD_SHA}`]);
  });

  it('a cross-file finding already there before the pull request is not new: no review, a passing check', async () => {
    const { recorded, check } = await review({ files: [{ filename: 'train.py', base: train, content: train.replace('lr=0.01', 'lr=0.001') }], project: { 'models.py': models } });
    expect(recorded.reviews).toEqual([]);
    expect(check.conclusion).toBe('success');
    expect(check.title).toBe('No new problems · 1 already there');
    expect(check.annotations).toEqual([expect.objectContaining({ path: 'models.py', start_line: 15, title: 'double-softmax (error, already there before this pull request)' })]);
  });

  it('a new finding in models.py that no changed line causes is in the check run only', async () => {
    // the pull request switches train.py from a model that returns logits to Net: the loss line it keeps is what meets the softmax
    const project = { 'models.py': `${models}\n\nclass LogitsNet(Net):\n    def forward(self, x):\n        return self.fc(torch.flatten(F.relu(self.conv1(x)), 1))\n` };
    const before = train.replace('from models import Net', 'from models import LogitsNet').replace('model = Net(10)', 'model = LogitsNet(10)');
    const { recorded, comments, check } = await review({ files: [{ filename: 'train.py', base: before, content: train }], project });
    // the review says how the model changed (a softmax added), with no comment: GitHub takes none on models.py
    expect(recorded.reviews).toHaveLength(1);
    expect(comments).toEqual([]);
    expect(recorded.reviews[0].body).not.toContain('double-softmax');
    expect(check.conclusion).toBe('failure');
    expect(check.title).toBe('1 new error');
    expect(check.summary).toContain('| `models.py` (not changed; imported) | 1 | 0 | 0 | 0 | 0 | 0 |');
    expect(check.summary).toContain('- `models.py:15` · `double-softmax` · error: The output applies softmax, and the loss (nn.CrossEntropyLoss at train.py line 7) applies it again');
    expect(check.annotations).toEqual([expect.objectContaining({ path: 'models.py', start_line: 15, title: 'double-softmax (error)' })]);
  });
});

describe('imports GitHub does not give, and limits', () => {
  it("a fork's pull request reads the imported files from the fork at the head commit", async () => {
    const fixture = { headOwner: 'forker', headRepo: 'Hello-World-fork', files: [{ filename: 'train.py', content: train }], project: { 'models.py': models } };
    const { recorded } = mockPullRequest(fixture);
    const event = payload('pull_request', 'opened', (p) => {
      p.pull_request.head.repo = { ...p.pull_request.head.repo, name: 'Hello-World-fork', full_name: 'forker/Hello-World-fork', owner: { ...p.pull_request.head.repo.owner, login: 'forker' } };
    });
    await testProbot().receive({ id: `imports-${++delivery}`, name: 'pull_request', payload: event as never });
    expect(recorded.requests).toContain(`GET /repos/forker/Hello-World-fork/git/trees/${HEAD_SHA}`);
    expect(recorded.projectReads).toEqual([`models.py@${HEAD_SHA}`]);
    expect(recorded.requests).toContain('GET /repos/forker/Hello-World-fork/contents/models.py');
    expect(recorded.reviews[0].comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`)).toEqual(['train.py:7']);
  });

  it.each([404, 403])('an imported file GitHub answers %i for is unknown: the review completes and the summary says so', async (status) => {
    const { recorded, check } = await review({ files: [{ filename: 'train.py', base: train.replace('lr=0.01', 'lr=0.1'), content: train }], project: { 'models.py': models }, projectStatus: { 'models.py': status } });
    expect(check.conclusion).toBe('success');
    expect(check.annotations).toEqual([]);
    expect(check.summary).toContain('**Files the changed files import**');
    expect(check.summary).toContain(`Imported files GitHub did not give, so what the changed files use from them is unknown: \`models.py\` could not be read from GitHub (${status}`);
    // tried at both commits (nothing to reuse from the head), once each
    expect(recorded.projectReads.sort()).toEqual([`models.py@${HEAD_SHA}`, `models.py@${BASE_SHA}`]);
  });

  it('reads at most 24 imported files, and says where it stopped', async () => {
    const project: Record<string, string> = {};
    for (let i = 0; i < 30; i++) project[`m${i}.py`] = `def f${i}():\n    return ${i}\n`;
    const trainer = Object.keys(project).map((path, i) => `from ${path.replace('.py', '')} import f${i}`).join('\n') + '\n';
    const { recorded, check } = await review({ files: [{ filename: 'train.py', content: trainer }], project });
    expect(recorded.projectReads).toHaveLength(24);
    expect(check.summary).toContain('footgun reads at most 24 files that the changed files import; it stopped before `m24.py`, `m25.py`, `m26.py`, `m27.py`, `m28.py` and 1 more.');
    expect(check.conclusion).toBe('success');
  });

  it('an imported file over max_file_kb is not read', async () => {
    const big = `${models}\n${'# padding\n'.repeat(300)}`;
    const { recorded, check } = await review({ files: [{ filename: 'train.py', content: train }], project: { 'models.py': big }, config: 'max_file_kb: 2\n' });
    expect(recorded.projectReads).toEqual([]);
    expect(check.summary).toContain('Imported files over the 2 KB limit (`max_file_kb`), not read: `models.py`.');
    expect(check.annotations).toEqual([]);
  });
});

describe('what a review costs in requests', () => {
  it('one changed file that imports one unchanged file: two tree listings, in parallel with the changed file, and one read', async () => {
    const { recorded } = await review({ files: [{ filename: 'train.py', base: train.replace('lr=0.01', 'lr=0.1'), content: train }], project: { 'models.py': models } });
    const repo = '/repos/Codertocat/Hello-World';
    expect([...recorded.requests].sort()).toEqual(
      [
        'POST /app/installations/2/access_tokens',
        `GET ${repo}/contents/.github%2Ffootgun.yml`,
        'GET /repos/Codertocat/.github/contents/.github%2Ffootgun.yml',
        `POST ${repo}/check-runs`,
        `GET ${repo}/pulls/2/files`,
        `GET ${repo}/contents/train.py`,
        // new with imports: the trees at the head and the base, and models.py at the head (its base blob is the same)
        `GET ${repo}/git/trees/${HEAD_SHA}`,
        `GET ${repo}/git/trees/${BASE_SHA}`,
        `GET ${repo}/contents/models.py`,
        `GET ${repo}/contents/train.py`,
        `GET ${repo}/pulls/2/comments`,
        `GET ${repo}/pulls/2/reviews`,
        `GET ${repo}/pulls/2`,
        `PATCH ${repo}/check-runs/4242`,
      ].sort(),
    );
  });
});
