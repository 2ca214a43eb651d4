// The App reviews what a pull request changed: findings it introduces (inline, on the lines it
// changed), findings already there (summary and annotations only), findings it fixes, and how
// the models changed. GitHub's API is mocked with nock; payloads are genuine examples.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { py } from '../helpers.js';
import { finalCheckRun, mockPullRequest, payload, reviewOpened, testProbot } from './github-mock.js';

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

let delivery = 0;

function review(fixture: Parameters<typeof mockPullRequest>[0]) {
  return reviewOpened(fixture, `changes-${++delivery}`);
}

const twoMistakes = py`
  from keras.models import Sequential
  from keras.layers import Dense, Dropout

  model = Sequential()
  model.add(Dense(64, activation='relu', input_shape=(20,)))
  model.add(Dropout(rate=1))
  model.add(Dense(10, activation='softmax'))
  model.compile(optimizer='adam', loss='sparse_categorical_accuracy')
`;

describe('new findings and findings already there', () => {
  it('a pull request that adds one mistake to a file that had two: one inline comment, two findings already there', async () => {
    const head = twoMistakes.replace("model.add(Dropout(rate=1))", "model.add(Dense(32, activation='softmax'))\nmodel.add(Dropout(rate=1))");
    const { comments, anchors, check } = await review({ files: [{ filename: 'net.py', base: twoMistakes, content: head }] });
    expect(anchors).toEqual(['net.py:6']);
    expect(comments[0]!.body).toContain('`softmax-hidden`');
    expect(check.title).toBe('1 new warning · 2 already there');
    // the errors were there before: they do not fail the check (review.fail_on_existing: false)
    expect(check.conclusion).toBe('success');
    expect(check.summary).toContain('| `net.py` | 0 | 1 | 0 | 2 | 0 | 1 |');
    expect(check.summary).toContain('<details><summary>2 findings already there before this pull request</summary>');
    expect(check.summary).toContain('- `net.py:7` · `dropout-rate` · error');
    expect(check.summary).toContain('- `net.py:9` · `metric-as-loss` · error');
    const existing = check.annotations.filter((a) => a.title.endsWith('already there before this pull request)'));
    expect(existing.map((a) => a.start_line)).toEqual([7, 9]);
  });

  it('a pull request that moves a block with a finding down 30 lines: still there before, no comment', async () => {
    const builder = py`
      def build():
          model = Sequential()
          model.add(Dense(64, activation='relu', input_shape=(20,)))
          model.add(Dropout(rate=1))
          model.add(Dense(10, activation='softmax'))
          return model
    `;
    const loader = Array.from({ length: 30 }, (_, i) => `LABELS_${i} = ${i}`).join('\n');
    const imports = 'from keras.models import Sequential\nfrom keras.layers import Dense, Dropout\n\n';
    const before = `${imports}${builder}\n${loader}\n`;
    const after = `${imports}${loader}\n${builder}`;
    const { recorded, check } = await review({ files: [{ filename: 'net.py', base: before, content: after }] });
    const dropout = check.annotations.find((a) => a.title.startsWith('dropout-rate'))!;
    expect(before.split('\n')[6]).toContain('Dropout(rate=1)');
    expect(dropout.start_line).toBe(37);
    expect(dropout.title).toBe('dropout-rate (error, already there before this pull request)');
    // nothing new and no model changed: no review at all
    expect(recorded.reviews).toEqual([]);
    expect(check).toMatchObject({ conclusion: 'success', title: 'No new problems · 1 already there' });
  });

  it('a pull request that fixes a finding lists it as fixed', async () => {
    const fixed = twoMistakes.replace('Dropout(rate=1)', 'Dropout(rate=0.5)');
    const { check } = await review({ files: [{ filename: 'net.py', base: twoMistakes, content: fixed }] });
    expect(check.title).toBe('No new problems · 1 already there · 1 fixed');
    expect(check.summary).toContain('### Fixed by this pull request');
    expect(check.summary).toContain('- ✅ `net.py` (line 6 before) · `dropout-rate`: Dropout(rate=1) drops every activation');
    expect(check.summary).toContain('| `net.py` | 0 | 0 | 0 | 1 | 1 | 1 |');
  });

  it("a Conv2d's out_channels changed so the next layer's in_channels no longer fits: the comment is on the changed line", async () => {
    const before = py`
      import torch
      import torch.nn as nn
      import torch.nn.functional as F


      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.conv1 = nn.Conv2d(1, 32, 3)
              self.conv2 = nn.Conv2d(32, 64, 3)
              self.fc = nn.Linear(64 * 24 * 24, 10)

          def forward(self, x):
              x = F.relu(self.conv1(x))
              x = F.relu(self.conv2(x))
              x = torch.flatten(x, 1)
              return self.fc(x)


      model = Net()
      logits = model(torch.randn(1, 1, 28, 28))
    `;
    const after = before.replace('nn.Conv2d(1, 32, 3)', 'nn.Conv2d(1, 48, 3)');
    const { comments, anchors, check } = await review({ files: [{ filename: 'net.py', base: before, content: after }] });
    // reported where the forward pass fails (conv2, line 10), caused by the change on line 9
    expect(check.annotations.find((a) => a.title.startsWith('shape-mismatch'))?.start_line).toBe(10);
    expect(anchors).toEqual(['net.py:9']);
    expect(comments[0]!.body).toContain('self.conv2 (Conv2d) expects 32 input channels (in_channels=32), but the layer before it produces 48.');
    expect(comments[0]!.body).toContain('- line 10 (`self.conv2 = nn.Conv2d(32, 64, 3)`): where it shows; the change on this line causes it');
    expect(check.conclusion).toBe('failure');
    // PyTorch's words and shapes; parameters as torch counts them (conv1: 1·48·3·3 + 48 = 480)
    expect(check.summary).toContain('| changed | 9 | Conv2d `conv1` | (N, 32, 26, 26) → (N, 48, 26, 26) | 320 → 480 (+50.0%) |');
  });
});

