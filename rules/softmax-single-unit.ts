import type { Layer } from '../src/ir.js';
import { activationSource, lossLabel, soleLoss, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'softmax-single-unit',
    scope: 'local',
    severity: 'error',
    summary: 'Softmax over a single unit always outputs 1.0.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a softmax applied to an axis of size one: `Dense(1, activation="softmax")`, a softmax layer after any layer with a single output, or a categorical loss over a single output unit: `nn.CrossEntropyLoss` and `from_logits=True` losses apply softmax themselves, and Keras\' `categorical_crossentropy` rescales the outputs to sum to 1.',
      whyIsThisBad: 'Softmax normalises over the units: with one unit the result is exp(x)/exp(x) = 1.0 for every input. The model predicts the same thing for everything and its gradient is zero, so it never learns.',
      example: "model.add(Dense(1, activation='softmax'))\nmodel.compile(loss='binary_crossentropy', optimizer='adam')",
      useInstead: "model.add(Dense(1, activation='sigmoid'))\nmodel.compile(loss='binary_crossentropy', optimizer='adam')",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      if (layer.activation !== 'softmax' || !overLastAxis(layer, graph.producer(layer))) continue;
      const units = layer.kind === 'activation' ? (graph.producer(layer)?.output?.at(-1) ?? null) : typeof layer.args.units === 'number' ? layer.args.units : (layer.output?.at(-1) ?? null);
      if (units !== 1) continue;
      report({
        layer,
        message: `${activationSource(layer)} normalises over a single unit, so it outputs exactly 1.0 for every input and its gradient is zero. For a yes/no output use sigmoid on one unit; for several classes use one unit per class.`,
        fix: layer.argRanges.activation && /^['"]softmax['"]$/.test(layer.argText.activation ?? '') ? { range: layer.argRanges.activation, replacement: layer.argText.activation!.replace('softmax', 'sigmoid') } : undefined,
      });
    }
    const loss = soleLoss(model);
    if (!loss || !NORMALISING_LOSSES.has(loss.name)) return;
    for (const head of graph.outputHeads()) {
      // a softmax output is reported above; an unknown activation may be anything
      if (head.activation === null || head.activation === 'softmax' || head.units !== 1 || !head.predictor) continue;
      const layer = head.activationLayer ?? head.predictor;
      const torch = model.framework === 'pytorch';
      const lossText = lossLabel(model, loss);
      const how = loss.fromLogits ? 'applies softmax over' : 'normalises over';
      report({
        layer,
        range: wiringRange(layer),
        message: `The loss (${lossText}, line ${loss.range.line}) ${how} this single output unit: the predicted probability is always 1.0, the loss always 0, and nothing is learned. For a yes/no output train with ${torch ? 'nn.BCEWithLogitsLoss' : "'binary_crossentropy' (sigmoid output) or BinaryCrossentropy(from_logits=True)"}; for several classes give the layer one unit per class.`,
        related: [{ range: loss.range, message: 'the loss' }],
      });
    }
  },
});

/** Losses that normalise the output over its last axis (softmax for logits; Keras rescales probabilities to sum to 1). */
const NORMALISING_LOSSES = new Set(['categorical_crossentropy', 'sparse_categorical_crossentropy']);

/** Whether a softmax normalises over the last axis (the units): `dim=0` of a batch normalises over the samples. */
function overLastAxis(layer: Layer, producer: Layer | undefined): boolean {
  const axis = layer.args.dim ?? layer.args.axis;
  if (typeof axis !== 'number' || axis === -1) return true;
  const rank = (producer?.output ?? layer.output)?.length;
  return axis !== 0 && (rank === undefined || axis === rank - 1);
}
