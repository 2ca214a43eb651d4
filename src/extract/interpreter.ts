import type { Framework, LoopPass, LossSpec, OptimizerSpec, SourceRange } from '../ir.js';
import type { PyDocument, PyNode } from '../parse/py-node.js';
import { inferShapes } from '../shapes/infer.js';
import { callBuiltin, isBuiltin } from './builtins.js';
import { Graph, ModelBuilder } from './graph.js';
import { Scope } from './scope.js';
import type { CallSite, ClassValue, InstanceValue, LayerObject, Value } from './values.js';
import { NONE_VALUE, UNKNOWN_SPREAD, UNKNOWN_VALUE, loopSnapshot, num, seq, str, toArg, truthy } from './values.js';
import { formatCount } from '../text.js';

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
  /** apply an elementwise operator to tensors: `x + shortcut` */
  tensorOperator(operator: string, left: Value, right: Value, node: PyNode, interp: Interpreter): Value | undefined;
}

export interface AnalysisNote {
  range: SourceRange;
  message: string;
}

type Signal = 'normal' | 'return' | 'break' | 'continue' | 'stop';

interface Frame {
  returns: Value[];
}

export const LIMITS = {
  /** passes of one loop that are followed; the rest are treated as unknown */
  loopPasses: 64,
  /** nested user-function calls followed before the result is treated as unknown */
  callDepth: 12,
  /** statements executed per file, across all loops and calls */
  statements: 50_000,
  /** nesting of expressions evaluated */
  expressionDepth: 200,
  /** expressions evaluated per file (comprehensions nest without statements) */
  evaluations: 2_000_000,
};

/**
 * An abstract interpreter for the subset of Python that builds models. It runs the module top to
 * bottom, follows user functions and classes, unrolls loops over known sequences, and asks the
 * framework front ends what each library call means. It never imports or runs the user's code:
 * whatever it cannot know becomes `unknown`, and unknown never produces a finding.
 */
export class Interpreter {
  readonly graph = new Graph();
  readonly builders: ModelBuilder[] = [];
  readonly notes: AnalysisNote[] = [];
  readonly loopStack: LoopPass[] = [];
  private uncertainDepth = 0;
  private statementsLeft = LIMITS.statements;
  private evaluationsLeft = LIMITS.evaluations;
  private callDepth = 0;
  private readonly tensorShapes = new Map<number, Value>();
  /** the parameters of the user functions running now, innermost last */
  private readonly argumentStack: { names: string[]; scope: Scope }[] = [];
  /** set while model classes nobody instantiates are analysed with their defaults */
  private analysingUnusedClasses = false;
  private expressionDepth = 0;
  private readonly calledDefinitions = new Set<number>();
  private readonly instantiatedClasses = new Set<number>();
  private readonly topLevelFunctions: Extract<Value, { kind: 'function' }>[] = [];
  private readonly modelClasses: ClassValue[] = [];
  private layerCounter = 0;
  /** first components of the modules the file imports: 'torch', 'keras', 'tensorflow', … */
  readonly importedRoots = new Set<string>();
  /** losses and optimizers created anywhere in the file (PyTorch keeps them apart from the model) */
  readonly fileLosses: LossSpec[] = [];
  readonly fileOptimizers: OptimizerSpec[] = [];
  private budgetNoted = false;

  constructor(
    readonly doc: PyDocument,
    private readonly frontEnds: FrontEnd[],
  ) {}

  get conditional(): boolean {
    return this.uncertainDepth > 0;
  }

  nextWeightKey(): string {
    return `w${this.layerCounter++}`;
  }

  run(): void {
    const module = new Scope();
    module.set('__name__', str('__main__'));
    this.execBlock(this.doc.root.namedChildren, module, { returns: [] });
    this.analyseUncalledDefinitions();
    for (const builder of this.builders) {
      if (builder.instance || builder.items) this.runForwardPass(builder);
    }
  }

  // ---------------------------------------------------------------- model plumbing used by front ends

  addBuilder(builder: ModelBuilder): ModelBuilder {
    builder.fromUnusedClass = this.analysingUnusedClasses;
    this.builders.push(builder);
    return builder;
  }

