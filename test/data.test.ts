// Programs that feed their model data it cannot take, written the way Stack Overflow questions
// write them, each with the fix its author would apply. Every buggy program gets exactly the
// findings listed (rule and line); every fixed twin gets no finding at all, and footgun must
// still have read its data (a twin that is silent because nothing was read proves nothing).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../src/analyze.js';
import { configFrom, fixturePath, readFixture } from './helpers.js';

const DATA_RULES = new Set(['target-shape-mismatch', 'label-encoding-mismatch', 'input-data-mismatch', 'broadcast-target', 'shape-mismatch']);

/** Each buggy fixture and the data findings it must get: [rule, line]. */
const BUGGY: Record<string, [rule: string, line: number][]> = {
  // targets against the output
  'keras_mse_one_target.py': [['target-shape-mismatch', 11]],
  'keras_eye_four_classes.py': [['target-shape-mismatch', 12]],
  'keras_sequence_targets.py': [['target-shape-mismatch', 11]],
  'keras_cifar_eye_column.py': [['target-shape-mismatch', 15]],
  'keras_cifar100_ten_units.py': [['target-shape-mismatch', 11]],
  'keras_binary_onehot.py': [['target-shape-mismatch', 13]],
  'keras_dense_on_rows.py': [['target-shape-mismatch', 11]],
  'keras_tf_sigmoid_logits.py': [['target-shape-mismatch', 10]],
  'keras_flow_categorical_sigmoid.py': [['target-shape-mismatch', 14]],
  'torch_bce_shapes.py': [['target-shape-mismatch', 9]],
  'torch_ce_onehot_width.py': [['target-shape-mismatch', 10]],
  'torch_ce_label_range.py': [['target-shape-mismatch', 16]],
  'torch_mse_column_output.py': [['broadcast-target', 10]],
  'torch_l1_functional.py': [['broadcast-target', 12]],
  // label encoding against the loss
  'keras_ids_categorical.py': [['label-encoding-mismatch', 13]],
  'keras_onehot_sparse.py': [['label-encoding-mismatch', 14]],
  'keras_mnist_ids_categorical.py': [['label-encoding-mismatch', 15]],
  'keras_flow_binary_softmax.py': [['label-encoding-mismatch', 20]],
  'keras_tf1_onehot_sparse.py': [['label-encoding-mismatch', 11]],
  'keras_image_dataset_categorical.py': [['label-encoding-mismatch', 18]],
  'keras_custom_loop_sparse.py': [['label-encoding-mismatch', 11]],
  'keras_generator_ids_categorical.py': [['label-encoding-mismatch', 17]],
  'torch_ce_column_targets.py': [['label-encoding-mismatch', 17]],
  'torch_ce_float_ids.py': [['label-encoding-mismatch', 9]],
  'torch_bce_logits_int.py': [['label-encoding-mismatch', 9]],
  'torch_mse_int_targets.py': [['label-encoding-mismatch', 9]],
  // features against the input
  'keras_mnist_flattened_input.py': [['input-data-mismatch', 10]],
  'keras_feature_count.py': [['input-data-mismatch', 11]],
  'keras_predict_one_image.py': [['input-data-mismatch', 8]],
  'keras_lstm_flat_features.py': [['input-data-mismatch', 10]],
  // no input_shape: the input comes from the data, and the shape checks run on it
  'keras_conv1d_on_images.py': [['shape-mismatch', 10]],
};

function review(relative: string) {
  return analyzeSource(relative, readFixture(relative), configFrom());
}

describe('data that does not fit the model', () => {
  const buggy = readdirSync(fixturePath('data/buggy')).filter((name) => name.endsWith('.py'));
  const fixed = readdirSync(fixturePath('data/fixed')).filter((name) => name.endsWith('.py'));

  it('every buggy program has its fixed twin and an entry in the table', () => {
    expect(fixed.sort()).toEqual(buggy.sort());
    expect(Object.keys(BUGGY).sort()).toEqual(buggy.sort());
  });

  for (const [file, expected] of Object.entries(BUGGY)) {
    it(`${file}: ${expected.map(([rule, line]) => `${rule} at line ${line}`).join(', ')}`, () => {
      const result = review(`data/buggy/${file}`);
      expect(result.error).toBeNull();
      const found = result.findings.filter((finding) => DATA_RULES.has(finding.rule)).map((finding) => [finding.rule, finding.line]);
      expect(found).toEqual(expected);
    });

    it(`${file}, fixed: no finding, and the data was read`, () => {
      const result = review(`data/fixed/${file}`);
      expect(result.error).toBeNull();
      expect(result.findings.map((finding) => `${finding.line} ${finding.rule}: ${finding.message}`)).toEqual([]);
      expect(result.models.some((model) => model.x !== null || model.y !== null)).toBe(true);
    });
  }

  it('a finding names the shapes on both sides, the framework error, and where the data was made', () => {
    const [finding] = review('data/buggy/keras_mse_one_target.py').findings;
    expect(finding!.message).toMatch(/\(100,\).*\(None, 4\).*Error when checking target/);
    expect(finding!.related).toEqual([
      { line: 7, message: 'the targets: np.random.random(100)' },
      { line: 13, message: 'the fit call' },
    ]);
  });
});
