// Running the models a file builds: forward passes on a symbolic input once the file has been
// read, training methods, and the definitions nothing in the file calls.
import type { Shape } from '../ir.js';
import { shapesEqual } from '../shapes/arrays.js';
import type { PyNode } from '../parse/py-node.js';
import type { CallSite, InstanceValue, Value } from './abstract/values.js';
import { UNKNOWN_VALUE, flattenTensors } from './abstract/values.js';
import { syntheticCall } from './calls.js';
import { findMember } from './classes.js';
import type { ModelBuilder } from './graph.js';
import type { Interpreter } from './interpreter.js';
import { assignRoles, componentDefinitions, definitionOf, markComponent, markModelUse } from './roles.js';

export class ModelRuns {
  /** set while model classes nobody instantiates are analysed with their defaults */
  analysingUnusedClasses = false;
  /** the tensor each call of a component gives it, or null for a call with several tensors */
  private readonly componentCalls = new Map<ModelBuilder, (number | null)[]>();

  constructor(private readonly vm: Interpreter) {}

  /**
   * A model called on tensors of another model is a part of it. Called on data (a batch,
   * `torch.randn(1, 3, 32, 32)`), it is the model being run: the data's shape is its input shape.
   */
  usedAsComponent(model: ModelBuilder, call: CallSite): boolean {
    // keyword calls count too: self.attn(x=y, mask=m)
    const tensors = [...call.args, ...call.kwargs.values()].flatMap(flattenTensors);
    if (tensors.length > 0) {
      if (!model.compileRange) markComponent(model, `called on another model's tensors at line ${call.node.line}`);
      const [first] = call.args;
      this.componentCalls.set(model, [...(this.componentCalls.get(model) ?? []), tensors.length === 1 && first?.kind === 'tensor' ? first.node : null]);
      model.ranInside = true;
      return true;
    }
    const data = call.args[0];
    if (data?.kind === 'array' && data.shape.length > 0) markModelUse(model, `run on data at line ${call.node.line}`);
    // a Keras model that declares its input keeps it: data of another shape is a mistake to report
    if (data?.kind === 'array' && data.shape.length > 0 && (model.framework === 'pytorch' || model.inputShape === null)) {
      model.inputShape = [null, ...data.shape.slice(1)];
      model.inputFromData = true;
    }
    return false;
  }

  /**
   * Runs the forward pass of every model the file built, on a symbolic input, once the whole file
   * has been read. A block built many times (a stage's twelve blocks) runs on its own once, where
   * its first instance that ran inside another model stands: the other instances already ran
   * inside the model that holds them, and their code is the same. Should one of them be the
   * instance that stands for its class among the components, it runs at the end.
   */
  runForwardPasses(): void {
    const ranInsideBefore = new Set<string>();
    const skipped: ModelBuilder[] = [];
    for (const builder of this.vm.builders) {
      if (!builder.instance && !builder.items) continue;
      const definition = `${definitionOf(builder)}:${builder.fromUnusedClass}`;
      if (builder.ranInside && ranInsideBefore.has(definition)) {
        // the shape it runs with counts in choosing the instance that stands for its class
        builder.inputShape ??= this.inputFromCalls(builder);
        skipped.push(builder);
        continue;
      }
      if (builder.ranInside) ranInsideBefore.add(definition);
      this.runForwardPass(builder);
    }
    if (skipped.length === 0) return;
    const { modelClasses, layerClasses } = this.vm.definitions;
    const roles = assignRoles(this.vm.builders, { doc: this.vm.doc, moduleClasses: [...modelClasses, ...layerClasses] });
    const standing = new Set(componentDefinitions(this.vm.builders.filter((builder) => roles.get(builder)!.role === 'component')));
    for (const builder of skipped) if (standing.has(builder)) this.runForwardPass(builder);
  }