  addNode(layer: LayerObject, inputs: number[], appliedAt?: SourceRange): Value {
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

  private noteBudget(node: PyNode, what: string): void {
    if (this.budgetNoted) return;
    this.budgetNoted = true;
    // A long file that builds no model is not worth a word; words such as `Add` or `Model` in its text do not make it model code.
    if (this.builders.length === 0 && !this.frontEnds.some((frontEnd) => frontEnd.vocabularyCall.test(this.doc.text))) return;
    this.note(node, `footgun stopped following this file here after ${what}; models built after this point are not analysed.`);
  }

  /** Whether code uses a framework's model-building vocabulary: limits elsewhere are not worth a word. */
  private buildsModels(text: string): boolean {
    return this.frontEnds.some((frontEnd) => frontEnd.vocabulary.test(text));
  }

  note(node: PyNode, message: string): void {
    const range = node.range;
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
    if (this.statementsLeft-- <= 0 || this.evaluationsLeft <= 0) {
      this.noteBudget(node, `${formatCount(LIMITS.statements)} statements`);
      return 'stop';
    }
    switch (node.type) {
      case 'expression_statement':
        for (const child of node.namedChildren) this.evaluate(child, scope);
        return 'normal';
      case 'import_statement':
        this.execImport(node, scope);
        return 'normal';
      case 'import_from_statement':
        this.execImportFrom(node, scope);
        return 'normal';
      case 'decorated_definition': {
        const definition = node.namedChildren.find((c) => c.type === 'function_definition' || c.type === 'class_definition');
        return definition ? this.exec(definition, scope, frame) : 'normal';
      }
      case 'function_definition':
        this.defineFunction(node, scope);
        return 'normal';
      case 'class_definition':
        this.defineClass(node, scope);
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

  private execImport(node: PyNode, scope: Scope): void {
    for (const child of node.namedChildren) {
      if (child.type === 'dotted_name') {
        const first = child.text.split('.')[0]!;
        this.importedRoots.add(first);
        scope.set(first, { kind: 'external', path: first });
      } else if (child.type === 'aliased_import') {
        const [dotted, alias] = child.namedChildren;
        if (dotted && alias) {
          this.importedRoots.add(dotted.text.split('.')[0]!.trim());
          scope.set(alias.text, { kind: 'external', path: dotted.text.replace(/\s+/g, '') });
        }
      }
    }
  }

  private execImportFrom(node: PyNode, scope: Scope): void {
    const [moduleNode, ...names] = node.namedChildren;
    if (!moduleNode) return;
    const module = moduleNode.text.replace(/\s+/g, '');
    this.importedRoots.add(module.split('.')[0]!);
    for (const name of names) {
      if (name.type === 'dotted_name') {
        scope.set(name.text, { kind: 'external', path: `${module}.${name.text}` });
      } else if (name.type === 'aliased_import') {
        const [original, alias] = name.namedChildren;
        if (original && alias) scope.set(alias.text, { kind: 'external', path: `${module}.${original.text}` });
      }
    }
  }

  private defineFunction(node: PyNode, scope: Scope): void {
    const name = node.child('identifier')?.text;
    if (!name) return;
    const fn: Value = { kind: 'function', def: node, scope, name };
    scope.set(name, fn);
    if (!scope.get('__class_body__') && this.callDepth === 0 && fn.kind === 'function') this.topLevelFunctions.push(fn);
  }

  private defineClass(node: PyNode, scope: Scope): void {
    const name = node.child('identifier')?.text;
    const body = node.child('block');
    if (!name || !body) return;
    const argumentList = node.child('argument_list');
    const bases = argumentList ? argumentList.namedChildren.filter((c) => c.type !== 'keyword_argument').map((c) => this.evaluate(c, scope)) : [];
    const classScope = new Scope(scope);
    classScope.set('__class_body__', { kind: 'bool', value: true });
    this.execBlock(body.namedChildren, classScope, { returns: [] });
    const members = new Map<string, Value>();
    for (const member of classScope.ownNames()) if (member !== '__class_body__') members.set(member, classScope.own(member)!);
    const cls: ClassValue = { kind: 'class', name, def: node, scope, bases, members };
    scope.set(name, cls);
    if (this.classRole(cls)?.role === 'model') this.modelClasses.push(cls);
  }

  private execFor(node: PyNode, scope: Scope, frame: Frame): Signal {
    const [target, iterable] = node.namedChildren;
    const body = node.child('block');
    if (!target || !iterable || !body) return 'normal';
    const items = this.iterate(this.evaluate(iterable, scope));
    if (!items) {
      this.bind(target, UNKNOWN_VALUE, scope);
      this.execUncertain([body.namedChildren], scope, frame, true);
      return 'normal';
    }
    const passes = Math.min(items.length, LIMITS.loopPasses);
    for (let index = 0; index < passes; index++) {
      const item = items.item(index);
      this.bind(target, item, scope);
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
    const overlays = branches.map((statements) => {
      const overlay = scope.overlay();
      const branchFrame: Frame = { returns: [] };
      this.execBlock(statements, overlay, branchFrame);
      frame.returns.push(...branchFrame.returns);
      return overlay;
    });
    this.uncertainDepth--;
    const names = new Set<string>();
    for (const overlay of overlays) for (const name of overlay.ownNames()) names.add(name);
    for (const name of names) {
      const outcomes = overlays.map((overlay) => overlay.own(name) ?? scope.get(name) ?? UNKNOWN_VALUE);
      if (mayRunNone) outcomes.push(scope.get(name) ?? UNKNOWN_VALUE);
      scope.set(name, this.mergeOutcomes(outcomes, branches[0]![0]));
    }
  }

  private mergeOutcomes(outcomes: Value[], at: PyNode | undefined): Value {
    const first = outcomes[0]!;
    if (outcomes.every((o) => sameValue(o, first))) return first;
    if (outcomes.every((o) => o.kind === 'tensor') && at) {
      const framework = this.graph.nodes[(first as Extract<Value, { kind: 'tensor' }>).node]!.layer.framework;
      return this.opaque('Branch', framework, at, outcomes);
    }
    return UNKNOWN_VALUE;
  }

  bind(target: PyNode, value: Value, scope: Scope): void {
    switch (target.type) {
      case 'identifier':
        scope.set(target.text, value);
        this.nameValue(value, target.text, false);
        return;
      case 'attribute': {
        const [objectNode, attribute] = target.namedChildren;
        if (!objectNode || !attribute) return;
        const object = this.evaluate(objectNode, scope);
        if (object.kind === 'instance') {
          object.attrs.set(attribute.text, value);
          this.nameValue(value, attribute.text, true);
        }
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const targets = target.namedChildren;
        const items = value.kind === 'seq' && value.items.length === targets.length ? value.items : undefined;
        targets.forEach((t, i) => this.bind(t, items ? items[i]! : UNKNOWN_VALUE, scope));
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
        if (container.kind === 'dict' && key.kind === 'string') container.entries.set(key.value, value);
        return;
      }
      default:
        return;
    }
  }

  /** Models are named by the variable that holds them; a layer only by the attribute it is assigned to (`self.conv1`). */
  private nameValue(value: Value, name: string, attribute: boolean): void {
    if (value.kind === 'model' && value.model.name === undefined) value.model.name = name;
    if (value.kind === 'instance' && value.model && value.model.name === undefined) value.model.name = name;
    if (attribute && value.kind === 'layer' && value.layer.name === undefined) value.layer.name = name;
  }

  // ---------------------------------------------------------------- expressions

  evaluate(node: PyNode, scope: Scope): Value {
    if (this.expressionDepth >= LIMITS.expressionDepth) return UNKNOWN_VALUE;
    if (this.evaluationsLeft-- <= 0) {
      this.noteBudget(node, `${formatCount(LIMITS.evaluations)} expressions`);
      return UNKNOWN_VALUE;
    }
    this.expressionDepth++;
    try {
      return this.evaluateNode(node, scope);
    } finally {
      this.expressionDepth--;
    }
  }

  private evaluateNode(node: PyNode, scope: Scope): Value {
    switch (node.type) {
      case 'identifier':
        return scope.get(node.text) ?? { kind: 'external', path: node.text };
      case 'integer':
      case 'float':
        return parseNumber(node.text);
      case 'string':
        return parseString(node.text);
      case 'concatenated_string': {
        const parts = node.namedChildren.map((c) => parseString(c.text));
        return parts.every((p) => p.kind === 'string')
          ? str(parts.map((p) => (p as Extract<Value, { kind: 'string' }>).value).join(''))
          : UNKNOWN_VALUE;
      }
      case 'true':
        return { kind: 'bool', value: true };
      case 'false':
        return { kind: 'bool', value: false };
      case 'none':
        return NONE_VALUE;
      case 'list':
        return seq(this.evaluateItems(node.namedChildren, scope));
      case 'tuple':
      case 'expression_list':
        return seq(this.evaluateItems(node.namedChildren, scope), true);
      case 'parenthesized_expression': {
        const inner = node.namedChildren[0];
        return inner ? this.evaluate(inner, scope) : UNKNOWN_VALUE;
      }
      case 'dictionary':
        return this.evaluateDict(node, scope);
      case 'attribute':
        return this.evaluateAttribute(node, scope);
      case 'call':
        return this.evaluateCall(node, scope);
      case 'binary_operator':
        return this.evaluateBinary(node, scope);
      case 'unary_operator': {
        const [operand] = node.namedChildren;
        const value = operand ? this.evaluate(operand, scope) : UNKNOWN_VALUE;
        if (value.kind !== 'number') return UNKNOWN_VALUE;
        const op = node.text.trimStart()[0];
        return op === '-' ? num(-value.value) : op === '+' ? value : op === '~' ? num(~value.value) : UNKNOWN_VALUE;
      }
      case 'not_operator': {
        const [operand] = node.namedChildren;
        const known = operand ? truthy(this.evaluate(operand, scope)) : undefined;
        return known === undefined ? UNKNOWN_VALUE : { kind: 'bool', value: !known };
      }
      case 'boolean_operator':
        return this.evaluateBoolean(node, scope);
      case 'comparison_operator':
        return this.evaluateComparison(node, scope);
      case 'conditional_expression': {
        const [whenTrue, condition, whenFalse] = node.namedChildren;
        if (!whenTrue || !condition || !whenFalse) return UNKNOWN_VALUE;
        const known = truthy(this.evaluate(condition, scope));
        if (known === true) return this.evaluate(whenTrue, scope);
        if (known === false) return this.evaluate(whenFalse, scope);
        return this.mergeOutcomes([this.evaluate(whenTrue, scope), this.evaluate(whenFalse, scope)], node);
      }
      case 'subscript':
        return this.evaluateSubscript(node, scope);
      case 'list_comprehension':
      case 'generator_expression':
        return this.evaluateComprehension(node, scope);
      case 'assignment':
        return this.evaluateAssignment(node, scope);
      case 'augmented_assignment':
        return this.evaluateAugmented(node, scope);
      case 'named_expression': {
        const [name, value] = node.namedChildren;
        if (!name || !value) return UNKNOWN_VALUE;
        const result = this.evaluate(value, scope);
        this.bind(name, result, scope);
        return result;
      }
      default:
        return UNKNOWN_VALUE;
    }
  }

  private evaluateItems(nodes: PyNode[], scope: Scope): Value[] {
    const items: Value[] = [];
    for (const child of nodes) {
      if (child.type === 'list_splat') {
        const inner = child.namedChildren[0];
        const spread = inner ? this.iterate(this.evaluate(inner, scope)) : undefined;
        if (spread && spread.length <= LIMITS.loopPasses) for (let i = 0; i < spread.length; i++) items.push(spread.item(i));
        else items.push(UNKNOWN_SPREAD);
      } else {
        items.push(this.evaluate(child, scope));
      }
    }
    return items;
  }

  private evaluateDict(node: PyNode, scope: Scope): Value {
    const entries = new Map<string, Value>();
    for (const pair of node.namedChildren) {
      if (pair.type !== 'pair') continue;
      const [keyNode, valueNode] = pair.namedChildren;
      if (!keyNode || !valueNode) continue;
      const key = this.evaluate(keyNode, scope);
      if (key.kind === 'string') entries.set(key.value, this.evaluate(valueNode, scope));
      else if (key.kind === 'number') entries.set(String(key.value), this.evaluate(valueNode, scope));
    }
    return { kind: 'dict', entries, node };
  }

  private evaluateAssignment(node: PyNode, scope: Scope): Value {
    const children = node.namedChildren;
    const hasValue = node.tokens.includes('=');
    if (!hasValue || children.length < 2) return UNKNOWN_VALUE;
    const target = children[0]!;
    const valueNode = children[children.length - 1]!;
    const value = this.evaluate(valueNode, scope);
    this.bind(target, value, scope);
    return value;
  }

  private evaluateAugmented(node: PyNode, scope: Scope): Value {
    const [target, valueNode] = node.namedChildren;
    const operator = node.tokens[0]?.replace('=', '');
    if (!target || !valueNode || !operator) return UNKNOWN_VALUE;
    const result = this.binaryValue(operator, this.evaluate(target, scope), this.evaluate(valueNode, scope), node);
    this.bind(target, result, scope);
    return result;
  }

  private evaluateAttribute(node: PyNode, scope: Scope): Value {
    const [objectNode, attribute] = node.namedChildren;
    if (!objectNode || !attribute) return UNKNOWN_VALUE;
    return this.attribute(this.evaluate(objectNode, scope), attribute.text);
  }

  attribute(object: Value, name: string): Value {
    switch (object.kind) {
      case 'external':
        return { kind: 'external', path: `${object.path}.${name}` };
      case 'instance': {
        const own = object.attrs.get(name);
        if (own) return own;
        const member = findMember(object.cls, name);
        if (member?.kind === 'function') return { ...member, bound: object };
        if (member) return member;
        if (object.model && !isPrivate(name)) return { kind: 'method', target: object, name };
        return UNKNOWN_VALUE;
      }
      case 'class':
        return findMember(object, name) ?? UNKNOWN_VALUE;
      case 'model':
        return this.modelAttribute(object.model, name) ?? { kind: 'method', target: object, name };
      case 'tensor':
        return name === 'shape' ? this.tensorShape(object.node) : { kind: 'method', target: object, name };
      case 'array':
        return name === 'shape' ? seq(object.shape.map((size) => (size === null ? UNKNOWN_VALUE : num(size))), true) : UNKNOWN_VALUE;
      case 'dict':
        // an attribute-style dict (Lightning's `self.hparams.hidden_dim`) reads its entries
        return object.entries.get(name) ?? { kind: 'method', target: object, name };
      case 'seq':
      case 'string':
      case 'layer':
      case 'object':
        return { kind: 'method', target: object, name };
      default:
        return UNKNOWN_VALUE;
    }
  }

  /**
   * `x.shape` as far as the layers before `x` fix it. Model code reads it to size a layer
   * (`Conv1D(filters=inputs.shape[-1], …)`) or to choose a branch (`if x.shape[-1] != filters:`).
   */
  private tensorShape(node: number): Value {
    let shape = this.tensorShapes.get(node);
    if (!shape) {
      const probe = new ModelBuilder(this.graph.nodes[node]!.layer.framework, 'functional', this.doc.root);
      probe.outputs = [node];
      const model = probe.toModel(this.graph, 'x');
      inferShapes(model);
      const output = model.layers[model.outputs[0]!]?.output;
      shape = output ? seq(output.map((size) => (size === null ? UNKNOWN_VALUE : num(size))), true) : UNKNOWN_VALUE;
      this.tensorShapes.set(node, shape);
    }
    return shape;
  }

  private modelAttribute(model: ModelBuilder, name: string): Value | undefined {
    const ids = name === 'output' || name === 'outputs' ? (model.kind === 'sequential' ? [model.last] : model.outputs) : name === 'input' || name === 'inputs' ? model.inputs : undefined;
    if (!ids) return undefined;
    const tensors: Value[] = ids.filter((id): id is number => id !== undefined).map((id) => ({ kind: 'tensor', node: id }));
    if (tensors.length === 0) return UNKNOWN_VALUE;
    if (!model.compileRange) model.component = true;
    return tensors.length === 1 && !name.endsWith('s') ? tensors[0]! : seq(tensors);
  }

  private evaluateBinary(node: PyNode, scope: Scope): Value {
    const [leftNode, rightNode] = node.namedChildren;
    const operator = node.tokens[0];
    if (!leftNode || !rightNode || !operator) return UNKNOWN_VALUE;
    return this.binaryValue(operator, this.evaluate(leftNode, scope), this.evaluate(rightNode, scope), node);
  }

  private binaryValue(operator: string, left: Value, right: Value, node: PyNode): Value {
    if (left.kind === 'number' && right.kind === 'number') return numericOperator(operator, left.value, right.value);
    if (left.kind === 'string' && right.kind === 'string' && operator === '+') return str(left.value + right.value);
    if (left.kind === 'seq' && right.kind === 'seq' && operator === '+') return seq([...left.items, ...right.items], left.tuple);
    if (left.kind === 'seq' && right.kind === 'number' && operator === '*' && left.items.length * right.value <= 4096) {
      return seq(Array.from({ length: left.items.length * Math.max(0, right.value) }, (_, i) => left.items[i % left.items.length]!), left.tuple);
    }
    if (left.kind === 'tensor' || right.kind === 'tensor') {
      for (const frontEnd of this.frontEnds) {
        const result = frontEnd.tensorOperator(operator, left, right, node, this);
        if (result) return result;
      }
    }
    return UNKNOWN_VALUE;
  }

  private evaluateBoolean(node: PyNode, scope: Scope): Value {
    const [leftNode, rightNode] = node.namedChildren;
    if (!leftNode || !rightNode) return UNKNOWN_VALUE;
    const isAnd = node.tokens.includes('and');
    const left = this.evaluate(leftNode, scope);
    const known = truthy(left);
    if (known === undefined) return UNKNOWN_VALUE;
    if (isAnd) return known ? this.evaluate(rightNode, scope) : left;
    return known ? left : this.evaluate(rightNode, scope);
  }

  private evaluateComparison(node: PyNode, scope: Scope): Value {
    const operands = node.namedChildren.map((c) => this.evaluate(c, scope));
    const operators = node.tokens;
    if (operands.length !== 2 || operators.length === 0) return UNKNOWN_VALUE;
    const [a, b] = operands as [Value, Value];
    const op = operators.join(' ');
    const plain = (v: Value) => (v.kind === 'number' || v.kind === 'string' || v.kind === 'bool' || v.kind === 'none' ? toArg(v) : undefined);
    const x = plain(a);
    const y = plain(b);
    if (op === 'in' || op === 'not in') {
      if (x === undefined || b.kind !== 'seq') return UNKNOWN_VALUE;
      const items = b.items.map(plain);
      if (items.some((i) => i === undefined)) return UNKNOWN_VALUE;
      const found = items.includes(x);
      return { kind: 'bool', value: op === 'in' ? found : !found };
    }
    if ((op === 'is' || op === 'is not') && (a.kind === 'none' || b.kind === 'none')) {
      // `self.downsample is not None`: a layer, model or tensor is certainly not None
      const other = a.kind === 'none' ? b : a;
      if (other.kind === 'none') return { kind: 'bool', value: op === 'is' };
      if (NEVER_NONE.has(other.kind)) return { kind: 'bool', value: op === 'is not' };
    }
    if (x === undefined || y === undefined) return UNKNOWN_VALUE;
    const result = compare(op, x, y);
    return result === undefined ? UNKNOWN_VALUE : { kind: 'bool', value: result };
  }

  private evaluateSubscript(node: PyNode, scope: Scope): Value {
    const [containerNode, ...keys] = node.namedChildren;
    if (!containerNode) return UNKNOWN_VALUE;
    const container = this.evaluate(containerNode, scope);
    if (container.kind === 'tensor' && keys.length !== 1) return this.opaqueFromTensor(container, node);
    if (keys.length !== 1) return UNKNOWN_VALUE;
    const keyNode = keys[0]!;
    if (keyNode.type === 'slice') {
      if (container.kind !== 'seq') return container.kind === 'tensor' ? this.opaqueFromTensor(container, keyNode) : UNKNOWN_VALUE;
      const bounds = keyNode.namedChildren.map((c) => this.evaluate(c, scope));
      const parts = keyNode.text.split(':');
      const [startText, stopText] = parts;
      let cursor = 0;
      const start = startText?.trim() ? bounds[cursor++] : undefined;
      const stop = stopText?.trim() ? bounds[cursor++] : undefined;
      if (parts.length > 2 && parts[2]!.trim()) return UNKNOWN_VALUE;
      if ((start && start.kind !== 'number') || (stop && stop.kind !== 'number')) return UNKNOWN_VALUE;
      return seq(container.items.slice(start?.kind === 'number' ? start.value : undefined, stop?.kind === 'number' ? stop.value : undefined), container.tuple);
    }
    const key = this.evaluate(keyNode, scope);
    if (container.kind === 'seq' && key.kind === 'number') {
      const index = key.value < 0 ? container.items.length + key.value : key.value;
      return container.items[index] ?? UNKNOWN_VALUE;
    }
    if (container.kind === 'dict' && (key.kind === 'string' || key.kind === 'number')) return container.entries.get(String(key.value)) ?? UNKNOWN_VALUE;
    if (container.kind === 'model' && container.model.items && key.kind === 'number') {
      const items = container.model.items;
      return items[key.value < 0 ? items.length + key.value : key.value] ?? UNKNOWN_VALUE;
    }
    if (container.kind === 'tensor') return this.opaqueFromTensor(container, node);
    return UNKNOWN_VALUE;
  }

  private opaqueFromTensor(tensor: Value, node: PyNode): Value {
    if (tensor.kind !== 'tensor') return UNKNOWN_VALUE;
    return this.opaque('Slice', this.graph.nodes[tensor.node]!.layer.framework, node, [tensor], true);
  }

  private evaluateComprehension(node: PyNode, scope: Scope): Value {
    const [body, ...clauses] = node.namedChildren;
    if (!body) return UNKNOWN_VALUE;
    const results: Value[] = [];
    const inner = new Scope(scope);
    let complete = true;
    const run = (index: number): void => {
      if (!complete) return;
      const clause = clauses[index];
      if (!clause) {
        results.push(this.evaluate(body, inner));
        if (results.length > LIMITS.loopPasses) complete = false;
        return;
      }
      if (clause.type === 'for_in_clause') {
        const [target, iterableNode] = clause.namedChildren;
        const items = target && iterableNode ? this.iterate(this.evaluate(iterableNode, inner)) : undefined;
        if (!target || !items || items.length > LIMITS.loopPasses) {
          complete = false;
          return;
        }
        for (let i = 0; i < items.length && complete; i++) {
          this.bind(target, items.item(i), inner);
          run(index + 1);
        }
      } else if (clause.type === 'if_clause') {
        const condition = clause.namedChildren[0];
        const known = condition ? truthy(this.evaluate(condition, inner)) : undefined;
        if (known === undefined) complete = false;
        else if (known) run(index + 1);
      }
    };
    run(0);
    return complete ? seq(results) : UNKNOWN_VALUE;
  }

  /** The items of a value that a `for` loop would visit, when known. */
  iterate(value: Value): { length: number; item: (index: number) => Value } | undefined {
    if (value.kind === 'seq') return { length: value.items.length, item: (i) => value.items[i]! };
    if (value.kind === 'range') return { length: value.length, item: (i) => num(value.start + i * value.step) };
    if (value.kind === 'dict') {
      const keys = [...value.entries.keys()].map(str);
      return { length: keys.length, item: (i) => keys[i]! };
    }
    if (value.kind === 'string') return { length: value.value.length, item: (i) => str(value.value[i]!) };
    return undefined;
  }

  // ---------------------------------------------------------------- calls

  private evaluateCall(node: PyNode, scope: Scope): Value {
    const [calleeNode, argumentsNode] = node.namedChildren;
    if (!calleeNode) return UNKNOWN_VALUE;
    const callee = this.evaluate(calleeNode, scope);
    return this.callValue(callee, new LazyCallSite(this, node, argumentsNode, scope));
  }

  /** Evaluates the arguments of a call: positional, keyword, *list and **dict. */
  evaluateArguments(node: PyNode, argumentsNode: PyNode | undefined, scope: Scope): CallSite {
    const call: CallSite = { node, args: [], argNodes: [], kwargs: new Map(), kwargNodes: new Map(), hasSplat: false };
    if (!argumentsNode) return call;
    if (argumentsNode.type === 'generator_expression') {
      call.args.push(this.evaluate(argumentsNode, scope));
      call.argNodes.push(argumentsNode);
      return call;
    }
    for (const argument of argumentsNode.namedChildren) {
      if (argument.type === 'keyword_argument') {
        const [name, value] = argument.namedChildren;
        if (name && value) {
          call.kwargs.set(name.text, this.evaluate(value, scope));
          call.kwargNodes.set(name.text, argument);
        }
      } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
        const inner = argument.namedChildren[0];
        const spread = inner ? this.evaluate(inner, scope) : UNKNOWN_VALUE;
        if (argument.type === 'list_splat' && spread.kind === 'seq') {
          for (const item of spread.items) {
            call.args.push(item);
            call.argNodes.push(argument);
          }
          if (spread.items.includes(UNKNOWN_SPREAD)) call.hasSplat = true;
        } else if (argument.type === 'dictionary_splat' && spread.kind === 'dict') {
          for (const [key, value] of spread.entries) {
            call.kwargs.set(key, value);
            call.kwargNodes.set(key, argument);
          }
        } else {
          call.hasSplat = true;
        }
      } else {
        call.args.push(this.evaluate(argument, scope));
        call.argNodes.push(argument);
      }
    }
    return call;
  }

  callValue(callee: Value, call: CallSite): Value {
    switch (callee.kind) {
      case 'external':
        return this.callExternal(callee.path, call);
      case 'function':
        return this.callFunction(callee, call);
      case 'class':
        return this.instantiate(callee, call);
      case 'instance':
        return this.callInstance(callee, call);
      case 'method':
        return this.callMethod(callee.target, callee.name, call);
      case 'layer':
      case 'model':
      case 'tensor':
        return this.callMethod(callee, '__call__', call);
      default:
        return this.unknownCall(call);
    }
  }

  private callExternal(path: string, call: CallSite): Value {
    if (path === 'getattr') {
      const [object, name] = call.args;
      return object && name?.kind === 'string' ? this.attribute(object, name.value) : (call.args[2] ?? UNKNOWN_VALUE);
    }
    if (isBuiltin(path)) return callBuiltin(path, call);
    for (const frontEnd of this.frontEnds) {
      const result = frontEnd.callExternal(path, call, this);
      if (result) return result;
    }
    return this.unknownCall(call, path, undefined, true);
  }

  private callMethod(target: Value, name: string, call: CallSite): Value {
    if (target.kind === 'seq' && (name === 'append' || name === 'extend')) {
      const [item] = call.args;
      if (item && name === 'append') target.items.push(item);
      else if (item?.kind === 'seq') target.items.push(...item.items);
      return NONE_VALUE;
    }
    if (target.kind === 'dict') {
      if (name === 'items') return seq([...target.entries].map(([k, v]) => seq([str(k), v], true)));
      if (name === 'keys') return seq([...target.entries.keys()].map(str));
      if (name === 'values') return seq([...target.entries.values()]);
      if (name === 'get') {
        const key = call.args[0];
        return (key?.kind === 'string' ? target.entries.get(key.value) : undefined) ?? call.args[1] ?? NONE_VALUE;
      }
    }
    for (const frontEnd of this.frontEnds) {
      const result = frontEnd.callMethod(target, name, call, this);
      if (result) return result;
    }
    return this.unknownCall(call, name, target);
  }

  /**
   * A call footgun does not understand. If tensors go in, a tensor of unknown shape comes out. It
   * holds no weights when it is a tensor method, or a library function under PyTorch, where only
   * the modules assigned to the model register parameters (`pack_padded_sequence(x, …)`).
   */
  private unknownCall(call: CallSite, name = 'call', target?: Value, libraryFunction = false): Value {
    if (call instanceof LazyCallSite && !call.evaluated && target?.kind !== 'tensor' && !call.mayCarryModelValues()) return UNKNOWN_VALUE;
    const inputs = [target, ...call.args, ...call.kwargs.values()].filter((v): v is Value => v !== undefined);
    const tensor = inputs.flatMap(flattenTensors)[0];
    if (!tensor) return UNKNOWN_VALUE;
    const framework = this.graph.nodes[tensor.node]!.layer.framework;
    const parameterless = target?.kind === 'tensor' || (libraryFunction && framework === 'pytorch');
    return this.opaque(name.split('.').pop() ?? 'call', framework, call.node, inputs, parameterless);
  }

  callFunction(fn: Extract<Value, { kind: 'function' }>, call: CallSite): Value {
    this.calledDefinitions.add(fn.def.start);
    if (this.callDepth >= LIMITS.callDepth) return this.unknownCall(call, fn.name);
    const scope = new Scope(fn.scope);
    const parameterNames = this.bindParameters(fn, call, scope);
    const body = fn.def.child('block');
    if (!body) return NONE_VALUE;
    const frame: Frame = { returns: [] };
    this.callDepth++;
    const savedLoops = this.loopStack.splice(0);
    this.argumentStack.push({ names: fn.bound ? parameterNames.slice(1) : parameterNames, scope });
    try {
      this.execBlock(body.namedChildren, scope, frame);
    } finally {
      this.callDepth--;
      this.loopStack.push(...savedLoops);
      this.argumentStack.pop();
    }
    if (frame.returns.length === 0) return NONE_VALUE;
    return this.mergeOutcomes(frame.returns, call.node);
  }

  /** Binds a call's arguments to the function's parameters; returns the names of the named parameters, in order. */
  private bindParameters(fn: Extract<Value, { kind: 'function' }>, call: CallSite, scope: Scope): string[] {
    const parameters = fn.def.child('parameters')?.namedChildren ?? [];
    const positional = fn.bound ? [fn.bound, ...call.args] : [...call.args];
    const named = new Set<string>();
    let index = 0;
    for (const parameter of parameters) {
      let nameNode: PyNode | undefined;
      let defaultNode: PyNode | undefined;
      switch (parameter.type) {
        case 'identifier':
          nameNode = parameter;
          break;
        case 'typed_parameter':
          nameNode = parameter.namedChildren[0];
          if (nameNode?.type !== 'identifier') nameNode = undefined;
          break;
        case 'default_parameter':
        case 'typed_default_parameter': {
          const children = parameter.namedChildren;
          nameNode = children[0];
          defaultNode = children[children.length - 1];
          break;
        }
        case 'list_splat_pattern': {
          // *args: the positional arguments left over; with a splat in the call, more of unknown number
          const name = parameter.namedChildren[0];
          const rest = positional.slice(Math.min(index, positional.length));
          if (name) scope.set(name.text, seq(call.hasSplat ? [...rest, UNKNOWN_SPREAD] : rest, true));
          index = Infinity;
          continue;
        }
        case 'dictionary_splat_pattern': {
          // **kwargs: the keyword arguments no parameter took, known only when the call spreads nothing unknown
          const name = parameter.namedChildren[0];
          const extra = new Map([...call.kwargs].filter(([key]) => !named.has(key)));
          if (name) scope.set(name.text, call.hasSplat ? UNKNOWN_VALUE : { kind: 'dict', entries: extra });
          continue;
        }
        default:
          continue;
      }
      if (!nameNode) continue;
      const name = nameNode.text;
      named.add(name);
      let value = call.kwargs.get(name);
      if (value === undefined && index < positional.length) value = positional[index];
      if (value === undefined && defaultNode) value = call.hasSplat ? UNKNOWN_VALUE : this.evaluate(defaultNode, fn.scope);
      scope.set(name, value ?? UNKNOWN_VALUE);
      index++;
    }
    return [...named];
  }

  /** The named arguments of the user function running now (Lightning's `save_hyperparameters()` stores them). */
  currentArguments(): ReadonlyMap<string, Value> {
    const frame = this.argumentStack[this.argumentStack.length - 1];
    return new Map(frame ? frame.names.map((name) => [name, frame.scope.own(name) ?? UNKNOWN_VALUE]) : []);
  }

  /** Which framework base class (directly or through user classes) a class derives from. */
  classRole(cls: ClassValue, depth = 0): { role: 'model' | 'layer'; frontEnd: FrontEnd } | undefined {
    if (depth > 10) return undefined;
    for (const base of cls.bases) {
      if (base.kind === 'external') {
        for (const frontEnd of this.frontEnds) {
          const role = frontEnd.classRole(base.path);
          if (role) return { role, frontEnd };
        }
      } else if (base.kind === 'class') {
        const inherited = this.classRole(base, depth + 1);
        if (inherited) return inherited;
      }
    }
    return undefined;
  }

  private instantiate(cls: ClassValue, call: CallSite): Value {
    this.instantiatedClasses.add(cls.def.start);
    const role = this.classRole(cls);
    // `class CustomModel(keras.Model)` that only overrides train_step, built as CustomModel(inputs, outputs):
    // the model is the base class's functional one
    if (role?.role === 'model' && call.args.length + call.kwargs.size > 0 && !findMember(cls, role.frontEnd.forwardMethod) && !findMember(cls, '__init__')) {
      const base = externalModelBase(cls, role.frontEnd);
      const functional = base ? role.frontEnd.callExternal(base, call, this) : undefined;
      if (functional?.kind === 'model') return functional;
    }
    const instance: InstanceValue = { kind: 'instance', cls, attrs: new Map() };
    if (role?.role === 'model') {
      const builder = this.addBuilder(new ModelBuilder(role.frontEnd.framework, 'subclass', cls.def));
      builder.instance = instance;
      instance.model = builder;
    }
    const init = findMember(cls, '__init__');
    if (init?.kind === 'function') this.callFunction({ ...init, bound: instance }, call);
    return instance;
  }

  private callInstance(instance: InstanceValue, call: CallSite): Value {
    const role = this.classRole(instance.cls);
    const forward = findMember(instance.cls, role?.frontEnd.forwardMethod ?? 'call') ?? findMember(instance.cls, '__call__');
    if (instance.model && !this.usedAsComponent(instance.model, call)) return UNKNOWN_VALUE;
    if (forward?.kind === 'function') {
      const result = this.callFunction({ ...forward, bound: instance }, call);
      return result.kind === 'none' ? this.unknownCall(call, instance.cls.name) : result;
    }
    return this.unknownCall(call, instance.cls.name);
  }

  /**
   * A model called on tensors of another model is a part of it. Called on data (a batch,
   * `torch.randn(1, 3, 32, 32)`), it is the model being run: the data's shape is its input shape.
   */
  usedAsComponent(model: ModelBuilder, call: CallSite): boolean {
    if (call.args.some((arg) => flattenTensors(arg).length > 0)) {
      if (!model.compileRange) model.component = true;
      return true;
    }
    const data = call.args[0];
    if (data?.kind === 'array' && data.shape.length > 0) model.inputShape = [null, ...data.shape.slice(1)];
    return false;
  }

  /** Runs a model's forward pass on a symbolic input once the whole file has been read. */
  private runForwardPass(builder: ModelBuilder): void {
    const instance = builder.instance;
    const forward = instance ? findMember(instance.cls, this.classRole(instance.cls)?.frontEnd.forwardMethod ?? 'call') : undefined;
    if (instance && forward?.kind !== 'function') return;
    const parameters = forward?.kind === 'function' ? (forward.def.child('parameters')?.namedChildren ?? []) : [];
    const at = parameters[1] ?? (forward?.kind === 'function' ? forward.def : undefined);
    const input = this.addNode(
      {
        framework: builder.framework,
        type: 'Input',
        kind: 'input',
        args: { shape: builder.inputShape ?? null },
        argRanges: {},
        argText: {},
        activation: null,
        range: at?.range ?? builder.range,
        weightKey: this.nextWeightKey(),
      },
      [],
    );
    if (input.kind !== 'tensor') return;
    builder.inputs = [input.node];
    let output: Value;
    if (instance && forward?.kind === 'function') {
      const node = forward.def;
      const call: CallSite = { node, args: [input], argNodes: [node], kwargs: new Map(), kwargNodes: new Map(), hasSplat: false };
      output = this.callFunction({ ...forward, bound: instance }, call);
    } else {
      output = this.applySequence(builder.items ?? [], input, builder.node);
    }
    builder.outputs = flattenTensors(output).map((t) => t.node);
    if (instance) this.runTrainingMethods(builder, instance);
  }

  /**
   * A class that trains itself (a LightningModule) makes its loss in `training_step` and its
   * optimizer in `configure_optimizers`: they are run with unknown arguments, and what they make
   * is this model's, not the file's.
   */
  private runTrainingMethods(builder: ModelBuilder, instance: InstanceValue): void {
    const frontEnd = this.classRole(instance.cls)?.frontEnd;
    const losses = this.fileLosses.length;
    const optimizers = this.fileOptimizers.length;
    for (const name of frontEnd?.trainingMethods ?? []) {
      const method = findMember(instance.cls, name);
      if (method?.kind !== 'function') continue;
      const node = method.def;
      this.callFunction({ ...method, bound: instance }, { node, args: [], argNodes: [], kwargs: new Map(), kwargNodes: new Map(), hasSplat: false });
    }
    const ownLosses = this.fileLosses.splice(losses);
    const [ownOptimizer] = this.fileOptimizers.splice(optimizers);
    if (builder.loss.length === 0) builder.loss = ownLosses;
    builder.optimizer ??= ownOptimizer ?? null;
  }

  /** Applies modules one after the other, as nn.Sequential does. */
  applySequence(items: readonly Value[], input: Value, node: PyNode): Value {
    let current = input;
    for (const item of items) {
      const call: CallSite = { node, args: [current], argNodes: [], kwargs: new Map(), kwargNodes: new Map(), hasSplat: false, sequenceStep: true };
      const result = this.callValue(item, call);
      current = result.kind === 'seq' ? (result.items[0] ?? UNKNOWN_VALUE) : result;
    }
    return current;
  }

  /**
   * Functions never called and model classes never instantiated are analysed with their defaults.
   * Only functions that build models (their text names layers, or calls a function that does) are
   * run: a training script's data loaders and plotting helpers have nothing to review.
   */
  private analyseUncalledDefinitions(): void {
    const builders = new Set<string>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const fn of this.topLevelFunctions) {
        if (builders.has(fn.name)) continue;
        const text = fn.def.text;
        if (this.buildsModels(text) || [...builders].some((name) => text.includes(`${name}(`))) {
          builders.add(fn.name);
          changed = true;
        }
      }
    }
    // Callers are usually defined after what they call, so the latest definitions go first.
    for (const fn of [...this.topLevelFunctions].reverse()) {
      if (this.calledDefinitions.has(fn.def.start) || !builders.has(fn.name)) continue;
      const node = fn.def;
      this.callFunction(fn, { node, args: [], argNodes: [], kwargs: new Map(), kwargNodes: new Map(), hasSplat: false });
    }
    this.analysingUnusedClasses = true;
    for (const cls of this.modelClasses) {
      if (this.instantiatedClasses.has(cls.def.start)) continue;
      const node = cls.def;
      this.instantiate(cls, { node, args: [], argNodes: [], kwargs: new Map(), kwargNodes: new Map(), hasSplat: false });
    }
    this.analysingUnusedClasses = false;
  }
}

// ---------------------------------------------------------------- helpers

const CARRIES_MODEL_VALUES = new Set<Value['kind']>(['tensor', 'model', 'layer', 'instance', 'seq', 'dict']);

/**
 * A call site whose arguments are evaluated on first use. Most calls in a training script
 * (`model.fit(...)`, `plt.plot(...)`, `print(...)`) never need theirs, and evaluating them means
 * reading their syntax from the native tree.
 */
class LazyCallSite implements CallSite {
  private resolved: CallSite | undefined;

