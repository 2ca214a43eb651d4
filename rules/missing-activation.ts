import { z } from 'zod';
import type { Layer, Model } from '../src/ir.js';
import type { ModelGraph } from '../src/rules/model-graph.js';
import { LINEAR_PASS_THROUGH, mayBeGrouped, mayPatchify, WEIGHT_KINDS, wiringRange } from '../src/rules/model-graph.js';
import { defineRule } from '../src/rules/rule.js';
import { formatWindow } from '../src/text.js';

function width(layer: Layer): number | null {
  if (typeof layer.args.units === 'number') return layer.args.units;
  if (typeof layer.args.filters === 'number') return layer.args.filters;
  return null;
}

/** The width a layer reads: what it declares (`Linear(in_features, …)`, `Conv2d(in_channels, …)`), else its input's channels. */
function inputWidth(layer: Layer, model: Model, graph: ModelGraph): number | null {
  const declared = layer.args.in_features ?? layer.args.in_channels;
  if (typeof declared === 'number') return declared;
  const shape = layer.inputs.length === 0 ? model.input : graph.producer(layer)?.output;
  if (!shape) return null;
  const channelsFirst = layer.framework === 'pytorch' && layer.kind !== 'dense';
  return (channelsFirst ? shape[1] : shape.at(-1)) ?? null;
}

function kernel(layer: Layer): (number | null)[] | undefined {
  const size = layer.args.kernel_size;
  return Array.isArray(size) ? size.map((k) => (typeof k === 'number' ? k : null)) : undefined;
}

function isPointwise(layer: Layer): boolean {
  return layer.kind === 'conv' && kernel(layer)?.every((k) => k === 1) === true;
}

/** A 1×k convolution and a k×1 one (either order): together they factorise a k×k kernel. */
function factorisedKernels(a: Layer, b: Layer): boolean {
  const [ka, kb] = [kernel(a), kernel(b)];
  if (ka?.length !== 2 || kb?.length !== 2) return false;
  return (ka[0] === 1 && kb[1] === 1 && ka[1] === kb[0] && ka[1] !== 1) || (ka[1] === 1 && kb[0] === 1 && ka[0] === kb[1] && ka[0] !== 1);
}

const NONLINEAR_KINDS = new Set<Layer['kind']>(['recurrent', 'attention', 'opaque', 'merge', 'embedding']);

/** Nothing in the network bends its output: every layer is linear (a linear regression written with two Dense layers). */
function linearEndToEnd(model: Model): boolean {
  return model.layers.every((layer) => {
    if (NONLINEAR_KINDS.has(layer.kind)) return false;
    if (layer.kind === 'pool' || layer.kind === 'global-pool') return layer.args.pool_mode === 'average';
    return layer.activation === null || layer.activation === 'linear';
  });
}

export function describe(layer: Layer): string {
  const window = kernel(layer);
  const text = window ? formatWindow(window) : undefined;
  const size = width(layer);
  if (layer.kind === 'dense') return layer.framework === 'pytorch' ? `${layer.name ? `self.${layer.name} ` : ''}Linear(…, ${size ?? '…'})` : `${layer.type}(${size ?? '…'})`;
  // a 1-D kernel reads as "size-3 Conv1d", a 2-D one as "3×3 Conv2d"
  if (text) return `${text.includes('×') ? text : `size-${text}`} ${layer.type}${size !== null ? ` (${size} filters)` : ''}`;
  return layer.type;
}

