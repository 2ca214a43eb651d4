// RNN outputs and states on the way to a classifier: (output, (h_n, c_n)) with batch_first,
// num_layers and bidirectional; h_n[-1], h_n[-2:], torch.cat([h_n[-2], h_n[-1]], 1),
// out[:, -1, :], out[:, -1], out[-1]; GRU's single state; packed sequences. Once the shapes flow,
// a Linear of the wrong size after them is reported.
//
// Where the numbers come from: PyTorch 1.13 ran each fixture and printed
// sum(p.numel() for p in net.parameters()) and the shapes of y.
import { describe, expect, it } from 'vitest';
import type { FileResult } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import { analyze, configFrom, findingsOf, readFixture } from './helpers.js';

function review(file: string): FileResult {
  return analyzeSource(file, readFixture(`pytorch/rnn/${file}`), configFrom());
}

function loud(result: FileResult): string[] {
  return result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.line} ${f.rule}: ${f.message}`);
}

/** The fixture with one piece of it rewritten, as a user's mistake would. */
function variant(file: string, from: string, to: string): FileResult {
  const source = readFixture(`pytorch/rnn/${file}`);
  expect(source).toContain(from);
  return analyze(source.replace(from, to));
}

describe('RNN outputs and states, shaped as PyTorch shapes them', () => {
  it('a 2-layer bidirectional LSTM: h_n is (4, N, 128); torch.cat([h_n[-2], h_n[-1]], 1) is (N, 256)', () => {
    const result = review('bilstm_final_states.py');
    expect(loud(result)).toEqual([]);
    const model = result.models[0]!;
    // PyTorch 1.13: 658,948 parameters, y of shape (4, 4)
    expect(model.params).toBe(658_948);
    expect(model.layers.map((l) => [l.type, l.output])).toEqual([
      ['Embedding', [null, 12, 64]],
      ['LSTM', [null, 12, 256]],
      ['State', [4, null, 128]],
      ['Slice', [null, 128]],
      ['Slice', [null, 128]],
      ['torch.cat', [null, 256]],
      ['Linear', [null, 4]],
    ]);
  });

  it("a GRU's single state and the output at the last step, out[:, -1, :]", () => {
    const result = review('gru_last_step.py');
    expect(loud(result)).toEqual([]);
    const model = result.models[0]!;
    // PyTorch 1.13: 17,988 parameters, y of shapes (8, 3) and (8, 1)
    expect(model.params).toBe(17_988);
    expect(model.layers.map((l) => [l.type, l.output])).toEqual([
      ['GRU', [null, 15, 32]],
      ['State', [3, null, 32]],
      ['Slice', [null, 32]],
      ['Linear', [null, 3]],
      ['Slice', [null, 32]],
      ['Linear', [null, 1]],
    ]);
  });

  it('a packed sequence keeps its layout through the LSTM; h_n[-2:].transpose(0, 1).reshape(n, -1) is (N, 2 × hidden)', () => {
    const result = review('packed_sequence.py');
    expect(loud(result)).toEqual([]);
    const model = result.models[0]!;
    // PyTorch 1.13: 49,040 parameters, y of shapes (4, 16) and (4, 9, 96)
    expect(model.params).toBe(49_040);
    expect(model.layers.map((l) => [l.type, l.output])).toEqual([
      ['Embedding', [null, 9, 32]],
      ['pack_padded_sequence', [null, 9, 32]],
      ['LSTM', [null, 9, 96]],
      ['State', [2, null, 48]],
      ['pad_packed_sequence', [null, 9, 96]],
      ['Slice', [2, null, 48]],
      ['.transpose', [null, 2, 48]],
      ['.reshape', [null, 96]],
      ['Linear', [null, 16]],
    ]);
  });

  it('without batch_first the LSTM reads (L, N, E): out[-1] is the last step, (N, hidden)', () => {
    const result = review('seq_first_lstm.py');
    expect(loud(result)).toEqual([]);
    // PyTorch 1.13: 3,506 parameters, y of shape (4, 2)
    expect(result.models[0]!.params).toBe(3506);
    expect(result.models[0]!.layers.map((l) => [l.type, l.output])).toEqual([
      ['LSTM', [null, 4, 24]],
      ['Slice', [4, 24]],
      ['Linear', [4, 2]],
    ]);
  });
});

describe('a Linear of the wrong size after an RNN is reported', () => {
  const mismatch = (result: FileResult) => findingsOf(result, 'shape-mismatch').map((f) => [f.line, f.message.replace(/\. Set in_features.*/, '')]);

  it('torch.cat of both directions into a Linear sized for one', () => {
    const result = variant('bilstm_final_states.py', 'nn.Linear(hidden * 2, num_classes)', 'nn.Linear(hidden, num_classes)');
    expect(mismatch(result)).toEqual([[12, 'self.fc (Linear) expects in_features=128, but its input has 256 features per sample ((N, 256))']]);
  });

  it('h_n[-1] (one direction) into a Linear sized for both', () => {
    const result = variant('bilstm_final_states.py', 'features = torch.cat([h_n[-2], h_n[-1]], dim=1)', 'features = h_n[-1]');
    expect(mismatch(result)).toEqual([[12, 'self.fc (Linear) expects in_features=256, but its input has 128 features per sample ((N, 128))']]);
  });

  it('out[:, -1, :] and out[:, -1] of a bidirectional LSTM (both directions) into a Linear sized for one', () => {
    for (const last of ['out[:, -1, :]', 'out[:, -1]']) {
      const source = readFixture('pytorch/rnn/bilstm_final_states.py').replace('nn.Linear(hidden * 2, num_classes)', 'nn.Linear(hidden, num_classes)').replace('features = torch.cat([h_n[-2], h_n[-1]], dim=1)', `features = ${last}`);
      expect(mismatch(analyze(source)), last).toEqual([[12, 'self.fc (Linear) expects in_features=128, but its input has 256 features per sample ((N, 256))']]);
    }
  });

  it("a GRU's state into a Linear sized for a bidirectional one", () => {
    const result = variant('gru_last_step.py', 'self.aux = nn.Linear(hidden, 1)', 'self.aux = nn.Linear(hidden * 2, 1)');
    expect(mismatch(result)).toEqual([[11, 'self.aux (Linear) expects in_features=64, but its input has 32 features per sample ((N, 32))']]);
  });
});