  constructor(
    private readonly interpreter: Interpreter,
    readonly node: PyNode,
    private readonly argumentsNode: PyNode | undefined,
    private readonly scope: Scope,
  ) {}

  private get site(): CallSite {
    this.resolved ??= this.interpreter.evaluateArguments(this.node, this.argumentsNode, this.scope);
    return this.resolved;
  }

  get evaluated(): boolean {
    return this.resolved !== undefined;
  }

  get args(): Value[] {
    return this.site.args;
  }

  get argNodes(): PyNode[] {
    return this.site.argNodes;
  }

  get kwargs(): Map<string, Value> {
    return this.site.kwargs;
  }

  get kwargNodes(): Map<string, PyNode> {
    return this.site.kwargNodes;
  }

  get hasSplat(): boolean {
    return this.site.hasSplat;
  }

  /**
   * Whether the arguments could hold a tensor, a layer or a model, judged from their source:
   * a nested call could build one, and a name could be bound to one.
   */
  mayCarryModelValues(): boolean {
    if (!this.argumentsNode) return false;
    const text = this.argumentsNode.text;
    if (text.includes('(')) return true;
    for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
      const value = this.scope.get(match[0]);
      if (value && CARRIES_MODEL_VALUES.has(value.kind)) return true;
    }
    return false;
  }
}

