import type { Layer, Shape } from '../src/ir.js';
import { activationSource, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'softmax-over-singleton',
    severity: 'error',
    scope: 'local',
    summary: '`softmax` or `log_softmax` over an axis of size 1: the result is always 1.0 (or 0.0).',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags `log_softmax` over an axis of size 1, such as `F.log_softmax(self.fc(x), dim=1)` on a `Linear(…, 1)` output, and `softmax` over an axis of size 1 that is not the last one, such as `torch.softmax(x, dim=1)` on a one-channel (N, 1, H, W) map. (A softmax over a single last unit is `softmax-single-unit`'s.) The batch axis is never judged: its size is the batch's.",
      whyIsThisBad: 'Softmax normalises over the axis: over one value the result is exp(x)/exp(x) = 1.0 whatever x is, and log_softmax gives 0.0. The output carries no information, the loss is constant and the gradient zero, so nothing before it learns.',
      example: 'self.fc = nn.Linear(64, 1)\n…\nreturn F.log_softmax(self.fc(x), dim=1)  # with nn.NLLLoss',
      useInstead: 'self.fc = nn.Linear(64, 1)\n…\nreturn self.fc(x)  # one logit, with nn.BCEWithLogitsLoss',
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      const applies = layer.activation;
      if (applies !== 'softmax' && applies !== 'log_softmax') continue;
      const shape = layer.kind === 'activation' ? (graph.producer(layer)?.output ?? layer.output) : layer.output;
      const axis = normalisedAxis(layer, shape);
      if (!shape || axis === undefined || axis === 0 || shape[axis] !== 1) continue;
      // softmax over a single last unit is softmax-single-unit's finding
      if (applies === 'softmax' && axis === shape.length - 1) continue;
      const result = applies === 'softmax' ? '1.0' : '0.0';
      report({
        layer,
        range: wiringRange(layer),
        message: `${activationSource(layer)} normalises over axis ${axis} of a ${formatShape(shape)} tensor, which has size 1: every output is exactly ${result}, so the loss is constant and nothing before it learns. ${applies === 'log_softmax' && axis === shape.length - 1 ? 'For a yes/no output keep the single logit and train with nn.BCEWithLogitsLoss; for several classes give the layer one unit per class.' : 'For a one-channel (binary) output use sigmoid; for several classes give the layer one channel per class.'}`,
      });
    }
  },
});

/** The axis a softmax normalises, counted from 0 (the batch), when the code says it: `dim=`/`axis=`, or Keras' default, the last. */
function normalisedAxis(layer: Layer, shape: Shape | null): number | undefined {
  const written = layer.args.dim ?? layer.args.axis;
  const axis = typeof written === 'number' ? written : written === undefined && layer.framework === 'keras' ? -1 : undefined;
  if (axis === undefined || !shape) return undefined;
  const index = axis < 0 ? shape.length + axis : axis;
  return index >= 0 && index < shape.length ? index : undefined;
}

function formatShape(shape: Shape): string {
  return `(${shape.map((size, i) => (size === null ? (i === 0 ? 'N' : '?') : String(size))).join(', ')})`;
}
