// Roles: which networks of a file are models (trained or run as a whole, or the top of the file's
// module tree) and which are components (blocks used inside another module). The interpreter
// records the evidence as it runs; the roles are decided once the whole file has been read, so the
// order in which classes are defined does not matter.
import type { Role } from '../ir.js';
import type { PyDocument, PyNode } from '../parse/py-node.js';
import type { ClassValue, InstanceValue, Value } from './abstract/values.js';
import { findMember } from './classes.js';
import type { ModelBuilder } from './graph.js';

export interface RoleAssignment {
  role: Role;
  /** why, for reviewers: 'compiled at line 12', 'an attribute of Block' */
  reason: string;
}

/** Records that a network is used inside another module; the first use found is the one given as the reason. */
export function markComponent(builder: ModelBuilder, use: string, owner?: PyNode): void {
  builder.component = true;
  builder.componentUse ??= use;
  builder.componentOf ??= owner;
}

/** Records what the file does with a network as a whole model (runs it on data, fits it, summarises it). */
export function markModelUse(builder: ModelBuilder, use: string): void {
  builder.modelUse ??= use;
}

/**
 * `self.block = Block(…)`, `self.layers = nn.ModuleList([...])`, `setattr(self, name, block)`: a
 * network stored on a module (an instance of a framework model or layer class) is a part of it.
 */
export function noteAttribute(owner: InstanceValue, value: Value, ownerIsModule: boolean): void {
  if (!ownerIsModule) return;
  const use = `an attribute of ${owner.cls.name}`;
  const visit = (item: Value, depth: number): void => {
    if (item.kind === 'instance' && item.model && item !== owner) markComponent(item.model, use, owner.cls.def);
    else if (item.kind === 'model' && item.model !== owner.model) markComponent(item.model, use, owner.cls.def);
    else if (depth < 3 && item.kind === 'seq') for (const inner of item.items) visit(inner, depth + 1);
    else if (depth < 3 && item.kind === 'dict') for (const inner of item.entries.values()) visit(inner, depth + 1);
  };
  visit(value, 0);
}

/** What marks a network as a whole model: it is compiled, trained, run on data or summarised, or its output meets targets in a loss. */
function modelEvidence(builder: ModelBuilder): string | undefined {
  if (builder.compileRange) return `compiled at line ${builder.compileRange.line}`;
  if (builder.modelUse) return builder.modelUse;
  if (builder.optimizer) return `trained by the optimizer at line ${builder.optimizer.range.line}`;
  if (builder.loss.length > 0) return `trained with the loss at line ${builder.loss[0]!.range.line}`;
  const data = builder.data[0];
  if (data) return `fed data at line ${data.range.line}`;
  return undefined;
}

/**
 * Which module classes of the file name which others in their bodies: `self.attn = Attention(…)`
 * (also under a branch footgun did not take), `issubclass(mixer, Attention)`, `rpc.remote(ps,
 * Table, …)`. Names in strings and comments do not count, nor a subclass naming its base.
 */
class ClassNames {
  /** a named class → how the first class naming it does so */
  readonly namedBy = new Map<PyNode, string>();
  /** classes that name another module class of the file: they are built from it */
  readonly naming = new Set<PyNode>();

  constructor(moduleClasses: readonly ClassValue[], doc: PyDocument) {
    if (moduleClasses.length < 2) return;
    const byName = new Map<string, ClassValue[]>();
    for (const cls of moduleClasses) byName.set(cls.name, [...(byName.get(cls.name) ?? []), cls]);
    const pattern = new RegExp(`(?<![\\w.])(?:${[...byName.keys()].join('|')})\\b`, 'gu');
    for (const match of doc.text.matchAll(pattern)) {
      const offset = match.index;
      const owner = innermost(moduleClasses.filter((cls) => cls.def.start < offset && offset < cls.def.end));
      if (!owner) continue;
      const named = byName.get(match[0])!.filter((cls) => cls.def !== owner.def && !derivesFrom(owner, cls));
      if (named.length === 0) continue;
      // nothing new to learn: spare the native lookup
      if (this.naming.has(owner.def) && named.every((cls) => this.namedBy.has(cls.def))) continue;
      if (doc.tree.rootNode.descendantForIndex(offset).type !== 'identifier') continue;
      this.naming.add(owner.def);
      for (const cls of named) if (!this.namedBy.has(cls.def)) this.namedBy.set(cls.def, `used by ${owner.name} at line ${doc.lineOf(offset)}`);
    }
  }
}

function innermost(classes: ClassValue[]): ClassValue | undefined {
  return classes.reduce<ClassValue | undefined>((inner, cls) => (!inner || cls.def.start > inner.def.start ? cls : inner), undefined);
}