export function flattenTensors(value: Value | undefined): Extract<Value, { kind: 'tensor' }>[] {
  if (!value) return [];
  if (value.kind === 'tensor') return [value];
  if (value.kind === 'seq') return value.items.flatMap(flattenTensors);
  if (value.kind === 'dict') return [...value.entries.values()].flatMap(flattenTensors);
  return [];
}

function tensorIds(inputs: Value[]): number[] {
  if (inputs.every((input) => input.kind === 'tensor')) return inputs.map((input) => (input as Extract<Value, { kind: 'tensor' }>).node);
  return inputs.flatMap(flattenTensors).map((t) => t.node);
}

/** The framework class a model class derives from, as a path: `keras.Model`. */
function externalModelBase(cls: ClassValue, frontEnd: FrontEnd, depth = 0): string | undefined {
  for (const base of cls.bases) {
    if (base.kind === 'external' && frontEnd.classRole(base.path) === 'model') return base.path;
    if (base.kind === 'class' && depth < 10) {
      const inherited = externalModelBase(base, frontEnd, depth + 1);
      if (inherited) return inherited;
    }
  }
  return undefined;
}

function findMember(cls: ClassValue, name: string, depth = 0): Value | undefined {
  const own = cls.members.get(name);
  if (own || depth > 10) return own;
  for (const base of cls.bases) {
    if (base.kind === 'class') {
      const inherited = findMember(base, name, depth + 1);
      if (inherited) return inherited;
    }
  }
  return undefined;
}

