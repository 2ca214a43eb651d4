import type { ArgValue, Framework, LoopPass, LossSpec, OptimizerSpec, SourceRange } from '../ir.js';
import type { PyDocument, PyNode } from '../parse/py-node.js';
import { formatCount } from '../text.js';
import type { CallSite, InstanceValue, LayerObject, Value } from './abstract/values.js';
import { NONE_VALUE, UNKNOWN_SPREAD, UNKNOWN_VALUE, loopSnapshot, sameValue, seq, tensorIds, toArg, truthy } from './abstract/values.js';
import type { Container } from './branch-journal.js';
import { BranchJournal } from './branch-journal.js';
import type { Spent } from './budget.js';
import { Budget, LIMITS } from './budget.js';
import { CallEvaluator } from './calls.js';
import { ClassSystem } from './classes.js';
import type { IndexKey } from './expressions.js';
import { ExpressionEvaluator } from './expressions.js';
import { syntheticLayer } from './frontend-kit.js';
import { Graph } from './graph.js';
import type { ModelBuilder } from './graph.js';
import { bindImport, bindImportFrom } from './imports.js';
import { isModuleValue } from './introspection.js';
import { ModelRuns } from './model-runs.js';
import type { Project } from './program.js';
import { ModuleLoader } from './program.js';
import { noteAttribute } from './roles.js';
import { Scope } from './scope.js';

/** What a framework (Keras, PyTorch) teaches the interpreter about its API. */
export interface FrontEnd {
  framework: Framework;
  /** the value of calling an external symbol (`keras.layers.Dense(64)`), or undefined when not ours */
  callExternal(path: string, call: CallSite, interp: Interpreter): Value | undefined;
  /** a method call on a model, tensor or layer of ours (`model.add`, `model.compile`, `x.view`) */
  callMethod(target: Value, method: string, call: CallSite, interp: Interpreter): Value | undefined;
  /** 'model' for a base class such as keras.Model, 'layer' for keras.layers.Layer */
  classRole(path: string): 'model' | 'layer' | undefined;
  /** the method that runs the forward pass: 'call' or 'forward' */
  forwardMethod: string;
  /** methods of a model class that make its loss and optimizer (Lightning's `training_step`, `configure_optimizers`) */
  trainingMethods: readonly string[];
  /** matches source text that uses this framework's model-building vocabulary (layer classes, Sequential, compile) */
  vocabulary: RegExp;
  /** matches a call of that vocabulary: `Dense(`, `nn.Linear(` */
  vocabularyCall: RegExp;
  /**
   * What the framework's base class does for a method a model class does not define, or calls
   * through `super()`: nn.Sequential's `__init__(*modules)` and `forward`, `__iter__` over its
   * modules. Undefined when the front end has nothing to say.
   */
  inheritedMethod?(instance: InstanceValue, method: string, call: CallSite, interp: Interpreter): Value | undefined;
  /** `x[:, -1]` on one of its tensors, when it reads subscripts */
  indexTensor?(tensor: Extract<Value, { kind: 'tensor' }>, keys: IndexKey[], node: PyNode, interp: Interpreter): Value | undefined;
  /** `isinstance(value, path)` for the framework's classes (`nn.Conv2d`), when it can tell */
  isInstance?(value: Value, path: string, interp: Interpreter): boolean | undefined;
  /** apply an elementwise operator to tensors: `x + shortcut` */
  tensorOperator(operator: string, left: Value, right: Value, node: PyNode, interp: Interpreter): Value | undefined;
  /** an attribute of a model or layer of ours that the framework defines (`model.layers`, `layer.output`) */
  attribute?(object: Value, name: string, interp: Interpreter): Value | undefined;
  /** runs once the whole file has been read and its models run */
  finish?(interp: Interpreter): void;
  /** before a user class of this framework runs its forward method (Keras builds a layer on its first call) */
  prepareCall?(instance: InstanceValue, call: CallSite, interp: Interpreter): void;
}

export interface AnalysisNote {
  range: SourceRange;
  message: string;
}

type Signal = 'normal' | 'return' | 'break' | 'continue' | 'stop';

export interface Frame {
  returns: Value[];
}

type FunctionValue = Extract<Value, { kind: 'function' }>;

