import type { Layer, Model } from '../src/ir.js';
import { firstSpatialAxis, passLabel, spatialDims } from '../src/rules/model-graph.js';
import type { ModelGraph } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';
import { formatWindow } from '../src/text.js';

/** The sizes one spatial axis goes through from the input to `layer`: 100 → 96 → 32 → … */
function trail(model: Model, graph: ModelGraph, layer: Layer, axisIndex: number): number[] {
  const sizes: number[] = [];
  let current = graph.producer(layer);
  while (current) {
    const size = current.output?.[axisIndex];
    if (typeof size === 'number' && sizes[sizes.length - 1] !== size) sizes.push(size);
    current = graph.producer(current);
  }
  const input = model.input?.[axisIndex];
  if (typeof input === 'number' && sizes[sizes.length - 1] !== input) sizes.push(input);
  return sizes.reverse();
}

export default defineRule({
  meta: {
    id: 'shape-collapse',
    scope: 'local',
    severity: 'error',
    summary: 'A convolution or pooling window is larger than the map it receives: the model will not build.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Follows the spatial size of the feature maps through the model and flags the first convolution or pooling layer whose window is larger than its input map (with `padding='valid'`). Inside a loop it says which pass fails and with which loop variables.",
      whyIsThisBad: "Every valid-padded k×k convolution shrinks the map by k−1 and every pooling divides it. Stack enough of them and the map runs out of pixels: Keras raises `ValueError: ... negative dimension` (PyTorch: `Kernel size can't be greater than actual input size`) and the model never builds.",
      example: "model.add(InputLayer([100, 100, 3]))\nfor filters in [32, 64, 128, 256]:\n    model.add(Conv2D(filters, kernel_size=(5, 5)))\n    model.add(MaxPooling2D(pool_size=(3, 3)))",
      useInstead: "model.add(InputLayer([100, 100, 3]))\nfor filters in [32, 64, 128, 256]:\n    model.add(Conv2D(filters, kernel_size=(5, 5), padding='same'))\n    model.add(MaxPooling2D(pool_size=(2, 2)))",
    },
  },
  check({ model, graph, report }) {
    const layer = model.layers.find((l) => l.shapeError?.kind === 'collapse');
    const problem = layer?.shapeError?.window;
    if (!layer || !problem) return;
    const input = layer.shapeError!.inputShape!;
    const rank = input.length - 2;
    const firstAxis = firstSpatialAxis(layer, model);
    const dims = spatialDims(input, rank, firstAxis);
    const axisIndex = firstAxis + problem.axis;
    const windowArg = layer.kind === 'pool' ? layer.args.pool_size : layer.args.kernel_size;
    const window = Array.isArray(windowArg) ? formatWindow(windowArg.map((w) => (typeof w === 'number' ? w : null))) : String(problem.window);
    const what = layer.kind === 'pool' ? 'pooling window' : 'kernel';
    const sizes = trail(model, graph, layer, axisIndex);
    const path = sizes.length > 1 ? ` (the map shrinks ${sizes.join(' → ')})` : '';
    const pass = passLabel(layer);
    const subject = pass ? `${pass[0]!.toUpperCase()}${pass.slice(1)} feeds` : `${layer.type} receives`;
    const builder = model.framework === 'pytorch' ? 'PyTorch fails on the first forward pass' : 'Keras cannot build this model';
    report({
      layer,
      message: `${subject} a ${formatWindow(dims)} map to this ${window} ${what}${path}: ${builder}. Use padding='same', a smaller ${what}, or fewer downsampling blocks.`,
    });
  },
});
