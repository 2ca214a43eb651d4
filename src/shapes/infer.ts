import type { Layer, Model, Shape, ShapeError } from '../ir.js';
import { kerasLayerShape } from './keras.js';
import { torchInputFromFirstLayer, torchLayerShape } from './torch.js';

export interface LayerShape {
  output: Shape | null;
  params: number | null;
  error?: ShapeError;
}

/**
 * Fills in every layer's output shape and parameter count, in graph order, with the framework's
 * own formulas. A shape that cannot be known stays null, and so does everything after it.
 */
export function inferShapes(model: Model): void {
  const torch = model.framework === 'pytorch';
  for (const layer of model.layers) {
    if (layer.kind === 'input') {
      layer.output = Array.isArray(layer.args.shape) ? (layer.args.shape as Shape) : torch ? symbolicTorchInput(model, layer.id) : null;
      layer.params = 0;
      if (model.input === null && layer.output) model.input = layer.output;
      continue;
    }
    // Only the first layer of a Sequential model reads the model's declared input; a functional layer
    // without inputs was applied to something footgun could not follow.
    const inputs = layer.inputs.length > 0 ? layer.inputs.map((id) => model.layers[id]!.output) : model.kind === 'sequential' ? [model.input] : [null];
    // a recurrent layer's extra inputs are its initial states: only the sequence shapes the output
    const shaping = layer.kind === 'recurrent' ? inputs.slice(0, 1) : inputs;
    if (shaping.some((shape) => shape === null) || shaping.length === 0) {
      if (layer.kind === 'opaque' && layer.args.parameterless === true) layer.params = 0;
      // A PyTorch module's constructor fixes its parameters whatever it receives.
      else if (torch) layer.params = torchLayerShape(layer, [unknownInputOf(layer)]).params;
      continue;
    }
    const result = torch ? torchLayerShape(layer, shaping as Shape[]) : kerasLayerShape(layer, shaping as Shape[], model);
    layer.params = layer.kind === 'opaque' && layer.args.parameterless === true ? 0 : result.params;
    layer.shapeError = result.error;
    layer.output = layer.conditional ? null : result.output;
  }
  model.params = totalParams(model);
}

/**
 * Without a sample input in the file, a PyTorch model's input is known as far as its first layer
 * fixes it: Conv2d(3, …) takes (N, 3, H, W), Linear(784, …) takes (N, 784).
 */
function symbolicTorchInput(model: Model, inputId: number): Shape | null {
  const first = model.layers.find((layer) => layer.inputs.includes(inputId));
  return first ? torchInputFromFirstLayer(first) : null;
}

function unknownInputOf(layer: Layer): Shape {
  const rank = layer.kind === 'dense' || layer.kind === 'embedding' ? 0 : layer.kind === 'recurrent' ? 1 : (layer.rank ?? 2);
  return Array.from({ length: rank + 2 }, () => null);
}

function totalParams(model: Model): number | null {
  const counted = new Set<string>();
  let total = 0;
  for (const layer of model.layers) {
    if (counted.has(layer.weightKey)) continue;
    counted.add(layer.weightKey);
    if (layer.params === null) return null;
    total += layer.params;
  }
  return total;
}