/** What the file defines and what of it the code uses: functions and classes nobody calls are analysed on their own. */
export interface Definitions {
  topLevelFunctions: FunctionValue[];
  modelClasses: Extract<Value, { kind: 'class' }>[];
  /** classes deriving from a framework layer class (keras.layers.Layer): modules that hold no model of their own */
  layerClasses: Extract<Value, { kind: 'class' }>[];
  /** definition start offsets of the functions called */
  called: Set<number>;
  /** definition start offsets of the classes instantiated */
  instantiated: Set<number>;
}

/**
 * An abstract interpreter for the subset of Python that builds models. It runs the module top to
 * bottom, follows user functions and classes, unrolls loops over known sequences, and asks the
 * framework front ends what each library call means. It never imports or runs the user's code:
 * whatever it cannot know becomes `unknown`, and unknown never produces a finding.
 *
 * This class steps statements and holds the state of the run; expressions, calls, classes and
 * model runs are evaluated by their own modules.
 */
export class Interpreter {
  readonly graph = new Graph();
  readonly builders: ModelBuilder[] = [];
  readonly notes: AnalysisNote[] = [];
  readonly loopStack: LoopPass[] = [];
  /** first components of the modules the file imports: 'torch', 'keras', 'tensorflow', … */
  readonly importedRoots = new Set<string>();
  /** losses and optimizers created anywhere in the file (PyTorch keeps them apart from the model) */
  readonly fileLosses: LossSpec[] = [];
  readonly fileOptimizers: OptimizerSpec[] = [];
  readonly definitions: Definitions = { topLevelFunctions: [], modelClasses: [], layerClasses: [], called: new Set(), instantiated: new Set() };
  readonly budget = new Budget();
  readonly expressions = new ExpressionEvaluator(this);
  readonly calls = new CallEvaluator(this);
  readonly classes = new ClassSystem(this);
  readonly runs = new ModelRuns(this);
  private readonly journal = new BranchJournal(this.budget);
  /** the project modules the file imports, when footgun has its project's files */
  readonly modules: ModuleLoader | undefined;
  private uncertainDepth = 0;
  private budgetNoted = false;
  private layerCounter = 0;
  /** imported modules being run: their definitions are not the file's own */
  private importing = 0;

  constructor(
    readonly doc: PyDocument,
    readonly frontEnds: readonly FrontEnd[],
    program?: { project: Project; path: string },
  ) {
    this.modules = program ? new ModuleLoader(program.project, program.path, this) : undefined;
  }

  get conditional(): boolean {
    return this.uncertainDepth > 0;
  }

  nextWeightKey(): string {
    return `w${this.layerCounter++}`;
  }

  run(): void {
    const module = new Scope();
    module.set('__name__', { kind: 'string', value: '__main__' });
    this.execBlock(this.doc.root.namedChildren, module, { returns: [] });
    this.runs.analyseUncalledDefinitions();
    this.runs.runForwardPasses();
    for (const frontEnd of this.frontEnds) frontEnd.finish?.(this);
  }

  /** Runs an imported module's top level in its own scope, apart from the code that imported it. */
  runModule(doc: PyDocument, scope: Scope): void {
    const savedLoops = this.loopStack.splice(0);
    const savedUncertainty = this.uncertainDepth;
    this.uncertainDepth = 0;
    this.importing++;
    try {
      this.execBlock(doc.root.namedChildren, scope, { returns: [] });
    } finally {
      this.importing--;
      this.uncertainDepth = savedUncertainty;
      this.loopStack.push(...savedLoops);
    }
  }

  /** Whether a definition is the analysed file's own (not one of a module it imports). */
  ownsDefinition(node: PyNode): boolean {
    return this.importing === 0 && node.doc === this.doc;
  }

  evaluate(node: PyNode, scope: Scope): Value {
    return this.expressions.evaluate(node, scope);
  }

  // ---------------------------------------------------------------- model plumbing used by front ends

  addBuilder(builder: ModelBuilder): ModelBuilder {
    if (!this.budget.graphItem()) this.noteBudget(builder.range, 'graph');
    builder.fromUnusedClass = this.runs.analysingUnusedClasses;
    // a network built by a module's own code (its __init__, a _make_layer helper) is a part of it
    const owner = this.calls.runningInstance();
    if (owner && this.classes.role(owner.cls)) builder.builtBy = owner.cls;
    this.builders.push(builder);
    return builder;
  }

