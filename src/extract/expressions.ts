// Expressions: what each kind of Python expression evaluates to, as an abstract value.
import type { PyNode } from '../parse/py-node.js';
import type { Shape, SymbolicSize } from '../ir.js';
import { inferShapes } from '../shapes/infer.js';
import { arrayOperator, subscriptArray } from './abstract/arrays.js';
import { dataAttribute } from './abstract/data.js';
import { BATCH, atom, multiplySizes } from '../shapes/symbolic.js';
import { batchFoldOf } from '../shapes/torch.js';
import { compare, compareSymbolic, formatValue, parseNumber, parseString, percentFormat, sizeOperator } from './abstract/operators.js';
import type { Value } from './abstract/values.js';
import { NEVER_NONE, NONE_VALUE, UNKNOWN_SPREAD, UNKNOWN_VALUE, num, sameValue, seq, str, toArg, truthy } from './abstract/values.js';
import { LIMITS } from './budget.js';
import { findMember } from './classes.js';
import { modulesDict } from './introspection.js';
import type { ModelBuilder } from './graph.js';
import { probeModel } from './graph.js';
import type { Interpreter } from './interpreter.js';
import { LazyCallSite, syntheticCall } from './calls.js';
import { Scope } from './scope.js';

/** The first size of a tensor: the batch, the batch times the steps folded into it, or an unknown of its own. */
function firstAxis(shape: Shape): SymbolicSize {
  const fold = batchFoldOf(shape);
  if (fold === undefined) return BATCH;
  const folded = fold === null ? undefined : multiplySizes(BATCH, fold);
  return folded !== undefined && typeof folded !== 'number' ? folded : atom('size0');
}

/** nn.Module's own methods that model code calls by their dunder names: `self.__setattr__('level_1', tree)` */
const MODULE_DUNDERS = new Set(['__setattr__', '__getattr__', '__getattribute__']);

/** Objects compared by identity: layers, models, instances, and the classes the file defines. */
const IDENTITY_OBJECTS: ReadonlySet<Value['kind']> = new Set(['layer', 'model', 'instance', 'class']);

/** One position of a subscript on a tensor: `x[:, -1]`, `x[..., None]`, `x[:, :c]`. */
export type IndexKey =
  | { kind: 'index'; value: Value }
  | { kind: 'slice'; start?: Value; stop?: Value; step?: Value }
  | { kind: 'newaxis' }
  | { kind: 'ellipsis' };

/** The items of a value that a `for` loop would visit, when known. */
export interface Iteration {
  length: number;
  item: (index: number) => Value;
}

const ELEMENTWISE_COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

export class ExpressionEvaluator {
  private depth = 0;
  private readonly tensorShapes = new Map<number, Value>();
  /** output shapes of the graph's nodes computed so far for `x.shape` */
  private readonly probedShapes = new Map<number, Shape | null>();

  constructor(private readonly vm: Interpreter) {}

  evaluate(node: PyNode, scope: Scope): Value {
    if (this.depth >= LIMITS.expressionDepth) {
      if (this.vm.buildsModels(this.vm.doc.text)) this.vm.note(node, `This expression nests more than ${LIMITS.expressionDepth} levels deep; footgun does not read further into it, so its value is unknown.`);
      return UNKNOWN_VALUE;
    }
    if (!this.vm.budget.evaluation()) {
      this.vm.noteBudget(node.range, 'expressions');
      return UNKNOWN_VALUE;
    }
    this.depth++;
    try {
      return this.evaluateNode(node, scope);
    } finally {
      this.depth--;
    }
  }