export default defineRule({
  meta: {
    id: 'missing-activation',
    scope: 'local',
    severity: 'warning',
    summary: 'Two weight layers follow each other with no nonlinearity between them.',
    options: z.object({
      check_unknown_widths: z.boolean().default(false).describe('also flag pairs whose widths footgun cannot read, where a narrow bottleneck cannot be ruled out'),
    }),
    docs: {
      whatItDoes:
        'Flags a Dense/Linear or convolution layer without an activation whose output reaches another Dense or convolution layer through nothing but linear steps (dropout, batch normalisation, flatten, reshape, pooling, padding). The finding sits on the first layer, where the activation belongs. The output layer is never flagged, and deliberate linear patterns are exempt: a factorised convolution (a depthwise or grouped convolution next to another one, as in separable convolutions and ConvNeXt blocks, or a 1×k convolution next to a k×1 one), a 1×1 projection followed by batch normalisation (the linear bottleneck of MobileNetV2), a patch embedding (a convolution with `kernel_size=patch, stride=patch`, or an overlapping one) whose tokens feed linear projections, as in ViT and spatial-reduction attention, a Dense layer reshaped into the first feature map of a generator or decoder ("project and reshape"), and a narrow layer between two wider ones (an autoencoder\'s code, a low-rank bottleneck). Where the widths are not known, a bottleneck cannot be ruled out and the rule stays silent unless `check_unknown_widths` is set; so does a convolution into another spatial (not 1×1) convolution when the width of what it reads is unknown (it may be an input convolution lifting a mask or a one-channel prediction into feature space, as refinement and super-resolution networks start). When nothing in the whole network is nonlinear (a linear model written with two layers), the message says that one layer computes the same function.',
      whyIsThisBad:
        'A composition of linear maps is a linear map. Without a nonlinearity between them the two layers can only learn what one layer could, with more parameters and a harder optimisation. A 1×1 convolution right after another convolution is the common case: it only re-mixes channels the previous layer already mixed linearly. Stacking linear layers on purpose only pays as a factorisation that has fewer parameters than the single layer it replaces (the exemptions above); a linear model needs just one layer.',
      example: "model.add(Dense(64))\nmodel.add(Dropout(0.5))\nmodel.add(Dense(10, activation='softmax'))",
      useInstead: "model.add(Dense(64, activation='relu'))\nmodel.add(Dropout(0.5))\nmodel.add(Dense(10, activation='softmax'))",
    },
  },
  check({ model, graph, options, lineRef, report }) {
    const linearModel = linearEndToEnd(model);
    for (const layer of model.layers) {
      if (!WEIGHT_KINDS.has(layer.kind) || layer.activation !== 'linear' || layer.conditional) continue;
      const { stop, via } = graph.next(layer, (next) => LINEAR_PASS_THROUGH.has(next.kind) || (next.kind === 'activation' && next.activation === 'linear'));
      if (!stop || !WEIGHT_KINDS.has(stop.kind) || stop.conditional) continue;
      if (mayBeGrouped(layer) || mayBeGrouped(stop) || factorisedKernels(layer, stop)) continue;
      if (isPointwise(layer) && via.some((v) => v.kind === 'norm')) continue;
      // a patch embedding is a linear tokenizer: its tokens go straight into linear projections (ViT's q/k/v, spatial-reduction attention)
      if (layer.kind === 'conv' && mayPatchify(layer)) continue;
      if (layer.kind === 'dense' && stop.kind !== 'dense' && via.some((v) => v.kind === 'reshape')) continue;
      const own = width(layer);
      const before = inputWidth(layer, model, graph);
      const after = width(stop);
      if (own !== null && before !== null && after !== null && own < before && own < after) continue;
      // a convolution reading a map of a width footgun cannot read, into a spatial convolution, may be an input convolution that lifts a mask or a one-channel prediction into feature space (refinement and super-resolution networks)
      if (layer.kind === 'conv' && !isPointwise(stop) && before === null && !options.check_unknown_widths) continue;
      const notABottleneck = own !== null && ((after !== null && own >= after) || (before !== null && own >= before));
      if (!notABottleneck && !options.check_unknown_widths) continue;
      const pointwise = isPointwise(stop) && layer.kind !== 'dense';
      const consequence = pointwise
        ? `the 1×1 convolution only re-mixes channels this layer already mixed linearly, so it adds parameters but no expressive power`
        : `the two compose into a single linear map, so the second adds parameters but no expressive power`;
      const fix = model.framework === 'pytorch' ? 'Add a nonlinearity after it, e.g. nn.ReLU() or F.relu(...).' : "Add a nonlinearity here, e.g. `activation='relu'`.";
      const advice = linearModel
        ? `Nothing in this network is nonlinear, so it is a linear model: if that is the intent, one layer computes the same function with fewer parameters. ${fix}`
        : `${fix} (Two linear layers in a row only pay as a factorisation with fewer parameters than one layer, such as a narrow bottleneck.)`;
      const insertAt = { line: layer.range.endLine, column: layer.range.endColumn - 1, endLine: layer.range.endLine, endColumn: layer.range.endColumn - 1 };
      report({
        layer,
        range: wiringRange(layer),
        message: `${describe(layer)} feeds ${describe(stop)} at ${lineRef(wiringRange(stop), wiringRange(layer))} with no activation between them: ${consequence}. ${advice}`,
        related: [{ range: wiringRange(stop), message: `the next weight layer, ${describe(stop)}` }],
        fix: model.framework === 'keras' && layer.range.line === layer.range.endLine && layer.argText.activation === undefined ? { range: insertAt, replacement: ", activation='relu'" } : undefined,
      });
    }
  },
});
