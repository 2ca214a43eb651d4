import type { DataUse, Framework, Layer, LoopPass, LossSpec, Model, ModelKind, OptimizerSpec, Shape, SourceRange } from '../ir.js';
import type { PyNode } from '../parse/py-node.js';
import type { ClassValue, InstanceValue, LayerObject, Value } from './abstract/values.js';
import { mayHoldParameters } from './introspection.js';

/** One application of a layer object to its inputs. */
export interface GraphNode {
  id: number;
  layer: LayerObject;
  inputs: number[];
  loop?: LoopPass[];
  /** added inside a branch or loop whose condition footgun cannot evaluate */
  conditional: boolean;
  /** the call that applies the layer, when it is not the one that builds it */
  appliedAt?: SourceRange;
}

/** Every layer application in a file, in the order the code performs them. */
export class Graph {
  readonly nodes: GraphNode[] = [];

  add(layer: LayerObject, inputs: number[], loop: LoopPass[] | undefined, conditional: boolean, appliedAt?: SourceRange): number {
    const id = this.nodes.length;
    this.nodes.push({ id, layer, inputs, loop, conditional, appliedAt });
    return id;
  }
}

/** A model under construction: a Sequential being added to, a functional Model, a subclass instance. */
export class ModelBuilder {
  name: string | undefined;
  /** sequential: the node ids in order; functional/subclass: filled by `outputs` */
  readonly sequence: number[] = [];
  inputs: number[] = [];
  outputs: number[] = [];
  inputShape: Shape | null = null;
  loss: LossSpec[] = [];
  optimizer: OptimizerSpec | null = null;
  compileRange: SourceRange | undefined;
  /** used inside another model (called on its tensors, an entry of its Sequential, an attribute of it) */
  component = false;
  /** how it is used inside another model, when known: 'an attribute of Block' (the first use found) */
  componentUse: string | undefined;
  /** the definition of the module class it is an attribute of, when it is one */
  componentOf: PyNode | undefined;
  /** the module class whose code (its __init__, a _make_layer helper) built it */
  builtBy: ClassValue | undefined;
  /** what the file does with it as a whole model besides compile, loss and optimizer: 'run on data at line 40' */
  modelUse: string | undefined;
  /** built from a model class the file defines but never instantiates */
  fromUnusedClass = false;
  /** its forward pass ran inside another model's, on that model's tensors */
  ranInside = false;
  /** a subclassed model whose forward pass runs when the file has been read */
  instance: InstanceValue | undefined;
  /** the modules of a PyTorch nn.Sequential, applied in order when the model runs */
  items: Value[] | undefined;
  dataFormat: 'channels_last' | 'channels_first' = 'channels_last';
  /** where the program feeds the model data or compares its output with targets */
  readonly data: DataUse[] = [];
  /** the input shape came from the data fed to the model, not from its code */
  inputFromData = false;
  /** what footgun assumed to read the model, for its summary */
  readonly notes: string[] = [];

  constructor(
    readonly framework: Framework,
    /** a Keras subclass that calls `super().__init__(inputs=…, outputs=…)` becomes functional */
    public kind: ModelKind,
    /** where the model is created: the Sequential/Model call, or the class definition */
    readonly node: PyNode,
  ) {}

  get range(): SourceRange {
    return this.node.range;
  }

  get last(): number | undefined {
    return this.sequence[this.sequence.length - 1];
  }

  /** The model as the rules see it: the nodes that lead from its inputs to its outputs. */
  /** The graph nodes of a Keras model: a Sequential's in order, a functional model's those its outputs depend on. */
  kerasNodes(graph: Graph): number[] {
    return this.kind === 'sequential' ? this.sequence : reachableFrom(graph, this.outputs);
  }

  toModel(graph: Graph, fallbackName: string): Model {
    const sequential = this.sequence.length > 0;
    const ids = sequential ? this.sequence : reachableFrom(graph, this.outputs);
    const local = new Map<number, number>();
    const layers: Layer[] = ids.map((nodeId, index) => {
      local.set(nodeId, index);
      const node = graph.nodes[nodeId]!;
      return layerOf(node.layer, index, {
        appliedAt: node.appliedAt,
        inputs: node.inputs.filter((input) => local.has(input)).map((input) => local.get(input)!),
        loop: node.loop,
        conditional: node.conditional,
      });
    });
    const wired = new Set(layers.map((layer) => layer.weightKey));
    const unwired = this.framework === 'pytorch' && this.instance ? registeredModules(this.instance).filter((module) => !wired.has(module.weightKey)) : [];
    return {
      name: this.name ?? fallbackName,
      framework: this.framework,
      kind: this.kind,
      role: 'model',
      roleReason: '',
      range: this.range,
      input: this.inputShape,
      layers,
      unwiredModules: unwired.map((module, index) => layerOf(module, layers.length + index, { inputs: [], loop: undefined, conditional: false })),
      outputs: (sequential ? ids.slice(-1) : this.outputs).filter((id) => local.has(id)).map((id) => local.get(id)!),
      loss: this.loss,
      optimizer: this.optimizer,
      compileRange: this.compileRange,
      params: null,
      task: null,
      taskSource: null,
      dataFormat: this.dataFormat,
      data: this.data,
      inputFromData: this.inputFromData || undefined,
      notes: this.notes.length > 0 ? [...this.notes] : undefined,
    };
  }
}