  /** Runs a model's forward pass on a symbolic input once the whole file has been read. */
  runForwardPass(builder: ModelBuilder): void {
    builder.inputShape ??= this.inputFromCalls(builder);
    const instance = builder.instance;
    const forward = instance ? this.vm.classes.forwardMethod(instance.cls) : undefined;
    // a class without forward() may inherit one (a subclass of nn.Sequential)
    if (instance && forward?.kind !== 'function' && !this.vm.classes.inherited(instance, '__iter__', syntheticCall(instance.cls.def))) return;
    const parameters = forward?.kind === 'function' ? (forward.def.child('parameters')?.namedChildren ?? []) : [];
    const at = parameters[1] ?? (forward?.kind === 'function' ? forward.def : undefined);
    const input = this.vm.addNode(
      {
        framework: builder.framework,
        type: 'Input',
        kind: 'input',
        args: { shape: builder.inputShape ?? null },
        argRanges: {},
        argText: {},
        activation: null,
        range: at?.range ?? builder.range,
        weightKey: this.vm.nextWeightKey(),
      },
      [],
    );
    if (input.kind !== 'tensor') return;
    builder.inputs = [input.node];
    let output: Value;
    if (instance && forward?.kind === 'function') {
      output = this.vm.calls.callFunction({ ...forward, bound: instance }, syntheticCall(forward.def, [input]));
    } else if (instance) {
      output = this.vm.classes.inherited(instance, 'forward', syntheticCall(builder.node, [input])) ?? UNKNOWN_VALUE;
    } else {
      output = this.applySequence(builder.items ?? [], input, builder.node);
    }
    builder.outputs = flattenTensors(output).map((t) => t.node);
    if (instance) this.runTrainingMethods(builder, instance);
  }

  /**
   * A component's input, where the models that run it give it one tensor of the same shape every
   * time (a block used once, or a stage of identical blocks): its own summary then has the shapes
   * and parameters it has there. Called with other shapes, or with more tensors, it stays unknown.
   */
  private inputFromCalls(builder: ModelBuilder): Shape | null {
    const calls = this.componentCalls.get(builder);
    if (!calls || calls.includes(null)) return null;
    const shapes = calls.map((node) => this.vm.expressions.shapeOf(node!));
    const [first] = shapes;
    if (!first || shapes.some((shape) => !shape || !shapesEqual(shape, first))) return null;
    return first;
  }

  /**
   * A class that trains itself (a LightningModule) makes its loss in `training_step` and its
   * optimizer in `configure_optimizers`: they are run with unknown arguments, and what they make
   * is this model's, not the file's.
   */
  private runTrainingMethods(builder: ModelBuilder, instance: InstanceValue): void {
    const frontEnd = this.vm.classes.role(instance.cls)?.frontEnd;
    const losses = this.vm.fileLosses.length;
    const optimizers = this.vm.fileOptimizers.length;
    for (const name of frontEnd?.trainingMethods ?? []) {
      const method = findMember(instance.cls, name);
      if (method?.kind !== 'function') continue;
      this.vm.calls.callFunction({ ...method, bound: instance }, syntheticCall(method.def));
    }
    const ownLosses = this.vm.fileLosses.splice(losses);
    const [ownOptimizer] = this.vm.fileOptimizers.splice(optimizers);
    if (builder.loss.length === 0) builder.loss = ownLosses;
    builder.optimizer ??= ownOptimizer ?? null;
  }

  /** Applies modules one after the other, as nn.Sequential does. */
  applySequence(items: readonly Value[], input: Value, node: PyNode): Value {
    let current = input;
    for (const item of items) {
      const call: CallSite = { ...syntheticCall(node, [current]), argNodes: [], sequenceStep: true };
      const result = this.vm.calls.callValue(item, call);
      current = result.kind === 'seq' ? (result.items[0] ?? UNKNOWN_VALUE) : result;
    }
    return current;
  }

  /**
   * Functions never called and model classes never instantiated are analysed with their defaults.
   * Only functions that build models (their text names layers, or calls a function that does) are
   * run: a training script's data loaders and plotting helpers have nothing to review.
   */
  analyseUncalledDefinitions(): void {
    const { topLevelFunctions, called, modelClasses, instantiated } = this.vm.definitions;
    const builders = new Set<string>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const fn of topLevelFunctions) {
        if (builders.has(fn.name)) continue;
        const text = fn.def.text;
        if (this.vm.buildsModels(text) || [...builders].some((name) => text.includes(`${name}(`))) {
          builders.add(fn.name);
          changed = true;
        }
      }
    }
    // Callers are usually defined after what they call, so the latest definitions go first.
    for (const fn of [...topLevelFunctions].reverse()) {
      if (called.has(fn.def.start) || !builders.has(fn.name)) continue;
      this.vm.calls.callFunction(fn, syntheticCall(fn.def));
    }
    this.analysingUnusedClasses = true;
    for (const cls of modelClasses) {
      if (instantiated.has(cls.def.start)) continue;
      this.vm.classes.instantiate(cls, syntheticCall(cls.def));
    }
    this.analysingUnusedClasses = false;
  }
}