  addNode(layer: LayerObject, inputs: number[], appliedAt?: SourceRange): Value {
    if (!this.budget.graphItem()) {
      this.noteBudget(appliedAt ?? layer.range, 'graph');
      return UNKNOWN_VALUE;
    }
    return { kind: 'tensor', node: this.graph.add(layer, inputs, loopSnapshot(this.loopStack), this.conditional, appliedAt) };
  }

  /**
   * Applies a layer object to whatever it is called with; non-tensor inputs start a detached
   * fragment. `at` is the call that applies it, when that is not where it was built
   * (`self.fc1(x)` in forward() for `self.fc1 = nn.Linear(…)` in __init__).
   */
  applyLayer(layer: LayerObject, inputs: Value[], at?: PyNode): Value {
    return this.addNode(layer, tensorIds(inputs), at?.range);
  }

  /** A step footgun cannot see into: its output shape is unknown; `parameterless` for tensor operations that hold no weights. */
  opaque(type: string, framework: Framework, node: PyNode, inputs: Value[], parameterless = false): Value {
    return this.applyLayer(
      {
        framework,
        type,
        kind: 'opaque',
        args: parameterless ? { parameterless: true } : {},
        argRanges: {},
        argText: {},
        activation: null,
        range: node.range,
        weightKey: this.nextWeightKey(),
      },
      inputs,
    );
  }

  /** Call before changing a list, dict, instance or Sequential in place: branches footgun cannot decide are merged, not chained. */
  willMutate(container: Container): void {
    if (this.journal.active) this.journal.willMutate(container);
  }

  usedAsComponent(model: ModelBuilder, call: CallSite): boolean {
    return this.runs.usedAsComponent(model, call);
  }

  applySequence(items: readonly Value[], input: Value, node: PyNode): Value {
    return this.runs.applySequence(items, input, node);
  }

  currentArguments(): ReadonlyMap<string, Value> {
    return this.calls.currentArguments();
  }

  noteBudget(at: SourceRange, spent: Spent): void {
    if (this.budgetNoted) return;
    this.budgetNoted = true;
    // A long file that builds no model is not worth a word; words such as `Add` or `Model` in its text do not make it model code.
    if (this.builders.length === 0 && !this.frontEnds.some((frontEnd) => frontEnd.vocabularyCall.test(this.doc.text))) return;
    const what = { statements: `${formatCount(LIMITS.statements)} statements`, expressions: `${formatCount(LIMITS.evaluations)} expressions`, graph: `${formatCount(LIMITS.graph)} layers and models` }[spent];
    this.noteAt(at, `footgun stopped following this file here after ${what}; models built after this point are not analysed.`);
  }

  /** A list or string grew past what footgun keeps (LIMITS.sequenceItems, stringLength): it is unknown from here on. */
  noteTooLong(node: PyNode, what: 'list' | 'string'): void {
    const limit = what === 'list' ? `${formatCount(LIMITS.sequenceItems)} items` : `${formatCount(LIMITS.stringLength)} characters`;
    if (this.buildsModels(this.doc.text)) this.note(node, `This ${what} grows past ${limit}; footgun does not follow it further, so what is built from it is not analysed.`);
  }

  /** Whether code uses a framework's model-building vocabulary: limits elsewhere are not worth a word. */
  buildsModels(text: string): boolean {
    return this.frontEnds.some((frontEnd) => frontEnd.vocabulary.test(text));
  }

  note(node: PyNode, message: string): void {
    this.noteAt(node.range, message);
  }

  noteAt(range: SourceRange, message: string): void {
    if (!this.notes.some((n) => n.range.line === range.line && n.message === message)) this.notes.push({ range, message });
  }

  // ---------------------------------------------------------------- statements

  execBlock(statements: PyNode[], scope: Scope, frame: Frame): Signal {
    for (const statement of statements) {
      const signal = this.exec(statement, scope, frame);
      if (signal !== 'normal') return signal;
    }
    return 'normal';
  }