function isPrivate(name: string): boolean {
  return name.startsWith('_');
}

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'none':
      return true;
    case 'tensor':
      return a.node === (b as typeof a).node;
    case 'external':
      return a.path === (b as typeof a).path;
    case 'model':
      return a.model === (b as typeof a).model;
    case 'layer':
      return a.layer === (b as typeof a).layer;
    default:
      return false;
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

function numericOperator(operator: string, a: number, b: number): Value {
  switch (operator) {
    case '+':
      return num(a + b);
    case '-':
      return num(a - b);
    case '*':
      return num(a * b);
    case '/':
      return b === 0 ? UNKNOWN_VALUE : num(a / b);
    case '//':
      return b === 0 ? UNKNOWN_VALUE : num(Math.floor(a / b));
    case '%':
      return b === 0 ? UNKNOWN_VALUE : num(((a % b) + b) % b);
    case '**': {
      const result = a ** b;
      return Number.isFinite(result) ? num(result) : UNKNOWN_VALUE;
    }
    case '<<':
      return num(a * 2 ** b);
    case '>>':
      return num(Math.floor(a / 2 ** b));
    default:
      return UNKNOWN_VALUE;
  }
}

/** Values that are known not to be None (an `object` made by an unknown call may be). */
const NEVER_NONE = new Set<Value['kind']>(['number', 'string', 'bool', 'seq', 'dict', 'layer', 'tensor', 'model', 'function', 'class', 'instance', 'range', 'array', 'parameters', 'method', 'external']);