  private evaluateNode(node: PyNode, scope: Scope): Value {
    switch (node.type) {
      case 'identifier':
        return scope.get(node.text) ?? { kind: 'external', path: node.text };
      case 'integer':
      case 'float':
        return parseNumber(node.text, node);
      case 'string':
        return node.namedChildren.length > 0 ? this.formattedString(node, scope) : parseString(node.text);
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
        const op = node.tokens[0];
        if (value.kind === 'symbol' && (op === '-' || op === '+')) return op === '+' ? value : (sizeOperator('*', num(-1), value, node) ?? UNKNOWN_VALUE);
        if (value.kind !== 'number') return UNKNOWN_VALUE;
        return op === '-' ? { ...value, value: -value.value } : op === '+' ? value : op === '~' ? num(~value.value) : UNKNOWN_VALUE;
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
        return this.vm.mergeOutcomes([this.evaluate(whenTrue, scope), this.evaluate(whenFalse, scope)], node);
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
      case 'yield': {
        // `yield from` hands over another iterator, which footgun does not follow
        const [value] = node.namedChildren;
        if (value && !node.tokens.includes('from')) this.vm.calls.recordYield(this.evaluate(value, scope));
        return UNKNOWN_VALUE;
      }
      case 'lambda':
        return { kind: 'function', def: node, scope, name: 'lambda' };
      case 'named_expression': {
        const [name, value] = node.namedChildren;
        if (!name || !value) return UNKNOWN_VALUE;
        const result = this.evaluate(value, scope);
        this.vm.bind(name, result, scope);
        return result;
      }
      default:
        return UNKNOWN_VALUE;
    }
  }

  /** An f-string: its text with each `{expression}` formatted, when every one of them is known. */
  private formattedString(node: PyNode, scope: Scope): Value {
    let text = '';
    for (const part of node.namedChildren) {
      if (part.type === 'string_content') {
        const content = parseString(`'${part.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}').replace(/'/g, "\\'")}'`);
        if (content.kind !== 'string') return UNKNOWN_VALUE;
        text += content.value;
      } else if (part.type === 'interpolation') {
        const [expression, ...rest] = part.namedChildren;
        const spec = rest.find((child) => child.type === 'format_specifier')?.text.replace(/^:/, '') ?? '';
        if (!expression || rest.some((child) => child.type === 'type_conversion')) return UNKNOWN_VALUE;
        const formatted = formatValue(this.evaluate(expression, scope), spec);
        if (formatted === undefined) return UNKNOWN_VALUE;
        text += formatted;
      }
    }
    return str(text);
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
    this.vm.bind(target, value, scope);
    return value;
  }

  private evaluateAugmented(node: PyNode, scope: Scope): Value {
    const [target, valueNode] = node.namedChildren;
    const operator = node.tokens[0]?.replace('=', '');
    if (!target || !valueNode || !operator) return UNKNOWN_VALUE;
    const result = this.binaryValue(operator, this.evaluate(target, scope), this.evaluate(valueNode, scope), node);
    this.vm.bind(target, result, scope);
    return result;
  }

  private evaluateAttribute(node: PyNode, scope: Scope): Value {
    const [objectNode, attribute] = node.namedChildren;
    if (!objectNode || !attribute) return UNKNOWN_VALUE;
    return this.attribute(this.evaluate(objectNode, scope), attribute.text);
  }

