// User classes: their definitions, which framework base they derive from, instances and their calls.
import type { PyNode } from '../parse/py-node.js';
import { predictionOf } from './abstract/data.js';
import type { CallSite, ClassValue, InstanceValue, Value } from './abstract/values.js';
import { UNKNOWN_VALUE } from './abstract/values.js';
import { ModelBuilder } from './graph.js';
import type { FrontEnd, Interpreter } from './interpreter.js';
import { Scope } from './scope.js';

export interface ClassRole {
  role: 'model' | 'layer';
  frontEnd: FrontEnd;
}

export class ClassSystem {
  constructor(private readonly vm: Interpreter) {}

  define(node: PyNode, scope: Scope): void {
    const name = node.child('identifier')?.text;
    const body = node.child('block');
    if (!name || !body) return;
    const argumentList = node.child('argument_list');
    const bases = argumentList ? argumentList.namedChildren.filter((c) => c.type !== 'keyword_argument').map((c) => this.vm.evaluate(c, scope)) : [];
    const classScope = new Scope(scope);
    classScope.set('__class_body__', { kind: 'bool', value: true });
    this.vm.execBlock(body.namedChildren, classScope, { returns: [] });
    const members = new Map<string, Value>();
    for (const member of classScope.ownNames()) if (member !== '__class_body__') members.set(member, classScope.own(member)!);
    const cls: ClassValue = { kind: 'class', name, def: node, scope, bases, members };
    scope.set(name, cls);
    if (!this.vm.ownsDefinition(node)) return;
    const role = this.role(cls)?.role;
    if (role === 'model') this.vm.definitions.modelClasses.push(cls);
    else if (role === 'layer') this.vm.definitions.layerClasses.push(cls);
  }

  /** Which framework base class (directly or through user classes) a class derives from. */
  role(cls: ClassValue, depth = 0): ClassRole | undefined {
    if (depth > 10) return undefined;
    for (const base of cls.bases) {
      if (base.kind === 'external') {
        for (const frontEnd of this.vm.frontEnds) {
          const role = frontEnd.classRole(base.path);
          if (role) return { role, frontEnd };
        }
      } else if (base.kind === 'class') {
        const inherited = this.role(base, depth + 1);
        if (inherited) return inherited;
      }
    }
    return undefined;
  }

  instantiate(cls: ClassValue, call: CallSite): Value {
    if (cls.def.doc === this.vm.doc) this.vm.definitions.instantiated.add(cls.def.start);
    const init = findMember(cls, '__init__');
    // a tree that builds copies of itself down to a depth footgun cannot read: an unknown module past the budget
    if (init?.kind === 'function' && this.vm.calls.recursesTooDeep(init.def)) return UNKNOWN_VALUE;
    const role = this.role(cls);
    // `class CustomModel(keras.Model)` that only overrides train_step, built as CustomModel(inputs, outputs):
    // the model is the base class's functional one
    if (role?.role === 'model' && call.args.length + call.kwargs.size > 0 && !findMember(cls, role.frontEnd.forwardMethod) && !findMember(cls, '__init__')) {
      const base = externalModelBase(cls, role.frontEnd);
      const functional = base ? role.frontEnd.callExternal(base, call, this.vm) : undefined;
      if (functional?.kind === 'model') return functional;
    }
    const instance: InstanceValue = { kind: 'instance', cls, attrs: new Map() };
    if (role?.role === 'model') {
      const builder = this.vm.addBuilder(new ModelBuilder(role.frontEnd.framework, 'subclass', cls.def));
      builder.instance = instance;
      instance.model = builder;
    }
    if (init?.kind === 'function') this.vm.calls.callFunction({ ...init, bound: instance }, call);
    else this.inherited(instance, '__init__', call);
    return instance;
  }

  callInstance(instance: InstanceValue, call: CallSite): Value {
    const forward = this.forwardMethod(instance.cls) ?? findMember(instance.cls, '__call__');
    if (instance.model && !this.vm.runs.usedAsComponent(instance.model, call)) return predictionOf(instance.model, call);
    this.role(instance.cls)?.frontEnd.prepareCall?.(instance, call, this.vm);
    if (forward?.kind === 'function') {
      const result = this.vm.calls.callFunction({ ...forward, bound: instance }, call);
      return result.kind === 'none' ? this.vm.calls.unknownCall(call, instance.cls.name) : result;
    }
    return this.inherited(instance, 'forward', call) ?? this.vm.calls.unknownCall(call, instance.cls.name);
  }

  /** What the framework base class does for a method the user's class does not define. */
  inherited(instance: InstanceValue, method: string, call: CallSite): Value | undefined {
    return this.role(instance.cls)?.frontEnd.inheritedMethod?.(instance, method, call, this.vm);
  }

  /**
   * `super()` inside `fn`, a method bound to `instance` (or `super(Cls, self)`): lookups start
   * after the class that defines the method.
   */
  superOf(instance: InstanceValue, definedIn: ClassValue | undefined): Value {
    return definedIn ? { kind: 'super', instance, after: definedIn } : UNKNOWN_VALUE;
  }

  /** The class of an instance's hierarchy whose body defines the function `def`. */
  definingClass(cls: ClassValue, def: PyNode, depth = 0): ClassValue | undefined {
    for (const member of cls.members.values()) if (member.kind === 'function' && member.def === def) return cls;
    if (depth > 10) return undefined;
    for (const base of cls.bases) {
      if (base.kind !== 'class') continue;
      const found = this.definingClass(base, def, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** `super().name`: the first of the later classes that defines it, bound to the instance; else the framework's method. */
  superAttribute(value: Extract<Value, { kind: 'super' }>, name: string): Value {
    for (const base of value.after.bases) {
      if (base.kind !== 'class') continue;
      const member = findMember(base, name);
      if (member?.kind === 'function') return { ...member, bound: value.instance };
      if (member) return member;
    }
    return { kind: 'method', target: value, name };
  }

  /** The method that runs the forward pass: `forward` for PyTorch, `call` for Keras. */
  forwardMethod(cls: ClassValue): Value | undefined {
    return findMember(cls, this.role(cls)?.frontEnd.forwardMethod ?? 'call');
  }
}

export function findMember(cls: ClassValue, name: string, depth = 0): Value | undefined {
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