function compare(op: string, x: unknown, y: unknown): boolean | undefined {
  switch (op) {
    case '==':
    case 'is':
      return x === y;
    case '!=':
    case 'is not':
      return x !== y;
  }
  if (typeof x !== 'number' || typeof y !== 'number') return undefined;
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return undefined;
  }
}

export function parseNumber(text: string): Value {
  if (/^\d+$/.test(text)) return num(Number(text));
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return UNKNOWN_VALUE;
  const value = /^0[xob]/i.test(clean) ? Number(clean.toLowerCase()) : Number(clean.replace(/[lL]$/, ''));
  return Number.isFinite(value) ? num(value) : UNKNOWN_VALUE;
}

export function parseString(text: string): Value {
  const match = /^([rRbBuUfF]*)("""|'''|"|')/.exec(text);
  if (!match) return UNKNOWN_VALUE;
  const prefix = match[1]!.toLowerCase();
  const quote = match[2]!;
  if (!text.endsWith(quote) || text.length < prefix.length + quote.length * 2) return UNKNOWN_VALUE;
  const body = text.slice(prefix.length + quote.length, text.length - quote.length);
  if (prefix.includes('f') && body.includes('{')) return UNKNOWN_VALUE;
  if (prefix.includes('r')) return str(body);
  return str(body.replace(/\\(["'\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)));
}
