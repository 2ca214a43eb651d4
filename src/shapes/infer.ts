import type { Model, Shape, ShapeError } from '../ir.js';
import { kerasLayerShape } from './keras.js';

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
  for (const layer of model.layers) {
    if (layer.kind === 'input') {
      layer.output = Array.isArray(layer.args.shape) ? (layer.args.shape as Shape) : null;
      layer.params = 0;
      continue;
    }
    // Only the first layer of a Sequential model reads the model's declared input; a functional layer
    // without inputs was applied to something footgun could not follow.
    const inputs = layer.inputs.length > 0 ? layer.inputs.map((id) => model.layers[id]!.output) : model.kind === 'sequential' ? [model.input] : [null];
    if (inputs.some((shape) => shape === null) || inputs.length === 0) continue;
    const result = kerasLayerShape(layer, inputs as Shape[], model);
    layer.params = result.params;
    layer.shapeError = result.error;
    layer.output = layer.conditional ? null : result.output;
  }
  model.params = totalParams(model);
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
