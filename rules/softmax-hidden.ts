import type { Layer, Model } from '../src/ir.js';
import { LINEAR_PASS_THROUGH, WEIGHT_KINDS, activationSource, firstSpatialAxis, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

/** The axis a softmax normalises: Keras' `axis` (last by default), PyTorch's `dim`; null when footgun cannot tell. */
function softmaxAxis(layer: Layer): number | null {
  if (layer.framework === 'keras') return typeof layer.args.axis === 'number' ? layer.args.axis : layer.args.axis === undefined ? -1 : null;
  return typeof layer.args.dim === 'number' ? layer.args.dim : null;
}

/** The axis a weight layer mixes: the last for Dense/Linear, the channel axis for a convolution. */
function featureAxis(layer: Layer, model: Model): number {
  if (layer.kind === 'dense') return -1;
  return firstSpatialAxis(layer, model) === 2 ? 1 : -1;
}

function sameAxis(a: number | null, b: number, rank: number | undefined): boolean {
  if (a === null) return false;
  if (Math.sign(a) === Math.sign(b) || a === 0) return a === b;
  return rank !== undefined && (a < 0 ? a + rank : a) === (b < 0 ? b + rank : b);
}

export default defineRule({
  meta: {
    id: 'softmax-hidden',
    scope: 'local',
    severity: 'warning',
    summary: 'Softmax used as the activation of a hidden layer.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a softmax (as `activation=` or as a separate layer) whose output goes on into another Dense or convolution layer. Softmax that feeds a merge or a product, as in attention, is not flagged, nor one over another axis than the one the next layer mixes (attention weights over the keys that a talking-heads projection mixes across heads), nor one whose axis footgun cannot follow (a permute or reshape on the way, an axis it cannot read).',
      whyIsThisBad: 'Softmax is a soft arg-max: it makes the outputs of the layer compete, so one unit takes almost all the mass and the others are pushed to zero. The next layer receives nearly one-hot features and gradients through the suppressed units vanish. It belongs on the output of a single-label classifier, not inside the network.',
      example: "model.add(Dense(100))\nmodel.add(Activation('softmax'))\nmodel.add(Dense(10, activation='softmax'))",
      useInstead: "model.add(Dense(100))\nmodel.add(Activation('relu'))\nmodel.add(Dense(10, activation='softmax'))",
    },
  },
  check({ model, graph, lineRef, report }) {
    for (const layer of model.layers) {
      if (layer.activation !== 'softmax' || graph.isOutput(layer)) continue;
      const { stop, via } = graph.next(layer, (next) => LINEAR_PASS_THROUGH.has(next.kind));
      if (!stop || !WEIGHT_KINDS.has(stop.kind)) continue;
      // a permute or reshape on the way moves the axes: attention weights over keys that go on to a head-mixing projection (talking heads) are not hidden units
      if (via.some((v) => v.kind === 'reshape' || v.kind === 'flatten') || !sameAxis(softmaxAxis(layer), featureAxis(stop, model), layer.output?.length)) continue;
      report({
        layer,
        range: wiringRange(layer),
        message: `${activationSource(layer)} is a hidden activation here: its output feeds ${stop.type} at ${lineRef(wiringRange(stop), wiringRange(layer))}. Softmax makes the units compete, so almost only one of them passes anything on. Use 'relu' for hidden layers and keep softmax for the output.`,
        related: [{ range: wiringRange(stop), message: 'the layer that receives the softmax output' }],
        fix: layer.argRanges.activation && /^['"]softmax['"]$/.test(layer.argText.activation ?? '') ? { range: layer.argRanges.activation, replacement: layer.argText.activation!.replace('softmax', 'relu') } : undefined,
      });
    }
  },
});
