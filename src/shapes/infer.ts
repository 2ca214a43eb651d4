import type { Layer, Model, Shape, ShapeError } from '../ir.js';
import { checkUndefinedFeatures, kerasLayerShape } from './keras.js';
import { torchInputFixedByLayer, torchInputFromFirstLayer, torchLayerShape } from './torch.js';

export interface LayerShape {
  output: Shape | null;
  params: number | null;
  error?: ShapeError;
}

/**
 * Fills in every layer's output shape and parameter count, in graph order, with the framework's
 * own formulas. A shape that cannot be known stays null, and so does everything after it.
 */
export function inferShapes(model: Model, configuredInput: Shape | null = null): void {
  const torch = model.framework === 'pytorch';
  if (model.input === null && model.kind === 'sequential' && configuredInput && !model.layers.some((layer) => layer.kind === 'input')) {
    const first = model.layers[0];
    if (first && fitsFirstLayer(configuredInput, first, torch)) model.input = configuredInput;
  }
  // Keras 3 runs on PyTorch: a Keras model inside a PyTorch module keeps Keras' rules (channels-last)
  const kerasView: Model = torch ? { ...model, dataFormat: 'channels_last' } : model;
  for (const layer of model.layers) {
    const torchLayer = torch && layer.framework === 'pytorch';
    if (layer.kind === 'input') {
      // a Sequential's input is sized by its first layer's `input_shape=`, `build()` or the data it is called on
      const sequentialInput = !torch && model.kind === 'sequential' && layer.id === 0 ? model.input : null;
      layer.output = Array.isArray(layer.args.shape) ? (layer.args.shape as Shape) : (sequentialInput ?? inputFromElsewhere(model, layer, configuredInput));
      layer.params = 0;
      if (model.input === null && layer.output) model.input = layer.output;
      continue;
    }
    // Only the first layer of a Sequential model reads the model's declared input; a functional layer
    // without inputs was applied to something footgun could not follow.
    // (a PyTorch Sequential wires its first module to the input itself: a module without inputs there was applied to something unread)
    const inputs = layer.inputs.length > 0 ? layer.inputs.map((id) => model.layers[id]!.output) : model.kind === 'sequential' && !torchLayer ? [model.input] : [null];
    // a recurrent layer's extra inputs are its initial states: only the sequence shapes the output
    const shaping = layer.kind === 'recurrent' ? inputs.slice(0, 1) : inputs;
    // a module's own weight used as a tensor (nn.Parameter) has its data's shape and no input
    if (torchLayer && layer.inputs.length === 0 && layer.type === 'Parameter') {
      const result = torchLayerShape(layer, []);
      layer.output = result.output;
      layer.params = result.params;
      continue;
    }
    if (shaping.some((shape) => shape === null) || shaping.length === 0) {
      if (layer.kind === 'opaque' && layer.args.parameterless === true) layer.params = 0;
      else if (torchLayer) {
        // A PyTorch module's constructor fixes its parameters whatever it receives, and a layer such
        // as Conv2d fixes the rank and channels of its output even when its input is unknown.
        const fixed = torchInputFixedByLayer(layer);
        const result = torchLayerShape(layer, [fixed ?? unknownInputOf(layer)]);
        layer.params = result.params;
        if (fixed) layer.output = result.output;
      }
      continue;
    }
    const result = torchLayer ? torchLayerShape(layer, shaping as Shape[]) : kerasLayerShape(layer, shaping as Shape[], kerasView);
    // a PyTorch module's parameters follow from its constructor, even when its input does not fit
    const params = result.params ?? (torchLayer ? torchLayerShape(layer, [unknownInputOf(layer)]).params : null);
    layer.params = layer.kind === 'opaque' && layer.args.parameterless === true ? 0 : params;
    layer.shapeError = result.error;
    // a value computed under a condition footgun cannot decide reaches later code through a Branch
    // merge; only a Sequential chains a layer it may not hold to the next one
    layer.output = layer.conditional && !torchLayer && model.kind === 'sequential' ? null : result.output;
  }
  for (const module of model.unwiredModules) module.params = torchLayerShape(module, [unknownInputOf(module)]).params;
  if (!torch) checkUndefinedFeatures(model);
  model.params = totalParams(model);
}

/**
 * An input the code does not size: the configuration's `inputs` entry when it fits the first layer
 * (a declaration that contradicts the code is ignored rather than turned into findings), else, for
 * PyTorch, as far as the first layer fixes it: Conv2d(3, …) takes (N, 3, H, W), Linear(784, …) (N, 784).
 */
function inputFromElsewhere(model: Model, input: Layer, configured: Shape | null): Shape | null {
  const torch = model.framework === 'pytorch';
  const first = model.layers.find((layer) => layer.inputs.includes(input.id));
  if (configured && first && fitsFirstLayer(configured, first, torch)) return configured;
  return torch && first ? torchInputFromFirstLayer(first) : null;
}

function fitsFirstLayer(shape: Shape, first: Layer, torch: boolean): boolean {
  if (torch) {
    const fixed = torchInputFromFirstLayer(first);
    return !fixed || (fixed.length === shape.length && fixed.every((size, axis) => size === null || size === shape[axis]));
  }
  const rank = first.rank ?? 2;
  switch (first.kind) {
    case 'conv':
    case 'conv-transpose':
    case 'depthwise-conv':
    case 'pool':
    case 'global-pool':
    case 'upsample':
    case 'padding':
      return shape.length === rank + 2;
    case 'recurrent':
      return shape.length === 3;
    case 'embedding':
      return shape.length === 2;
    case 'dense':
      return shape.length >= 2;
    default:
      return true;
  }
}

function unknownInputOf(layer: Layer): Shape {
  const rank = layer.kind === 'dense' || layer.kind === 'embedding' ? 0 : layer.kind === 'recurrent' ? 1 : (layer.rank ?? 2);
  return Array.from({ length: rank + 2 }, () => null);
}

function totalParams(model: Model): number | null {
  const counted = new Set<string>();
  let total = 0;
  for (const layer of [...model.layers, ...model.unwiredModules]) {
    if (counted.has(layer.weightKey)) continue;
    counted.add(layer.weightKey);
    if (layer.params === null) return null;
    total += layer.params;
  }
  return total;
}