  private exec(node: PyNode, scope: Scope, frame: Frame): Signal {
    if (!this.budget.statement()) {
      this.noteBudget(node.range, this.budget.exhausted ?? 'statements');
      return 'stop';
    }
    switch (node.type) {
      case 'expression_statement':
        for (const child of node.namedChildren) this.evaluate(child, scope);
        return 'normal';
      case 'import_statement':
        bindImport(node, scope, this.importedRoots);
        this.modules?.bindImport(node, scope);
        return 'normal';
      case 'import_from_statement':
        bindImportFrom(node, scope, this.importedRoots);
        this.modules?.bindImport(node, scope);
        return 'normal';
      case 'decorated_definition': {
        const definition = node.namedChildren.find((c) => c.type === 'function_definition' || c.type === 'class_definition');
        return definition ? this.exec(definition, scope, frame) : 'normal';
      }
      case 'function_definition':
        this.defineFunction(node, scope);
        return 'normal';
      case 'class_definition':
        this.classes.define(node, scope);
        return 'normal';
      case 'for_statement':
        return this.execFor(node, scope, frame);
      case 'if_statement':
        return this.execIf(node, scope, frame);
      case 'while_statement': {
        const body = node.child('block');
        if (body) this.execUncertain([body.namedChildren], scope, frame, true);
        return 'normal';
      }
      case 'with_statement': {
        for (const item of node.child('with_clause')?.namedChildren ?? []) this.execWithItem(item, scope);
        const body = node.child('block');
        return body ? this.execBlock(body.namedChildren, scope, frame) : 'normal';
      }
      case 'try_statement': {
        const body = node.child('block');
        return body ? this.execBlock(body.namedChildren, scope, frame) : 'normal';
      }
      case 'return_statement': {
        const value = node.namedChildren[0];
        frame.returns.push(value ? this.evaluate(value, scope) : NONE_VALUE);
        return 'return';
      }
      case 'raise_statement':
        return 'return';
      case 'break_statement':
        return 'break';
      case 'continue_statement':
        return 'continue';
      default:
        return 'normal';
    }
  }

  private execWithItem(item: PyNode, scope: Scope): void {
    const expression = item.namedChildren[0];
    if (!expression) return;
    if (expression.type === 'as_pattern') {
      const [value, target] = expression.namedChildren;
      if (value) this.evaluate(value, scope);
      const name = target?.namedChildren[0] ?? target;
      if (name) this.bind(name, UNKNOWN_VALUE, scope);
    } else {
      this.evaluate(expression, scope);
    }
  }

  private defineFunction(node: PyNode, scope: Scope): void {
    const name = node.child('identifier')?.text;
    if (!name) return;
    const fn: FunctionValue = { kind: 'function', def: node, scope, name };
    scope.set(name, fn);
    if (!scope.get('__class_body__') && this.calls.depth === 0 && this.ownsDefinition(node)) this.definitions.topLevelFunctions.push(fn);
  }

  private execFor(node: PyNode, scope: Scope, frame: Frame): Signal {
    const [target, iterable] = node.namedChildren;
    const body = node.child('block');
    if (!target || !iterable || !body) return 'normal';
    const items = this.expressions.iterate(this.evaluate(iterable, scope));
    if (!items) {
      this.bind(target, UNKNOWN_VALUE, scope);
      this.execUncertain([body.namedChildren], scope, frame, true);
      return 'normal';
    }
    const passes = Math.min(items.length, LIMITS.loopPasses);
    for (let index = 0; index < passes; index++) {
      const item = items.item(index);
      this.bind(target, item, scope, false);
      this.loopStack.push({ loopLine: node.line, index, count: items.length, vars: loopVariables(target, item) });
      const signal = this.execBlock(body.namedChildren, scope, frame);
      this.loopStack.pop();
      if (signal === 'break') return 'normal';
      if (signal === 'return' || signal === 'stop') return signal;
    }
    if (items.length > passes) {
      if (this.buildsModels(body.text)) {
        this.note(node, `This loop runs ${formatCount(items.length)} times; footgun followed the first ${passes} passes only, so shapes after it are unknown.`);
      }
      this.bind(target, UNKNOWN_VALUE, scope);
      this.execUncertain([body.namedChildren], scope, frame, true);
    }
    return 'normal';
  }

