// Python's reflection as model code uses it: isinstance/hasattr/setattr, and the tree of modules an
// object holds (`self.modules()`, `self.children()`, `self._modules`), which initialisation loops
// and aggregation code walk.
import type { ClassValue, InstanceValue, Value } from './abstract/values.js';
import { UNKNOWN_VALUE, seq, str } from './abstract/values.js';
import { findMember } from './classes.js';
import type { Interpreter } from './interpreter.js';

const BUILTIN_TYPES = new Set(['int', 'float', 'str', 'bool', 'tuple', 'list', 'dict']);

/** `isinstance(value, classes)`: a bool when footgun knows the value's type, else unknown. */
export function isInstance(vm: Interpreter, value: Value, classes: Value): Value {
  const candidates = classes.kind === 'seq' ? classes.items : [classes];
  let unknown = false;
  for (const candidate of candidates) {
    const answer = isInstanceOf(vm, value, candidate);
    if (answer === true) return { kind: 'bool', value: true };
    if (answer === undefined) unknown = true;
  }
  return unknown ? UNKNOWN_VALUE : { kind: 'bool', value: false };
}

function isInstanceOf(vm: Interpreter, value: Value, cls: Value): boolean | undefined {
  if (cls.kind === 'class') {
    if (value.kind === 'instance') return derivesFrom(value.cls, cls);
    // a library layer, a number or a list is no instance of a class the file defines
    return value.kind === 'layer' || value.kind === 'model' || value.kind === 'number' || value.kind === 'string' || value.kind === 'seq' ? false : undefined;
  }
  if (cls.kind !== 'external') return undefined;
  if (BUILTIN_TYPES.has(cls.path)) return isBuiltinType(value, cls.path);
  for (const frontEnd of vm.frontEnds) {
    const answer = frontEnd.isInstance?.(value, cls.path, vm);
    if (answer !== undefined) return answer;
  }
  return undefined;
}

function isBuiltinType(value: Value, type: string): boolean | undefined {
  switch (value.kind) {
    case 'number':
      return type === 'int' ? value.float === undefined && Number.isInteger(value.value) : type === 'float' ? value.float !== undefined : false;
    case 'bool':
      return type === 'bool' || type === 'int';
    case 'string':
      return type === 'str';
    case 'seq':
      return type === (value.tuple ? 'tuple' : 'list');
    case 'dict':
      return type === 'dict';
    case 'none':
    case 'layer':
    case 'model':
    case 'instance':
    case 'tensor':
    case 'function':
    case 'class':
      return false;
    default:
      return undefined;
  }
}

export function derivesFrom(cls: ClassValue, base: ClassValue, depth = 0): boolean {
  if (cls.def === base.def) return true;
  return depth < 10 && cls.bases.some((b) => b.kind === 'class' && derivesFrom(b, base, depth + 1));
}

/** `hasattr(object, name)`: whether the object has the attribute, when footgun can tell. */
export function hasAttribute(object: Value, name: string): Value {
  if (object.kind !== 'instance') return UNKNOWN_VALUE;
  const own = object.attrs.get(name);
  if (own) return own.kind === 'unknown' || (own.kind === 'alternatives' && own.options.some((o) => o.kind === 'unknown')) ? UNKNOWN_VALUE : { kind: 'bool', value: true };
  const member = findMember(object.cls, name);
  if (member) return { kind: 'bool', value: true };
  // attributes the framework's base class sets (nn.Module's `training`) are not visible here
  return name.startsWith('_') || object.model === undefined || FRAMEWORK_ATTRIBUTES.has(name) ? UNKNOWN_VALUE : { kind: 'bool', value: false };
}

const FRAMEWORK_ATTRIBUTES = new Set(['training', 'hparams', 'device', 'dtype', 'trainable', 'built', 'name', 'weights', 'layers']);

const PARAMETERLESS_KINDS = new Set(['dropout', 'identity', 'pool', 'global-pool', 'flatten', 'reshape', 'upsample', 'padding']);

/** Whether a module may hold parameters: an activation (but PReLU), a dropout or a pooling layer holds none. */
export function mayHoldParameters(value: Value): boolean {
  if (value.kind !== 'layer') return value.kind !== 'none';
  const layer = value.layer;
  return !(PARAMETERLESS_KINDS.has(layer.kind) || (layer.kind === 'activation' && layer.type !== 'PReLU'));
}

/** A value that is a module: a layer, a Sequential, an instance of a model class. */
export function isModuleValue(value: Value): boolean {
  return value.kind === 'layer' || value.kind === 'model' || (value.kind === 'instance' && value.model !== undefined);
}

/**
 * The modules an object registers directly, by name, in order: what `named_children()` yields.
 * A ModuleList or ModuleDict (a list or dict of modules here) contributes its items under
 * `name.0`, `name.key`.
 */
export function namedChildren(object: Value): [string, Value][] {
  if (object.kind === 'model') return (object.model.items ?? []).map((item, i) => [String(i), item] as [string, Value]).filter(([, item]) => isModuleValue(item));
  if (object.kind !== 'instance') return [];
  const children: [string, Value][] = [];
  for (const [name, value] of object.attrs) {
    if (isModuleValue(value)) children.push([name, value]);
    else if (value.kind === 'seq' && value.items.some(isModuleValue)) children.push([name, value]);
    else if (value.kind === 'dict' && [...value.entries.values()].some(isModuleValue)) children.push([name, value]);
    else if (value.kind === 'alternatives') children.push([name, value]);
  }
  return children;
}

const MAYBE_MODULES = new Set<Value['kind']>(['layer', 'model', 'instance', 'unknown', 'symbol', 'alternatives', 'object', 'method']);

/**
 * What an nn.Sequential subclass applies, in order: every attribute that is or may be a module
 * (`self.act = act_layer()` with act_layer unknown is applied as a step of unknown effect, never
 * skipped, so the modules around it are not taken as joined).
 */
export function sequentialSteps(instance: InstanceValue): Value[] {
  return [...instance.attrs.values()].filter((value) => MAYBE_MODULES.has(value.kind) && !(value.kind === 'instance' && value.model === undefined));
}

/** `named_modules()`: the object and every module below it, each once, depth first. */
export function namedModules(object: Value): [string, Value][] {
  const found: [string, Value][] = [];
  const seen = new Set<unknown>();
  const visit = (prefix: string, value: Value): void => {
    const identity = value.kind === 'layer' ? value.layer : value.kind === 'model' ? value.model : value;
    if (seen.has(identity)) return;
    seen.add(identity);
    if (value.kind === 'seq' || value.kind === 'dict') {
      const entries: [string, Value][] = value.kind === 'seq' ? value.items.map((item, i) => [String(i), item]) : [...value.entries];
      for (const [key, item] of entries) if (isModuleValue(item) || item.kind === 'seq' || item.kind === 'dict') visit(join(prefix, key), item);
      return;
    }
    if (value.kind === 'alternatives') {
      for (const option of value.options) if (isModuleValue(option)) visit(prefix, option);
      return;
    }
    found.push([prefix, value]);
    for (const [name, child] of namedChildren(value)) visit(join(prefix, name), child);
  };
  visit('', object);
  return found;
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** The pairs of a named_* walk as Python gives them: a list of (name, module) tuples. */
export function namedPairs(pairs: [string, Value][]): Value {
  return seq(pairs.map(([name, value]) => seq([str(name), value], true)));
}

/** `self._modules`: the modules an object registers directly, by name. */
export function modulesDict(object: InstanceValue): Value {
  return { kind: 'dict', entries: new Map(namedChildren(object)) };
}
