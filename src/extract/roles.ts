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
export function markComponent(builder: ModelBuilder, use: string): void {
  builder.component = true;
  builder.componentUse ??= use;
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
    if (item.kind === 'instance' && item.model && item !== owner) markComponent(item.model, use);
    else if (item.kind === 'model' && item.model !== owner.model) markComponent(item.model, use);
    else if (depth < 3 && item.kind === 'seq') for (const inner of item.items) visit(inner, depth + 1);
    else if (depth < 3 && item.kind === 'dict') for (const inner of item.entries.values()) visit(inner, depth + 1);
  };
  visit(value, 0);
}

/** What marks a network as a whole model: it is compiled, trained, run on data or summarised. */
function modelEvidence(builder: ModelBuilder): string | undefined {
  if (builder.compileRange) return `compiled at line ${builder.compileRange.line}`;
  if (builder.modelUse) return builder.modelUse;
  if (builder.optimizer) return `trained by the optimizer at line ${builder.optimizer.range.line}`;
  if (builder.loss.length > 0) return `trained with the loss at line ${builder.loss[0]!.range.line}`;
  return undefined;
}

/**
 * A module class named in the body of another module class (`self.attn = Attention(…)` under a
 * branch footgun did not take, `issubclass(mixer, Attention)`, `rpc.remote(ps, Table, …)`) is used
 * by it. Names in strings and comments do not count, nor a subclass naming its base.
 */
function namedByAnotherModule(cls: ClassValue, moduleClasses: readonly ClassValue[], doc: PyDocument): string | undefined {
  const pattern = new RegExp(`(?<![\\w.])${cls.name}\\b`, 'gu');
  for (const match of doc.text.matchAll(pattern)) {
    const offset = match.index;
    if (offset >= cls.def.start && offset < cls.def.end) continue;
    const owner = moduleClasses.find((other) => other.def !== cls.def && other.def.start < offset && offset < other.def.end && !derivesFrom(other, cls));
    if (!owner || doc.tree.rootNode.descendantForIndex(offset).type !== 'identifier') continue;
    return `used by ${owner.name} at line ${doc.lineOf(offset)}`;
  }
  return undefined;
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
 * - else a component when it is used inside another module, or when it is an instance of a class
 *   that is used so elsewhere in the file: another instance of it is, or another module class names
 *   it (a block analysed on its own, with its defaults, before or without the model that uses it);
 * - else a model: nothing else in the file uses it, so it is the top of the file's module tree.
 */
export function assignRoles(builders: readonly ModelBuilder[], file: { doc: PyDocument; moduleClasses: readonly ClassValue[] }): Map<ModelBuilder, RoleAssignment> {
  const roles = new Map<ModelBuilder, RoleAssignment>();
  const classUses = new Map<PyNode, string | undefined>();
  for (const builder of builders) {
    const evidence = modelEvidence(builder);
    if (evidence) {
      roles.set(builder, { role: 'model', reason: evidence });
    } else if (builder.component) {
      const use = builder.componentUse ?? 'used inside another model';
      roles.set(builder, { role: 'component', reason: use });
      if (builder.instance && !classUses.get(builder.instance.cls.def)) classUses.set(builder.instance.cls.def, `another instance of it is ${use}`);
    }
  }
  for (const builder of builders) {
    if (roles.has(builder)) continue;
    const cls = builder.instance?.cls;
    if (cls && !classUses.has(cls.def)) classUses.set(cls.def, namedByAnotherModule(cls, file.moduleClasses, file.doc));
    const classUse = cls ? classUses.get(cls.def) : undefined;
    const needs = cls && builder.fromUnusedClass ? requiredParameters(cls) : undefined;
    if (classUse) roles.set(builder, { role: 'component', reason: classUse });
    else if (needs) roles.set(builder, { role: 'component', reason: `the file only defines it, and building it needs ${needs.map((name) => `\`${name}\``).join(', ')} from the code that uses it` });
    else roles.set(builder, { role: 'model', reason: 'nothing else in the file uses it' });
  }
  return roles;
}