/**
 * The model that computes one node's output shape, for `x.shape` while the code runs. Nodes whose
 * shape an earlier probe computed are not computed again: they enter as inputs of that shape (or
 * as steps of unknown shape), so a file that reads `x.shape` in every block stays linear.
 */
export function probeModel(graph: Graph, target: number, known: ReadonlyMap<number, Shape | null>): { model: Model; ids: number[] } {
  const needed = new Set<number>();
  const frontier = new Set<number>();
  const stack = [target];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (needed.has(id) || frontier.has(id)) continue;
    if (known.has(id)) {
      frontier.add(id);
      continue;
    }
    needed.add(id);
    for (const input of graph.nodes[id]!.inputs) stack.push(input);
  }
  const ids = [...needed, ...frontier].sort((a, b) => a - b);
  const local = new Map(ids.map((id, index) => [id, index]));
  const framework = graph.nodes[target]!.layer.framework;
  const layers = ids.map((id, index) => {
    const node = graph.nodes[id]!;
    if (frontier.has(id)) {
      const shape = known.get(id) ?? null;
      const placeholder: LayerObject = { ...node.layer, type: 'Known', kind: shape ? 'input' : 'opaque', args: { shape }, activation: null };
      return layerOf(placeholder, index, { inputs: [], loop: undefined, conditional: false });
    }
    return layerOf(node.layer, index, { appliedAt: node.appliedAt, inputs: node.inputs.map((input) => local.get(input)!), loop: node.loop, conditional: node.conditional });
  });
  const model: Model = {
    name: 'probe',
    framework,
    kind: 'functional',
    range: graph.nodes[target]!.layer.range,
    input: null,
    layers,
    unwiredModules: [],
    outputs: [local.get(target)!],
    loss: [],
    optimizer: null,
    params: null,
    task: null,
    taskSource: null,
    dataFormat: framework === 'pytorch' ? 'channels_first' : 'channels_last',
    role: 'component',
    roleReason: 'a probe of one tensor inside a model',
  };
  return { model, ids };
}

function layerOf(object: LayerObject, id: number, use: { appliedAt?: SourceRange; inputs: number[]; loop: Layer['loop']; conditional: boolean }): Layer {
  return {
    id,
    type: object.type,
    framework: object.framework,
    kind: object.kind,
    rank: object.rank,
    range: object.range,
    appliedAt: use.appliedAt && use.appliedAt.line !== object.range.line ? use.appliedAt : undefined,
    args: object.args,
    argRanges: object.argRanges,
    argText: object.argText,
    positionalArgs: object.positionalArgs,
    activation: object.activation,
    kernelInitializer: object.kernelInitializer,
    inputs: use.inputs,
    weightKey: object.weightKey,
    loop: use.loop,
    output: null,
    params: null,
    name: object.name,
    conditional: use.conditional || undefined,
    ...(object.floatArguments ? { floatArguments: object.floatArguments } : {}),
    wrapped: object.wrapped && layerOf(object.wrapped, id, { inputs: [], loop: undefined, conditional: false }),
  };
}

/** A module that may or may not exist (set under a condition footgun cannot decide): the parameter count is unknown. */
const ALTERNATIVE_MODULES: LayerObject = Object.freeze({
  framework: 'pytorch',
  type: 'ConditionalModule',
  kind: 'opaque',
  args: {},
  argRanges: {},
  argText: {},
  activation: null,
  range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
  weightKey: 'alternatives',
}) as LayerObject;

/**
 * The modules a PyTorch model registers by assigning them to `self` (directly, in an
 * nn.Sequential, a ModuleList or a ModuleDict, or inside a submodule): `model.parameters()`
 * counts them whether or not `forward()` uses them.
 */
function registeredModules(instance: InstanceValue): LayerObject[] {
  const found = new Map<string, LayerObject>();
  const seen = new Set<object>();
  const visit = (value: Value): void => {
    if (seen.has(value)) return;
    seen.add(value);
    if (value.kind === 'layer') found.set(value.layer.weightKey, value.layer);
    else if (value.kind === 'alternatives') {
      if (value.options.some(mayHoldParameters)) found.set(ALTERNATIVE_MODULES.weightKey, ALTERNATIVE_MODULES);
    }
    else if (value.kind === 'instance') for (const attr of value.attrs.values()) visit(attr);
    else if (value.kind === 'model') for (const item of value.model.items ?? []) visit(item);
    else if (value.kind === 'seq') for (const item of value.items) visit(item);
    else if (value.kind === 'dict') for (const item of value.entries.values()) visit(item);
  };
  visit(instance);
  return [...found.values()];
}

/** Node ids that the outputs depend on, in creation order (which is a topological order). */
export function reachableFrom(graph: Graph, outputs: number[]): number[] {
  const seen = new Set<number>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const input of graph.nodes[id]!.inputs) stack.push(input);
  }
  return [...seen].sort((a, b) => a - b);
}