describe('review.filter', () => {
  // the pull request adds a hidden softmax (line 7) and removes the compile() calls that said both
  // models are multi-label, so both sigmoid outputs become new findings: line 8 is a context line
  // of the diff, line 12 is outside it; the Dropout(rate=1) on line 6 was there before
  const after = py`
    from keras.models import Sequential
    from keras.layers import Dense, Dropout

    model = Sequential()
    model.add(Dense(64, activation='relu', input_shape=(20,)))
    model.add(Dropout(rate=1))
    model.add(Dense(32, activation='softmax'))
    model.add(Dense(10, activation='sigmoid'))

    tagger = Sequential()
    tagger.add(Dense(64, activation='relu', input_shape=(20,)))
    tagger.add(Dense(5, activation='sigmoid'))


    # training
    # (data loading elsewhere)
    model.fit(x, y)
    tagger.fit(x, z)
  `;
  const before = after
    .replace("model.add(Dense(32, activation='softmax'))\n", '')
    .replace('# (data loading elsewhere)\n', "# (data loading elsewhere)\nmodel.compile(optimizer='adam', loss='binary_crossentropy')\ntagger.compile(optimizer='adam', loss='binary_crossentropy')\n");
  const withFilter = (filter?: string, extra = '') => review({ config: filter ? `review:\n  filter: ${filter}\n${extra}` : undefined, files: [{ filename: 'net.py', base: before, content: after }] });

  it('added (the default): only new findings on added or modified lines', async () => {
    const { anchors, recorded, check } = await withFilter();
    expect(anchors).toEqual(['net.py:7']);
    expect(recorded.reviews[0].body).not.toContain('net.py:12');
    expect(check.title).toBe('3 new warnings · 1 already there');
    expect(check.conclusion).toBe('success');
  });

  it('diff_context: also new findings on the context lines of the diff', async () => {
    const { anchors, recorded } = await withFilter('diff_context');
    expect(anchors.sort()).toEqual(['net.py:7', 'net.py:8']);
    expect(recorded.reviews[0].body).not.toContain('net.py:12');
  });

  it('file: every new finding of a changed file, in the review body when GitHub cannot anchor it', async () => {
    const { anchors, recorded } = await withFilter('file');
    expect(anchors.sort()).toEqual(['net.py:7', 'net.py:8']);
    const body: string = recorded.reviews[0].body;
    expect(body).toContain('**New, on lines this pull request did not change**');
    expect(body).toContain('- `net.py:12` · `sigmoid-multiclass-output` · warning');
    expect(body).not.toContain('already there before this pull request');
  });

  it('all: the findings already there are listed in the review body too, never inline', async () => {
    const { anchors, recorded } = await withFilter('all');
    expect(anchors.sort()).toEqual(['net.py:7', 'net.py:8']);
    const body: string = recorded.reviews[0].body;
    expect(body).toContain('- `net.py:12` · `sigmoid-multiclass-output` · warning');
    expect(body).toContain('<details><summary>1 finding already there before this pull request</summary>');
    expect(body).toContain('- `net.py:6` · `dropout-rate` · error');
  });

  it('review.fail_on_existing fails the check on a finding that was already there', async () => {
    const { check } = await withFilter('added', '  fail_on_existing: true\n');
    expect(check.conclusion).toBe('failure');
  });
});