  private execIf(node: PyNode, scope: Scope, frame: Frame): Signal {
    const clauses: { condition?: PyNode; body: PyNode }[] = [];
    const [condition] = node.namedChildren;
    const consequence = node.child('block');
    if (condition && consequence) clauses.push({ condition, body: consequence });
    for (const alternative of node.namedChildren) {
      if (alternative.type === 'elif_clause') {
        const [elifCondition] = alternative.namedChildren;
        const elifBody = alternative.child('block');
        if (elifCondition && elifBody) clauses.push({ condition: elifCondition, body: elifBody });
      } else if (alternative.type === 'else_clause') {
        const elseBody = alternative.child('block');
        if (elseBody) clauses.push({ body: elseBody });
      }
    }
    const candidates: PyNode[] = [];
    let certain = false;
    for (const clause of clauses) {
      const known = clause.condition ? truthy(this.evaluate(clause.condition, scope)) : true;
      if (known === false) continue;
      candidates.push(clause.body);
      if (known === true) {
        certain = candidates.length === 1;
        break;
      }
    }
    if (candidates.length === 0) return 'normal';
    if (certain) return this.execBlock(candidates[0]!.namedChildren, scope, frame);
    const lastIsCatchAll = clauses[clauses.length - 1]?.condition === undefined && candidates[candidates.length - 1] === clauses[clauses.length - 1]?.body;
    this.execUncertain(
      candidates.map((c) => c.namedChildren),
      scope,
      frame,
      !lastIsCatchAll,
    );
    return 'normal';
  }

  /**
   * Runs branches footgun cannot choose between, each on its own overlay of the scope, and merges
   * what they assigned. `mayRunNone`: the code may also take none of them (an `if` without `else`).
   */
  private execUncertain(branches: PyNode[][], scope: Scope, frame: Frame, mayRunNone: boolean): void {
    this.uncertainDepth++;
    const overlays: Scope[] = [];
    const at = branches[0]![0];
    try {
      this.journal.runBranches(
        branches.map((statements) => () => {
          const overlay = scope.overlay();
          overlays.push(overlay);
          const branchFrame: Frame = { returns: [] };
          this.execBlock(statements, overlay, branchFrame);
          frame.returns.push(...branchFrame.returns);
        }),
        mayRunNone,
        (values) => this.mergeOutcomes(values, at),
      );
    } finally {
      this.uncertainDepth--;
    }
    const names = new Set<string>();
    for (const overlay of overlays) for (const name of overlay.ownNames()) names.add(name);
    for (const name of names) {
      const outcomes = overlays.map((overlay) => overlay.own(name) ?? scope.get(name) ?? UNKNOWN_VALUE);
      if (mayRunNone) outcomes.push(scope.get(name) ?? UNKNOWN_VALUE);
      scope.set(name, this.mergeOutcomes(outcomes, at));
    }
  }

  /**
   * What a place holds after branches footgun cannot choose between: the value they agree on; for
   * tensors, a `Branch` node (its shape is what the alternatives have in common); for modules, the
   * alternatives, called one by one when the code calls them; anything else is unknown.
   * `ofAlternativeModules`: the outcomes come from modules of which only one may exist.
   */
  mergeOutcomes(outcomes: Value[], at: PyNode | undefined, ofAlternativeModules = false): Value {
    const first = outcomes[0]!;
    if (outcomes.every((o) => sameValue(o, first))) return first;
    if (outcomes.every((o) => o.kind === 'tensor') && at) {
      const framework = this.graph.nodes[(first as Extract<Value, { kind: 'tensor' }>).node]!.layer.framework;
      // outputs of modules of which only one may exist: the parameters are unknown
      const args: Record<string, ArgValue> = ofAlternativeModules ? { branch: true, alternatives: true } : { parameterless: true, branch: true };
      return this.applyLayer({ ...syntheticLayer(framework, 'Branch', 'opaque', at, this), args }, outcomes);
    }
    // tuples of one length (a call footgun could not read may return one too) merge item by item
    const tuples = outcomes.filter((o): o is Extract<Value, { kind: 'seq' }> => o.kind === 'seq');
    const length = tuples[0]?.items.length;
    if (at && tuples.length > 0 && length !== undefined && length <= 8 && outcomes.every((o) => o.kind === 'tensor' || (o.kind === 'seq' && o.items.length === length && !o.items.includes(UNKNOWN_SPREAD)))) {
      return seq(
        Array.from({ length }, (_, i) => this.mergeOutcomes(outcomes.map((o) => (o.kind === 'seq' ? o.items[i]! : this.unpacked(o, at))), at, ofAlternativeModules)),
        tuples[0]!.tuple,
      );
    }
    const options = outcomes.flatMap((o) => (o.kind === 'alternatives' ? o.options : [o]));
    // a framework layer class of the file's own (a Keras custom Layer) is called like a module
    const callable = (o: Value) => isModuleValue(o) || (o.kind === 'instance' && this.classes.role(o.cls) !== undefined);
    if (options.some(callable) && options.every((o) => callable(o) || o.kind === 'unknown' || o.kind === 'none')) {
      return { kind: 'alternatives', options: options.filter((o, i) => options.findIndex((other) => sameValue(other, o)) === i) };
    }
    return UNKNOWN_VALUE;
  }

