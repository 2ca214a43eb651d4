// Calls: arguments, user functions, builtins, and what the framework front ends make of library calls.
import type { PyNode } from '../parse/py-node.js';
import { callBuiltin, isBuiltin, stringMethod } from './abstract/builtins.js';
import type { DataContext } from './abstract/data.js';
import { callData, dataMethod } from './abstract/data.js';
import { generatorOf } from './abstract/datasets.js';
import { braceFormat } from './abstract/operators.js';
import type { CallSite, InstanceValue, Value } from './abstract/values.js';
import { NONE_VALUE, UNKNOWN_SPREAD, UNKNOWN_VALUE, flattenTensors, seq, str } from './abstract/values.js';
import { atom } from '../shapes/symbolic.js';
import { LIMITS } from './budget.js';
import { hasAttribute, isInstance, mayHoldParameters } from './introspection.js';
import type { Frame, Interpreter } from './interpreter.js';
import { Scope } from './scope.js';

type FunctionValue = Extract<Value, { kind: 'function' }>;

export class CallEvaluator {
  /** nested user-function calls running now */
  depth = 0;
  /** the parameters of the user functions running now, innermost last */
  private readonly argumentStack: { names: string[]; scope: Scope; fn: FunctionValue }[] = [];
  private dataContext: DataContext | undefined;
  /** what the user functions running now have yielded, innermost last: a function that yields is a generator */
  private readonly yieldStack: Value[][] = [];
  /** the instances whose methods are running now, innermost last */
  private readonly selves: InstanceValue[] = [];

  constructor(private readonly vm: Interpreter) {}

  /** Evaluates the arguments of a call: positional, keyword, *list and **dict. */
  evaluateArguments(node: PyNode, argumentsNode: PyNode | undefined, scope: Scope): CallSite {
    const call: CallSite = { node, args: [], argNodes: [], kwargs: new Map(), kwargNodes: new Map(), hasSplat: false };
    if (!argumentsNode) return call;
    if (argumentsNode.type === 'generator_expression') {
      call.args.push(this.vm.evaluate(argumentsNode, scope));
      call.argNodes.push(argumentsNode);
      return call;
    }
    for (const argument of argumentsNode.namedChildren) {
      if (argument.type === 'keyword_argument') {
        const [name, value] = argument.namedChildren;
        if (name && value) {
          call.kwargs.set(name.text, this.vm.evaluate(value, scope));
          call.kwargNodes.set(name.text, argument);
        }
      } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
        const inner = argument.namedChildren[0];
        const spread = inner ? this.vm.evaluate(inner, scope) : UNKNOWN_VALUE;
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
        call.args.push(this.vm.evaluate(argument, scope));
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
        return this.vm.classes.instantiate(callee, call);
      case 'instance':
        return this.vm.classes.callInstance(callee, call);
      case 'method':
        return this.callMethod(callee.target, callee.name, call);
      case 'object':
        return this.callObject(callee, call);
      case 'layer':
      case 'model':
      case 'tensor':
        return this.callMethod(callee, '__call__', call);
      case 'alternatives':
        return this.callAlternatives(callee.options, call);
      default:
        return this.unknownCall(call);
    }
  }

  /** `super()` in a method (the instance it is bound to, after the class that defines it), or `super(Cls, self)`. */
  private superCall(call: CallSite): Value {
    const [cls, self] = call.args;
    if (cls?.kind === 'class' && self?.kind === 'instance') return this.vm.classes.superOf(self, cls);
    const running = this.argumentStack[this.argumentStack.length - 1]?.fn;
    const instance = running?.bound;
    if (instance?.kind !== 'instance' || !running) return UNKNOWN_VALUE;
    return this.vm.classes.superOf(instance, this.vm.classes.definingClass(instance.cls, running.def));
  }

  /**
   * Calls each module that may be the one called and merges what they return: a `Branch` of their
   * outputs whose parameters are unknown, since only one of the modules may exist.
   */
  private callAlternatives(options: Value[], call: CallSite): Value {
    const results = options.map((option) => (option.kind === 'unknown' || option.kind === 'none' ? this.unknownCall(call) : this.callValue(option, call)));
    return this.vm.mergeOutcomes(results, call.node, options.some(mayHoldParameters));
  }