describe('architecture changes', () => {
  const narrow = py`
    from keras.models import Sequential
    from keras.layers import Dense

    model = Sequential()
    model.add(Dense(128, activation='relu', input_shape=(784,)))
    model.add(Dense(10, activation='softmax'))
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
  `;
  const wide = narrow.replace('Dense(128,', 'Dense(256,');

  it('a pull request that widens a layer: parameters before and after, in the check run and the review', async () => {
    const { recorded, comments, check } = await review({ files: [{ filename: 'mlp.py', base: narrow, content: wide }] });
    // Dense(units) has (inputs + 1) × units parameters: 785·128 + 129·10 = 101,770 before, 785·256 + 257·10 = 203,530 after
    expect(check.summary).toContain('### Architecture changes');
    expect(check.summary).toContain('- parameters 101,770 → 203,530 (+100.0%)');
    expect(check.summary).toContain('- input (None, 784)');
    expect(check.summary).toContain('| changed | 5 | Dense | (None, 128) → (None, 256) | 100,480 → 200,960 (+100.0%) |');
    expect(check.summary).toContain('| changed | 6 | Dense | (None, 10) | 1,290 → 2,570 (+99.2%) |');
    // no finding, but the models changed: a review says how
    expect(comments).toEqual([]);
    expect(recorded.reviews[0].body).toContain('- parameters 101,770 → 203,530 (+100.0%)');
    expect(check.conclusion).toBe('success');

    // a push that does not change the architecture again does not post another review
    nock.cleanAll();
    const again = mockPullRequest({
      headSha: 'b'.repeat(40),
      files: [{ filename: 'mlp.py', base: narrow, content: `# widened for the larger dataset\n${wide}` }],
      priorReviews: [{ id: 99, body: recorded.reviews[0].body, commit_id: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', user: { type: 'Bot' } }],
    });
    await testProbot().receive({ id: 'changes-push-2', name: 'pull_request', payload: payload('pull_request', 'synchronize', (p) => (p.pull_request.head.sha = 'b'.repeat(40))) as never });
    for (const scope of again.scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(again.recorded.reviews).toEqual([]);
    expect(finalCheckRun(again.recorded).summary).toContain('- parameters 101,770 → 203,530 (+100.0%)');
  });

  it('a renamed file is compared with its old version; a removed file lists its models as removed', async () => {
    const { check } = await review({
      files: [
        { filename: 'models/mlp.py', previous_filename: 'mlp.py', status: 'renamed', base: narrow, content: wide },
        { filename: 'old/cnn.py', status: 'removed', base: narrow },
      ],
    });
    expect(check.summary).toContain('✏️ **model** in `models/mlp.py:4`');
    expect(check.summary).toContain('➖ removed model · **model** from `old/cnn.py` (line 4 before) · keras sequential · 101,770 parameters');
  });
});

describe('notebooks', () => {
  /** A notebook as Jupyter writes it (nbformat 4, one-space indent, one source line per file line). */
  function notebook(cells: string[][]): string {
    return `${JSON.stringify(
      {
        cells: cells.map((lines, i) => ({ cell_type: 'code', execution_count: i + 1, metadata: {}, outputs: [], source: lines.map((line, j) => (j < lines.length - 1 ? `${line}\n` : line)) })),
        metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
        nbformat: 4,
        nbformat_minor: 5,
      },
      null,
      1,
    )}\n`;
  }

  it('a notebook pull request gets its comment on the notebook line that holds the code', async () => {
    const content = notebook([
      ['%matplotlib inline', 'from keras.models import Sequential', 'from keras.layers import Dense, Dropout'],
      ['model = Sequential()', "model.add(Dense(64, activation='relu', input_shape=(20,)))", 'model.add(Dropout(rate=1))', "model.add(Dense(10, activation='softmax'))"],
    ]);
    const fileLine = content.split('\n').findIndex((line) => line.includes('Dropout(rate=1)')) + 1;
    expect(content.split('\n')[fileLine - 1]).toBe('    "model.add(Dropout(rate=1))\\n",');
    const { comments, check } = await review({ files: [{ filename: 'train.ipynb', content }] });
    expect(comments.map((c) => `${c.path}:${c.line}`)).toEqual([`train.ipynb:${fileLine}`]);
    // the suggestion replaces the notebook's JSON line, still valid JSON
    expect(comments[0]!.body).toContain('```suggestion\n    "model.add(Dropout(rate=0.5))\\n",\n```');
    expect(check.annotations[0]).toMatchObject({ path: 'train.ipynb', start_line: fileLine, start_column: 16, end_column: 31 });
    expect(check.summary).toContain('- `train.ipynb` cell 2, line 3 · `dropout-rate` · error');
  });

  it('a notebook that is not valid JSON is reported, and the other files are still reviewed', async () => {
    const { check, anchors } = await review({
      files: [
        { filename: 'broken.ipynb', content: '{"cells": [' },
        { filename: 'net.py', content: twoMistakes },
      ],
    });
    expect(check.summary).toContain('- `broken.ipynb`: not a valid notebook: the file is not JSON');
    expect(anchors).toContain('net.py:6');
  });
});
