import type { ArgValue, Layer, LayerKind, LossSpec, Model, Shape, SourceRange } from '../ir.js';

export const WEIGHT_KINDS: ReadonlySet<LayerKind> = new Set(['dense', 'conv', 'conv-transpose', 'depthwise-conv']);

/** Layers that pass values through without a nonlinearity (for the purposes of the rules). */
export const LINEAR_PASS_THROUGH: ReadonlySet<LayerKind> = new Set(['dropout', 'norm', 'flatten', 'reshape', 'pool', 'global-pool', 'padding', 'upsample', 'identity']);

/** Monotonic non-decreasing activations: max-pooling commutes with them. */
export const MONOTONIC_ACTIVATIONS: ReadonlySet<string> = new Set(['relu', 'relu6', 'leaky_relu', 'prelu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'hard_sigmoid', 'softsign', 'exponential']);

export const RELU_FAMILY: ReadonlySet<string> = new Set(['relu', 'relu6', 'leaky_relu', 'prelu']);

const ORDINALS = ['1st', '2nd', '3rd'];

export function ordinal(n: number): string {
  return n <= 3 ? ORDINALS[n - 1]! : `${n}th`;
}

/** "the 4th pass of the loop at line 3 (filters=256)" */
export function passLabel(layer: Layer): string | undefined {
  const pass = layer.loop?.[layer.loop.length - 1];
  if (!pass) return undefined;
  const vars = Object.entries(pass.vars)
    .filter(([, value]) => typeof value === 'number' || typeof value === 'string')
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  return `the ${ordinal(pass.index + 1)} pass of the loop at line ${pass.loopLine}${vars ? ` (${vars})` : ''}`;
}

/** Navigation over a model's layers: who consumes what, what an output is made of. */
export class ModelGraph {
  private readonly consumerIds: number[][];

  constructor(readonly model: Model) {
    this.consumerIds = model.layers.map(() => []);
    for (const layer of model.layers) for (const input of layer.inputs) this.consumerIds[input]!.push(layer.id);
  }

  consumers(layer: Layer): Layer[] {
    return this.consumerIds[layer.id]!.map((id) => this.model.layers[id]!);
  }

  producer(layer: Layer): Layer | undefined {
    return layer.inputs.length === 1 ? this.model.layers[layer.inputs[0]!] : undefined;
  }

  /** The single consumer, when there is exactly one and it takes only this input. */
  soleConsumer(layer: Layer): Layer | undefined {
    const consumers = this.consumers(layer);
    return consumers.length === 1 && consumers[0]!.inputs.length === 1 ? consumers[0] : undefined;
  }

  isOutput(layer: Layer): boolean {
    return this.model.outputs.includes(layer.id);
  }

  /**
   * Follows the single-consumer chain after `layer` while `passThrough` holds; returns the first
   * layer where it stops and the layers passed on the way. Stops at branches, merges and the end.
   */
  next(layer: Layer, passThrough: (layer: Layer) => boolean): { stop: Layer | undefined; via: Layer[] } {
    const via: Layer[] = [];
    let current = this.soleConsumer(layer);
    while (current && passThrough(current)) {
      via.push(current);
      current = this.soleConsumer(current);
    }
    return { stop: current, via };
  }

  /** Whether any layer downstream of `layer` satisfies the predicate. */
  reaches(layer: Layer, predicate: (layer: Layer) => boolean): boolean {
    const stack = this.consumers(layer);
    const seen = new Set<number>();
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (seen.has(current.id)) continue;
      seen.add(current.id);
      if (predicate(current)) return true;
      stack.push(...this.consumers(current));
    }
    return false;
  }

  private heads: OutputHead[] | undefined;

  /** Walks back from an output through dropout and identity layers to what produces the prediction. */
  outputHeads(): OutputHead[] {
    this.heads ??= this.findOutputHeads();
    return this.heads;
  }

  private findOutputHeads(): OutputHead[] {
    return this.model.outputs.flatMap((id) => {
      let layer: Layer | undefined = this.model.layers[id];
      const trailing: Layer[] = [];
      while (layer && (layer.kind === 'dropout' || layer.kind === 'identity' || (layer.kind === 'activation' && layer.activation === 'linear'))) {
        trailing.push(layer);
        layer = this.producer(layer);
      }
      // dropout straight on the model's input is not after a prediction
      if (!layer || layer.kind === 'input') return [];
      let activationLayer: Layer | undefined;
      let predictor: Layer | undefined = layer;
      if (layer.kind === 'activation') {
        activationLayer = layer;
        predictor = this.producer(layer);
        while (predictor && (predictor.kind === 'norm' || predictor.kind === 'dropout')) predictor = this.producer(predictor);
      }
      const activation = activationLayer ? activationLayer.activation : predictor && WEIGHT_KINDS.has(predictor.kind) ? predictor.activation : null;
      return [{ output: this.model.layers[id]!, activationLayer, predictor, activation, trailing, units: outputUnits(predictor ?? layer, this.model.layers[id]!) }];
    });
  }
}

export interface OutputHead {
  /** the model's output layer itself */
  output: Layer;
  /** a separate activation layer that applies the output activation */
  activationLayer: Layer | undefined;
  /** the weight layer that makes the prediction */
  predictor: Layer | undefined;
  /** the output activation, 'linear' for none, null when unknown */
  activation: string | null;
  /** dropout/identity layers after the prediction */
  trailing: Layer[];
  /** size of the last axis of the prediction */
  units: number | null;
}

function outputUnits(predictor: Layer, output: Layer): number | null {
  if (typeof predictor.args.units === 'number') return predictor.args.units;
  if (typeof predictor.args.filters === 'number') return predictor.args.filters;
  const shape = output.output;
  return shape ? (shape[shape.length - 1] ?? null) : null;
}

/** Where the activation of a layer is written, for messages: the layer's own `activation=` or a separate layer. */
export function activationSource(layer: Layer): string {
  if (layer.framework === 'pytorch') return layer.kind === 'activation' && !layer.type.includes('.') ? `nn.${layer.type}` : layer.type;
  return layer.kind === 'activation' ? `${layer.type}(${layer.argText.activation ?? ''})` : `${layer.type}(activation=${layer.argText.activation ?? `'${layer.activation}'`})`;
}

/** Index of a layer's first spatial axis: 2 when channels come first (PyTorch, `data_format='channels_first'`), else 1. */
export function firstSpatialAxis(layer: Layer, model: Model): number {
  return (layer.args.data_format ?? model.dataFormat) === 'channels_first' || model.framework === 'pytorch' ? 2 : 1;
}

/** The spatial dimensions of a batch-first shape. */
export function spatialDims(shape: Shape, rank: number, firstAxis: number): (number | null)[] {
  return shape.slice(firstAxis, firstAxis + rank);
}

/** Where a finding about how a layer is wired belongs: its use in forward()/call() when that is elsewhere. */
export function wiringRange(layer: Layer): SourceRange {
  return layer.appliedAt ?? layer.range;
}

/** A replacement for a string argument that keeps the user's quote style. */
export function quoted(original: string | undefined, value: string): string {
  const quote = original?.trim().startsWith('"') ? '"' : "'";
  return `${quote}${value}${quote}`;
}

/** How a message that starts a sentence names what a PyTorch model returns: an `nn.Sequential` has no forward() of the user's. */
export function torchOutputText(model: Model): { returns: string; returnInstead: string } {
  return model.kind === 'sequential' ? { returns: 'The nn.Sequential ends with', returnInstead: 'End the nn.Sequential with' } : { returns: 'forward() returns', returnInstead: 'Return' };
}

/** The model's loss when it has exactly one (several losses belong to several outputs). */
export function soleLoss(model: Model): LossSpec | undefined {
  return model.loss.length === 1 ? model.loss[0] : undefined;
}

/** The loss as the user wrote it, for messages: `nn.CrossEntropyLoss`, `'binary_crossentropy'`, `sparse_categorical_crossentropy, from_logits=True`. */
export function lossLabel(model: Model, loss: LossSpec): string {
  if (model.framework === 'pytorch') return loss.written ?? loss.name;
  return loss.fromLogits ? `${loss.name}, from_logits=True` : (loss.literal ?? loss.name);
}

/** What a logits loss applies to the scores before comparing: sigmoid for the binary ones, softmax for the rest. */
export function activationInLoss(loss: LossSpec): 'sigmoid' | 'softmax' {
  return loss.name.startsWith('binary') ? 'sigmoid' : 'softmax';
}

/** The per-axis values of a window argument (kernel, strides), `null` where unknown; undefined when the argument is not known at all. */
export function windowOf(value: ArgValue | undefined): (number | null)[] | undefined {
  if (typeof value === 'number') return [value];
  return Array.isArray(value) ? value.map((v) => (typeof v === 'number' ? v : null)) : undefined;
}

/**
 * A patchify convolution (ViT, Swin, ConvNeXt stems: kernel_size=patch, stride=patch) cuts the
 * image into patches and projects each one: it is a patch embedding, not a bank of feature
 * detectors. Overlapping patch embeddings (PiT's 16×16 kernel with stride 8, CvT's 7×7 with stride 4) count
 * too: a stride of 4 or more and a kernel at most twice the stride, so each pixel is in at most two
 * patches per axis. True also when footgun cannot
 * rule it out: a stride it cannot read, or an unknown kernel with a stride above 1.
 */
export function mayPatchify(layer: Layer): boolean {
  const kernel = windowOf(layer.args.kernel_size);
  const strides = windowOf(layer.args.strides ?? 1);
  if (!strides || strides.some((s) => s === null)) return true;
  if (strides.every((s) => s === 1)) return false;
  if (!kernel || kernel.some((k) => k === null)) return true;
  const stride = (axis: number) => strides[strides.length === 1 ? 0 : axis];
  return kernel.every((k, axis) => k === stride(axis) || (stride(axis)! >= 4 && k! <= 2 * stride(axis)!));
}

/** A grouped or depthwise convolution, or one whose `groups` footgun cannot read (it may be depthwise). */
export function mayBeGrouped(layer: Layer): boolean {
  return layer.kind === 'depthwise-conv' || ((layer.kind === 'conv' || layer.kind === 'conv-transpose') && layer.args.groups !== undefined && layer.args.groups !== 1);
}

/** Layers between a model's input and the first layer that reads it which leave the image as it is (a view or permute only rearranges it). */
const IMAGE_PRESERVING: ReadonlySet<LayerKind> = new Set(['padding', 'identity', 'dropout', 'norm', 'reshape']);
const IMAGE_PREPROCESSING: ReadonlySet<string> = new Set(['Resizing', 'CenterCrop']);

/**
 * Whether a layer reads the model's input itself (through padding, a view or input normalisation at most),
 * rather than what a backbone, a stem or a helper footgun cannot read made of it.
 */
export function readsModelInput(layer: Layer, graph: ModelGraph): boolean {
  const { model } = graph;
  let current: Layer | undefined = layer;
  for (;;) {
    // only a Sequential's first layer takes the input unwired; elsewhere it was applied to something footgun could not read
    if (current.inputs.length === 0) return model.kind === 'sequential' && model.layers.find((l) => l.kind !== 'input') === current;
    const producer = graph.producer(current);
    if (!producer) return false;
    if (producer.kind === 'input') return true;
    if (!IMAGE_PRESERVING.has(producer.kind) && !IMAGE_PREPROCESSING.has(producer.type)) return false;
    current = producer;
  }
}