  private callExternal(path: string, call: CallSite): Value {
    if (path === 'getattr') {
      const [object, name] = call.args;
      return object && name?.kind === 'string' ? this.vm.expressions.attribute(object, name.value) : (call.args[2] ?? UNKNOWN_VALUE);
    }
    if (path === 'super') return this.superCall(call);
    if (path === 'setattr') {
      const [object, name, value] = call.args;
      if (object?.kind === 'instance' && value) {
        if (name?.kind === 'string') this.vm.setAttribute(object, name.value, value);
        else this.vm.noteAttribute(object, value);
      }
      return NONE_VALUE;
    }
    if (path === 'hasattr') {
      const [object, name] = call.args;
      return object && name?.kind === 'string' ? hasAttribute(object, name.value) : UNKNOWN_VALUE;
    }
    if (path === 'isinstance') {
      const [object, classes] = call.args;
      return object && classes ? isInstance(this.vm, object, classes) : UNKNOWN_VALUE;
    }
    if (isBuiltin(path)) return callBuiltin(path, call);
    const data = callData(path, call, this.data);
    if (data) return data;
    for (const frontEnd of this.vm.frontEnds) {
      const result = frontEnd.callExternal(path, call, this.vm);
      if (result) return result;
    }
    return this.unknownCall(call, path, undefined, true);
  }

  private callMethod(target: Value, name: string, call: CallSite): Value {
    if (target.kind === 'seq' && (name === 'append' || name === 'extend')) {
      const [item] = call.args;
      this.vm.willMutate(target);
      if (target.items.length + (name === 'append' ? 1 : item?.kind === 'seq' ? item.items.length : 0) > LIMITS.sequenceItems) {
        // past what footgun keeps: the list goes on with items it does not know
        if (target.items[target.items.length - 1] !== UNKNOWN_SPREAD) target.items.push(UNKNOWN_SPREAD);
        this.vm.noteTooLong(call.node, 'list');
      } else if (item && name === 'append') target.items.push(item);
      else if (item?.kind === 'seq') target.items.push(...item.items);
      return NONE_VALUE;
    }
    if (target.kind === 'string' && name === 'format' && !call.hasSplat) return braceFormat(target.value, call.args, call.kwargs);
    if (target.kind === 'string' && !call.hasSplat) {
      const result = stringMethod(target.value, name, call);
      if (result) return result;
    }
    if (target.kind === 'dict') {
      if (name === 'items') return seq([...target.entries].map(([k, v]) => seq([str(k), v], true)));
      if (name === 'keys') return seq([...target.entries.keys()].map(str));
      if (name === 'values') return seq([...target.entries.values()]);
      if (name === 'get') {
        const key = call.args[0];
        return (key?.kind === 'string' ? target.entries.get(key.value) : undefined) ?? call.args[1] ?? NONE_VALUE;
      }
      if (name === 'pop') {
        // `args.pop("repeats")`: the entry, gone from the dict
        const key = call.args[0];
        const entry = key?.kind === 'string' || key?.kind === 'number' ? String(key.value) : undefined;
        const value = entry === undefined ? undefined : target.entries.get(entry);
        if (entry === undefined || !value) return call.args[1] ?? UNKNOWN_VALUE;
        this.vm.willMutate(target);
        target.entries.delete(entry);
        return value;
      }
    }
    if (target.kind === 'super') return this.vm.classes.inherited(target.instance, name, call) ?? this.unknownCall(call, name);
    if (target.kind === 'alternatives') {
      const results = target.options.map((option) => (option.kind === 'unknown' || option.kind === 'none' ? this.unknownCall(call, name) : this.callMethod(option, name, call)));
      return this.vm.mergeOutcomes(results, call.node);
    }
    const data = dataMethod(target, name, call, this.data);
    if (data) return data;
    for (const frontEnd of this.vm.frontEnds) {
      const result = frontEnd.callMethod(target, name, call, this.vm);
      if (result) return result;
    }
    return this.unknownCall(call, name, target);
  }

  /** An object called like a function: a loss module on a model's output (`criterion(output, y)`). */
  private callObject(object: Value, call: CallSite): Value {
    for (const frontEnd of this.vm.frontEnds) {
      const result = frontEnd.callMethod(object, '__call__', call, this.vm);
      if (result) return result;
    }
    return this.unknownCall(call);
  }

  /** What data calls need to know about the file, read once. */
  private get data(): DataContext {
    this.dataContext ??= { channelsFirstMentioned: this.vm.doc.text.includes('channels_first') };
    return this.dataContext;
  }

  /**
   * A call footgun does not understand. If tensors go in, a tensor of unknown shape comes out. It
   * holds no weights when it is a tensor method, or a library function under PyTorch, where only
   * the modules assigned to the model register parameters (`pack_padded_sequence(x, …)`).
   */
  unknownCall(call: CallSite, name = 'call', target?: Value, libraryFunction = false): Value {
    if (call instanceof LazyCallSite && !call.evaluated && target?.kind !== 'tensor' && !call.mayCarryModelValues()) return UNKNOWN_VALUE;
    const inputs = [target, ...call.args, ...call.kwargs.values()].filter((v): v is Value => v !== undefined);
    const tensor = inputs.flatMap(flattenTensors)[0];
    if (!tensor) return UNKNOWN_VALUE;
    const framework = this.vm.graph.nodes[tensor.node]!.layer.framework;
    const parameterless = target?.kind === 'tensor' || (libraryFunction && framework === 'pytorch');
    return this.vm.opaque(name.split('.').pop() ?? 'call', framework, call.node, inputs, parameterless);
  }