function derivesFrom(cls: ClassValue, base: ClassValue, depth = 0): boolean {
  return depth < 10 && cls.bases.some((b) => b.kind === 'class' && (b.def === base.def || derivesFrom(b, base, depth + 1)));
}

/**
 * The parameters a class's constructor needs and does not default (`dim` of
 * `def __init__(self, dim, num_heads=8)`), or undefined when it needs none.
 */
function requiredParameters(cls: ClassValue): string[] | undefined {
  const init = findMember(cls, '__init__');
  if (init?.kind !== 'function') return undefined;
  const required = (init.def.child('parameters')?.namedChildren ?? [])
    .slice(1)
    .filter((parameter) => parameter.type === 'identifier' || parameter.type === 'typed_parameter')
    .map((parameter) => (parameter.type === 'identifier' ? parameter.text : (parameter.namedChildren[0]?.text ?? '')));
  return required.length > 0 ? required : undefined;
}

/**
 * The role of every network the interpreter built:
 * - a model when the file compiles, trains, runs or summarises it, even if it is also used inside
 *   another (a GAN's discriminator);
 * - else a component when it is used inside another module or built by a module's own code (its
 *   __init__, a _make_layer helper), or when it is an instance of a class
 *   that is used so elsewhere in the file: another instance of it is, or another module class names
 *   it (a block analysed on its own, with its defaults, before or without the model that uses it);
 * - else a component when the file only defines its class, cannot build it without arguments, and
 *   it is built from nothing else of the file (`Mlp(in_features)` in a module of building blocks);
 * - else a model: nothing else in the file uses it, so it is the top of the file's module tree.
 */
export function assignRoles(builders: readonly ModelBuilder[], file: { doc: PyDocument; moduleClasses: readonly ClassValue[] }): Map<ModelBuilder, RoleAssignment> {
  const roles = new Map<ModelBuilder, RoleAssignment>();
  const classUses = new Map<PyNode, string>();
  const owners = new Set<PyNode>();
  for (const builder of builders) {
    // built from another class of the file (an nn.Sequential of library layers, or a block imported from another file, does not count)
    if (builder.instance && builder.instance.cls.def.doc === file.doc) {
      if (builder.componentOf) owners.add(builder.componentOf);
      if (builder.builtBy) owners.add(builder.builtBy.def);
    }
    const evidence = modelEvidence(builder);
    if (evidence) {
      roles.set(builder, { role: 'model', reason: evidence });
    } else if (builder.component || builder.builtBy) {
      const use = builder.componentUse ?? (builder.builtBy ? `built by the code of ${builder.builtBy.name}` : 'used inside another model');
      roles.set(builder, { role: 'component', reason: use });
      if (builder.instance && !classUses.has(builder.instance.cls.def)) classUses.set(builder.instance.cls.def, `another instance of it is ${use}`);
    }
  }
  let names: ClassNames | undefined;
  for (const builder of builders) {
    if (roles.has(builder)) continue;
    const cls = builder.instance?.cls;
    if (!cls) {
      roles.set(builder, TOP);
      continue;
    }
    names ??= new ClassNames(file.moduleClasses, file.doc);
    const classUse = classUses.get(cls.def) ?? names.namedBy.get(cls.def);
    const needs = builder.fromUnusedClass && !owners.has(cls.def) && !names.naming.has(cls.def) ? requiredParameters(cls) : undefined;
    if (classUse) roles.set(builder, { role: 'component', reason: classUse });
    else if (needs) roles.set(builder, { role: 'component', reason: `the file only defines it, builds it from nothing else of the file, and building it needs ${needs.map((name) => `\`${name}\``).join(', ')}: a building block` });
    else roles.set(builder, TOP);
  }
  return roles;
}

const TOP: RoleAssignment = { role: 'model', reason: 'nothing else in the file uses it' };

/**
 * A block class instantiated twelve times is one component: the first instance the file itself
 * makes stands for it (its arguments are the file's), else the one analysed with its defaults;
 * among those, the first that a model runs on an input of known shape.
 */
export function componentDefinitions(components: ModelBuilder[]): ModelBuilder[] {
  const byDefinition = new Map<string, ModelBuilder>();
  const rank = (builder: ModelBuilder) => (builder.fromUnusedClass ? 0 : 2) + (builder.inputShape ? 1 : 0);
  for (const builder of components) {
    const key = definitionOf(builder);
    const chosen = byDefinition.get(key);
    if (!chosen || rank(builder) > rank(chosen)) byDefinition.set(key, builder);
  }
  return [...byDefinition.values()];
}

/** The code that builds a network (its class, or the call that makes it), in whichever project file. */
export function definitionOf(builder: ModelBuilder): string {
  return `${builder.node.doc.path ?? ''}:${builder.node.start}`;
}