  /** Assigns a value to a target; `names`: a model takes the name of the variable (not of a loop variable that visits it). */
  bind(target: PyNode, value: Value, scope: Scope, names = true): void {
    switch (target.type) {
      case 'identifier':
        scope.set(target.text, value);
        if (names) this.nameValue(value, target.text, false);
        return;
      case 'attribute': {
        const [objectNode, attribute] = target.namedChildren;
        if (!objectNode || !attribute) return;
        const object = this.evaluate(objectNode, scope);
        if (object.kind === 'instance') this.setAttribute(object, attribute.text, value);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const targets = target.namedChildren;
        const items = value.kind === 'seq' && value.items.length === targets.length && !value.items.includes(UNKNOWN_SPREAD) ? value.items : undefined;
        targets.forEach((t, i) => this.bind(t, items ? items[i]! : this.unpacked(value, t), scope, names));
        return;
      }
      case 'parenthesized_expression': {
        const inner = target.namedChildren[0];
        if (inner) this.bind(inner, value, scope);
        return;
      }
      case 'subscript': {
        const [containerNode, keyNode] = target.namedChildren;
        if (!containerNode || !keyNode) return;
        const container = this.evaluate(containerNode, scope);
        const key = this.evaluate(keyNode, scope);
        if (container.kind === 'dict' && (key.kind === 'string' || key.kind === 'number')) {
          this.willMutate(container);
          container.entries.set(String(key.value), value);
        } else if (container.kind === 'seq' && key.kind === 'number') {
          const index = key.value < 0 ? container.items.length + key.value : key.value;
          if (index >= 0 && index < container.items.length && !container.items.includes(UNKNOWN_SPREAD)) {
            this.willMutate(container);
            container.items[index] = value;
          }
        }
        return;
      }
      default:
        return;
    }
  }

  /** A network stored on a module is a part of it (see roles.ts). */
  noteAttribute(owner: InstanceValue, value: Value): void {
    if (value.kind === 'instance' || value.kind === 'model' || value.kind === 'seq' || value.kind === 'dict') noteAttribute(owner, value, this.classes.role(owner.cls) !== undefined);
  }

  /** `self.name = value`, `setattr(self, name, value)`, `self.add_module(name, value)`. */
  setAttribute(instance: InstanceValue, name: string, value: Value): void {
    this.willMutate(instance);
    instance.attrs.set(name, value);
    this.nameValue(value, name, true);
    this.noteAttribute(instance, value);
  }

  /**
   * One target of `a, b = value` when the value is not a sequence footgun can read: a tensor
   * (the output of a call it cannot see into, which may be a tuple) gives each target a tensor
   * derived from it, so the layers after stay connected; anything else is unknown.
   */
  private unpacked(value: Value, target: PyNode): Value {
    if (value.kind !== 'tensor') return UNKNOWN_VALUE;
    return this.opaque('Unpack', this.graph.nodes[value.node]!.layer.framework, target, [value], true);
  }

  /** Models are named by the variable that holds them; a layer only by the attribute it is assigned to (`self.conv1`). */
  private nameValue(value: Value, name: string, attribute: boolean): void {
    if (value.kind === 'model' && value.model.name === undefined) value.model.name = name;
    if (value.kind === 'instance' && value.model && value.model.name === undefined) value.model.name = name;
    if (attribute && value.kind === 'layer' && value.layer.name === undefined) value.layer.name = name;
  }
}

function loopVariables(target: PyNode, item: Value): Record<string, ReturnType<typeof toArg>> {
  if (target.type === 'identifier') return { [target.text]: toArg(item) };
  const names = target.namedChildren;
  const items = item.kind === 'seq' && item.items.length === names.length ? item.items : undefined;
  const vars: Record<string, ReturnType<typeof toArg>> = {};
  names.forEach((name, i) => {
    if (name.type === 'identifier' && items) vars[name.text] = toArg(items[i]!);
  });
  return vars;
}