  /** Whether running `def` again would recurse into itself past what the budget follows under uncertainty. */
  recursesTooDeep(def: PyNode): boolean {
    if (!this.vm.conditional) return false;
    let runs = 0;
    for (const frame of this.argumentStack) if (frame.fn.def === def) runs++;
    return runs >= LIMITS.uncertainRecursion;
  }

  callFunction(fn: FunctionValue, call: CallSite): Value {
    if (fn.def.doc === this.vm.doc) this.vm.definitions.called.add(fn.def.start);
    if (this.depth >= LIMITS.callDepth || this.recursesTooDeep(fn.def)) return this.unknownCall(call, fn.name);
    const scope = new Scope(fn.scope);
    const parameterNames = this.bindParameters(fn, call, scope);
    if (fn.def.type === 'lambda') return this.callLambda(fn, scope);
    const body = fn.def.child('block');
    if (!body) return NONE_VALUE;
    const frame: Frame = { returns: [] };
    this.depth++;
    const savedLoops = this.vm.loopStack.splice(0);
    this.argumentStack.push({ names: fn.bound ? parameterNames.slice(1) : parameterNames, scope, fn });
    const yields: Value[] = [];
    this.yieldStack.push(yields);
    const self = fn.bound?.kind === 'instance' ? fn.bound : undefined;
    if (self) this.selves.push(self);
    try {
      this.vm.execBlock(body.namedChildren, scope, frame);
    } finally {
      this.depth--;
      this.vm.loopStack.push(...savedLoops);
      this.argumentStack.pop();
      this.yieldStack.pop();
      if (self) this.selves.pop();
    }
    if (yields.length > 0) return generatorOf(yields);
    if (frame.returns.length === 0) return NONE_VALUE;
    return this.vm.mergeOutcomes(frame.returns, call.node);
  }

  /** `lambda x: x / 127.5 - 1`: its body is the value it returns. */
  private callLambda(fn: FunctionValue, scope: Scope): Value {
    const parameters = fn.def.child('lambda_parameters');
    const body = fn.def.namedChildren.find((child) => child !== parameters);
    if (!body) return UNKNOWN_VALUE;
    this.depth++;
    try {
      return this.vm.evaluate(body, scope);
    } finally {
      this.depth--;
    }
  }

  /** Binds a call's arguments to the function's parameters; returns the names of the named parameters, in order. */
  private bindParameters(fn: FunctionValue, call: CallSite, scope: Scope): string[] {
    const parameters = (fn.def.child('parameters') ?? fn.def.child('lambda_parameters'))?.namedChildren ?? [];
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
      if (value === undefined && defaultNode) value = call.hasSplat ? UNKNOWN_VALUE : this.vm.evaluate(defaultNode, fn.scope);
      // a parameter of unknown value is still one value: `c` is the same wherever the body uses it
      scope.set(name, value === undefined || value.kind === 'unknown' ? { kind: 'symbol', size: atom(name) } : value);
      index++;
    }
    return [...named];
  }

  /** `yield value` in the user function running now. */
  recordYield(value: Value): void {
    this.yieldStack[this.yieldStack.length - 1]?.push(value);
  }

  /** The innermost instance whose method is running now (`self` in `__init__`, a helper method or `forward`). */
  runningInstance(): InstanceValue | undefined {
    return this.selves[this.selves.length - 1];
  }

  /** The named arguments of the user function running now (Lightning's `save_hyperparameters()` stores them). */
  currentArguments(): ReadonlyMap<string, Value> {
    const frame = this.argumentStack[this.argumentStack.length - 1];
    return new Map(frame ? frame.names.map((name) => [name, frame.scope.own(name) ?? UNKNOWN_VALUE]) : []);
  }
}

const CARRIES_MODEL_VALUES = new Set<Value['kind']>(['tensor', 'model', 'layer', 'instance', 'seq', 'dict']);

/**
 * A call site whose arguments are evaluated on first use. Most calls in a training script
 * (`model.fit(...)`, `plt.plot(...)`, `print(...)`) never need theirs, and evaluating them means
 * reading their syntax from the native tree.
 */
export class LazyCallSite implements CallSite {
  private resolved: CallSite | undefined;

  constructor(
    private readonly vm: Interpreter,
    readonly node: PyNode,
    private readonly argumentsNode: PyNode | undefined,
    private readonly scope: Scope,
  ) {}

  private get site(): CallSite {
    this.resolved ??= this.vm.calls.evaluateArguments(this.node, this.argumentsNode, this.scope);
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

/** A call the interpreter makes itself (a forward pass, a constructor run with defaults), with no arguments written. */
export function syntheticCall(node: PyNode, args: Value[] = []): CallSite {
  return { node, args, argNodes: args.map(() => node), kwargs: new Map(), kwargNodes: new Map(), hasSplat: false };
}
