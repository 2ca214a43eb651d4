import type { Layer } from '../src/ir.js';
import { LINEAR_PASS_THROUGH, WEIGHT_KINDS, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';
import { formatWindow } from '../src/text.js';

function width(layer: Layer): number | null {
  if (typeof layer.args.units === 'number') return layer.args.units;
  if (typeof layer.args.filters === 'number') return layer.args.filters;
  return null;
}

function isPointwise(layer: Layer): boolean {
  const kernel = layer.args.kernel_size;
  return layer.kind === 'conv' && Array.isArray(kernel) && kernel.every((k) => k === 1);
}

export function describe(layer: Layer): string {
  const kernel = Array.isArray(layer.args.kernel_size) ? formatWindow(layer.args.kernel_size.map((k) => (typeof k === 'number' ? k : null))) : undefined;
  const size = width(layer);
  if (layer.kind === 'dense') return layer.framework === 'pytorch' ? `${layer.name ? `self.${layer.name} ` : ''}Linear(…, ${size ?? '…'})` : `${layer.type}(${size ?? '…'})`;
  // a 1-D kernel reads as "size-3 Conv1d", a 2-D one as "3×3 Conv2d"
  if (kernel) return `${kernel.includes('×') ? kernel : `size-${kernel}`} ${layer.type}${size !== null ? ` (${size} filters)` : ''}`;
  return layer.type;
}

export default defineRule({
  meta: {
    id: 'missing-activation',
    scope: 'local',
    severity: 'warning',
    summary: 'Two weight layers follow each other with no nonlinearity between them.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a Dense/Linear or convolution layer without an activation whose output reaches another Dense or convolution layer through nothing but linear steps (dropout, batch normalisation, flatten, reshape, pooling, padding). The finding sits on the first layer, where the activation belongs. The output layer is never flagged, and three deliberate linear patterns are exempt: a depthwise convolution followed by a 1×1 one (a separable convolution), a 1×1 projection followed by batch normalisation (the linear bottleneck of MobileNetV2), a Dense layer reshaped into the first feature map of a generator or decoder ("project and reshape"), and a narrow layer between two wider ones (an autoencoder\'s code).',
      whyIsThisBad: 'A composition of linear maps is a linear map. Without a nonlinearity between them the two layers can only learn what one layer could, with more parameters and a harder optimisation. A 1×1 convolution right after another convolution is the common case: it only re-mixes channels the previous layer already mixed linearly.',
      example: "model.add(Dense(64))\nmodel.add(Dropout(0.5))\nmodel.add(Dense(10, activation='softmax'))",
      useInstead: "model.add(Dense(64, activation='relu'))\nmodel.add(Dropout(0.5))\nmodel.add(Dense(10, activation='softmax'))",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      if (!WEIGHT_KINDS.has(layer.kind) || layer.activation !== 'linear' || layer.conditional) continue;
      const { stop, via } = graph.next(layer, (next) => LINEAR_PASS_THROUGH.has(next.kind) || (next.kind === 'activation' && next.activation === 'linear'));
      if (!stop || !WEIGHT_KINDS.has(stop.kind) || stop.conditional) continue;
      if (layer.kind === 'depthwise-conv' && isPointwise(stop)) continue;
      if (isPointwise(layer) && via.some((v) => v.kind === 'norm')) continue;
      if (layer.kind === 'dense' && stop.kind !== 'dense' && via.some((v) => v.kind === 'reshape')) continue;
      const own = width(layer);
      const before = graph.producer(layer)?.output?.at(-1) ?? null;
      const after = width(stop);
      if (own !== null && before !== null && after !== null && own < before && own < after) continue;
      const pointwise = isPointwise(stop) && layer.kind !== 'dense';
      const consequence = pointwise
        ? `the 1×1 convolution only re-mixes channels this layer already mixed linearly, so it adds parameters but no expressive power`
        : `the two compose into a single linear map, so the second adds parameters but no expressive power`;
      const insertAt = { line: layer.range.endLine, column: layer.range.endColumn - 1, endLine: layer.range.endLine, endColumn: layer.range.endColumn - 1 };
      report({
        layer,
        range: wiringRange(layer),
        message: `${describe(layer)} feeds ${describe(stop)} at line ${wiringRange(stop).line} with no activation between them: ${consequence}. ${model.framework === 'pytorch' ? 'Add a nonlinearity after it, e.g. nn.ReLU() or F.relu(...).' : "Add a nonlinearity here, e.g. `activation='relu'`."}`,
        related: [{ range: wiringRange(stop), message: `the next weight layer, ${describe(stop)}` }],
        fix: model.framework === 'keras' && layer.range.line === layer.range.endLine && layer.argText.activation === undefined ? { range: insertAt, replacement: ", activation='relu'" } : undefined,
      });
    }
  },
});