  attribute(object: Value, name: string): Value {
    if (object.kind === 'model' || object.kind === 'layer') {
      const defined = this.frameworkAttribute(object, name);
      if (defined) return defined;
    }
    switch (object.kind) {
      case 'external':
        return { kind: 'external', path: `${object.path}.${name}` };
      case 'module':
        return this.vm.modules?.attribute(object, name) ?? UNKNOWN_VALUE;
      case 'instance': {
        const own = object.attrs.get(name);
        if (own) return own;
        const member = findMember(object.cls, name);
        if (member?.kind === 'function') return { ...member, bound: object };
        if (member) return member;
        const inherited = this.frameworkAttribute(object, name);
        if (inherited) return inherited;
        if (object.model && name === '_modules') return modulesDict(object);
        if (object.model && (!name.startsWith('_') || MODULE_DUNDERS.has(name))) return { kind: 'method', target: object, name };
        return UNKNOWN_VALUE;
      }
      case 'class':
        return findMember(object, name) ?? UNKNOWN_VALUE;
      case 'super':
        return this.vm.classes.superAttribute(object, name);
      case 'alternatives':
        // `self.features.add_module(...)` when self.features is one of several Sequentials: each gets it
        return { kind: 'method', target: object, name };
      case 'model':
        return this.modelAttribute(object.model, name) ?? { kind: 'method', target: object, name };
      case 'tensor':
        return name === 'shape' ? this.tensorShape(object.node) : { kind: 'method', target: object, name };
      case 'array':
      case 'dataset':
      case 'prediction':
        return dataAttribute(object, name) ?? UNKNOWN_VALUE;
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
      const output = this.shapeOf(node);
      shape = output ? seq(output.map((size, axis) => (size !== null ? num(size) : { kind: 'symbol', size: axis === 0 ? firstAxis(output) : atom(`size${axis}`) })), true) : UNKNOWN_VALUE;
      this.tensorShapes.set(node, shape);
    }
    return shape;
  }

  /** What a framework defines on its models, layers and their subclasses (`model.layers`, `layer.output`). */
  private frameworkAttribute(object: Value, name: string): Value | undefined {
    for (const frontEnd of this.vm.frontEnds) {
      const defined = frontEnd.attribute?.(object, name, this.vm);
      if (defined) return defined;
    }
    return undefined;
  }

  /** The shape of a tensor as far as the layers before it fix it (each node is computed once). */
  shapeOf(node: number): Shape | null {
    if (!this.probedShapes.has(node)) {
      const { model, ids } = probeModel(this.vm.graph, node, this.probedShapes);
      inferShapes(model);
      model.layers.forEach((layer, index) => {
        if (layer.type !== 'Known') this.probedShapes.set(ids[index]!, layer.output);
      });
    }
    return this.probedShapes.get(node) ?? null;
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
    const size = sizeOperator(operator, left, right, node);
    if (size) return size;
    if (left.kind === 'string' && right.kind === 'string' && operator === '+') {
      if (left.value.length + right.value.length <= LIMITS.stringLength) return str(left.value + right.value);
      this.vm.noteTooLong(node, 'string');
      return UNKNOWN_VALUE;
    }
    if (left.kind === 'string' && operator === '%') return percentFormat(left.value, right);
    if (left.kind === 'seq' && right.kind === 'seq' && operator === '+') {
      if (left.items.length + right.items.length <= LIMITS.sequenceItems) return seq([...left.items, ...right.items], left.tuple);
      this.vm.noteTooLong(node, 'list');
      return UNKNOWN_VALUE;
    }
    if (left.kind === 'seq' && right.kind === 'number' && operator === '*' && left.items.length * right.value <= LIMITS.sequenceItems) {
      return seq(Array.from({ length: left.items.length * Math.max(0, right.value) }, (_, i) => left.items[i % left.items.length]!), left.tuple);
    }
    if (left.kind === 'array' || right.kind === 'array') return arrayOperator(operator, left, right, node);
    if (left.kind === 'tensor' || right.kind === 'tensor') {
      for (const frontEnd of this.vm.frontEnds) {
        const result = frontEnd.tensorOperator(operator, left, right, node, this.vm);
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
    // `is not` and `not in` are one operator of two tokens
    const operators = node.tokens.join(' ').replace(/\bis not\b/g, 'is_not').replace(/\bnot in\b/g, 'not_in').split(' ').map((op) => op.replace('_', ' '));
    if (operands.length < 2 || operators.length !== operands.length - 1) return UNKNOWN_VALUE;
    // `0 < se_ratio <= 1`: every link must hold
    let result: Value = { kind: 'bool', value: true };
    for (let i = 0; i < operators.length; i++) {
      const link = this.compareValues(operators[i]!, operands[i]!, operands[i + 1]!, node);
      if (operators.length === 1) return link;
      const holds = link.kind === 'bool' ? link.value : undefined;
      if (holds === false) return link;
      if (holds === undefined) result = UNKNOWN_VALUE;
    }
    return result;
  }

  private compareValues(op: string, a: Value, b: Value, node: PyNode): Value {
    if ((a.kind === 'array' || b.kind === 'array') && ELEMENTWISE_COMPARISONS.has(op)) return arrayOperator(op, a, b, node);
    const plain = (v: Value) => (v.kind === 'number' || v.kind === 'string' || v.kind === 'bool' || v.kind === 'none' ? toArg(v) : undefined);
    const x = plain(a);
    const y = plain(b);
    if (op === 'in' || op === 'not in') {
      let found: boolean | undefined;
      // 'deep' in stem_type, key in config, item in (a, b)
      if (a.kind === 'string' && b.kind === 'string') found = b.value.includes(a.value);
      else if (x !== undefined && b.kind === 'dict' && (a.kind === 'string' || a.kind === 'number')) found = b.entries.has(String(x));
      else if (x !== undefined && b.kind === 'seq') {
        const items = b.items.map(plain);
        if (!items.some((i) => i === undefined)) found = items.includes(x);
      }
      return found === undefined ? UNKNOWN_VALUE : { kind: 'bool', value: op === 'in' ? found : !found };
    }
    if ((op === 'is' || op === 'is not') && (a.kind === 'none' || b.kind === 'none')) {
      // `self.downsample is not None`: a layer, model or tensor is certainly not None
      const other = a.kind === 'none' ? b : a;
      if (other.kind === 'none') return { kind: 'bool', value: op === 'is' };
      if (NEVER_NONE.has(other.kind)) return { kind: 'bool', value: op === 'is not' };
    }
    if ((op === 'is' || op === 'is not' || op === '==' || op === '!=') && IDENTITY_OBJECTS.has(a.kind) && IDENTITY_OBJECTS.has(b.kind)) {
      // `module is self.fuse`, `block_type is NextConvBlock`: the same object or certainly not
      const same = a.kind === 'class' && b.kind === 'class' ? a.def === b.def : sameValue(a, b);
      return { kind: 'bool', value: same === (op === 'is' || op === '==') };
    }
    const symbolic = compareSymbolic(op, a, b);
    if (symbolic !== undefined) return { kind: 'bool', value: symbolic };
    if ((op === '==' || op === '!=') && a.kind === 'seq' && b.kind === 'seq') {
      // `strides == (1, 1)`: tuples (or lists) of plain values, item by item
      const left = a.items.map(plain);
      const right = b.items.map(plain);
      if (a.tuple !== b.tuple || [...left, ...right].includes(undefined)) return UNKNOWN_VALUE;
      const equal = left.length === right.length && left.every((item, i) => item === right[i]);
      return { kind: 'bool', value: equal === (op === '==') };
    }
    if (x === undefined || y === undefined) return UNKNOWN_VALUE;
    const result = compare(op, x, y);
    return result === undefined ? UNKNOWN_VALUE : { kind: 'bool', value: result };
  }

  private evaluateSubscript(node: PyNode, scope: Scope): Value {
    const [containerNode, ...keys] = node.namedChildren;
    if (!containerNode) return UNKNOWN_VALUE;
    const container = this.evaluate(containerNode, scope);
    if (container.kind === 'array') return subscriptArray(container, keys, node, (key) => this.evaluate(key, scope));
    if (container.kind === 'tensor') return this.indexTensor(container, keys, node, scope);
    if (keys.length !== 1) return UNKNOWN_VALUE;
    const keyNode = keys[0]!;
    if (keyNode.type === 'slice') {
      if (container.kind !== 'seq') return UNKNOWN_VALUE;
      const { start, stop, step } = this.sliceBounds(keyNode, scope);
      if (step || (start && start.kind !== 'number') || (stop && stop.kind !== 'number')) return UNKNOWN_VALUE;
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
    return UNKNOWN_VALUE;
  }

  /** The start, stop and step written in `a:b:c` (each absent when not written). */
  private sliceBounds(slice: PyNode, scope: Scope): { start?: Value; stop?: Value; step?: Value } {
    const bounds = slice.namedChildren.map((c) => this.evaluate(c, scope));
    const parts = slice.text.split(':');
    let cursor = 0;
    const start = parts[0]?.trim() ? bounds[cursor++] : undefined;
    const stop = parts[1]?.trim() ? bounds[cursor++] : undefined;
    const step = parts[2]?.trim() ? bounds[cursor++] : undefined;
    return { start, stop, step };
  }

  /** `x[:, -1]`, `x[:, :c, :, :]`: the front end selects; a subscript it cannot read is a step of unknown shape. */
  private indexTensor(tensor: Extract<Value, { kind: 'tensor' }>, keyNodes: PyNode[], node: PyNode, scope: Scope): Value {
    const keys: IndexKey[] = keyNodes.map((key) => {
      if (key.type === 'slice') return { kind: 'slice', ...this.sliceBounds(key, scope) };
      if (key.type === 'ellipsis') return { kind: 'ellipsis' };
      if (key.type === 'none') return { kind: 'newaxis' };
      return { kind: 'index', value: this.evaluate(key, scope) };
    });
    const framework = this.vm.graph.nodes[tensor.node]!.layer.framework;
    for (const frontEnd of this.vm.frontEnds) {
      if (frontEnd.framework !== framework) continue;
      const result = frontEnd.indexTensor?.(tensor, keys, node, this.vm);
      if (result) return result;
    }
    return this.opaqueFromTensor(tensor, node);
  }

  private opaqueFromTensor(tensor: Value, node: PyNode): Value {
    if (tensor.kind !== 'tensor') return UNKNOWN_VALUE;
    return this.vm.opaque('Slice', this.vm.graph.nodes[tensor.node]!.layer.framework, node, [tensor], true);
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
          this.vm.bind(target, items.item(i), inner, false);
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
  iterate(value: Value): Iteration | undefined {
    if (value.kind === 'seq') return { length: value.items.length, item: (i) => value.items[i]! };
    if (value.kind === 'range') return { length: value.length, item: (i) => num(value.start + i * value.step) };
    if (value.kind === 'dict') {
      const keys = [...value.entries.keys()].map(str);
      return { length: keys.length, item: (i) => keys[i]! };
    }
    if (value.kind === 'string') return { length: value.value.length, item: (i) => str(value.value[i]!) };
    // a loop over batches is followed for one batch: every batch has the same shapes
    if (value.kind === 'dataset' && value.batched) return { length: 1, item: () => value.item };
    // iterating an nn.Sequential visits its modules
    if (value.kind === 'model' && value.model.items && !value.model.items.includes(UNKNOWN_SPREAD)) {
      const items = value.model.items;
      return { length: items.length, item: (i) => items[i]! };
    }
    // an instance of a class derived from nn.Sequential or nn.ModuleList
    if (value.kind === 'instance' && value.model) {
      const items = this.vm.classes.inherited(value, '__iter__', syntheticCall(value.cls.def));
      if (items?.kind === 'seq') return { length: items.items.length, item: (i) => items.items[i]! };
    }
    return undefined;
  }

  private evaluateCall(node: PyNode, scope: Scope): Value {
    const [calleeNode, argumentsNode] = node.namedChildren;
    if (!calleeNode) return UNKNOWN_VALUE;
    const callee = this.evaluate(calleeNode, scope);
    return this.vm.calls.callValue(callee, new LazyCallSite(this.vm, node, argumentsNode, scope));
  }
}
