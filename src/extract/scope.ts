import type { Value } from './abstract/values.js';

/**
 * Python name bindings. A function scope reads through to the scope it was defined in; a branch
 * overlay (the body of an `if` whose condition is unknown) reads through to the scope it runs in
 * but keeps its writes to itself, so the interpreter can merge what each branch assigned.
 * A name imported from another file of the project is bound lazily: the module is read when the
 * name is first used (extract/program.ts).
 */
export class Scope {
  private readonly vars = new Map<string, Value>();
  private lazy: Map<string, () => Value> | undefined;

  constructor(
    private readonly readsFrom?: Scope,
    readonly isOverlay = false,
  ) {}

  get(name: string): Value | undefined {
    return this.vars.get(name) ?? (this.lazy?.has(name) ? this.force(name) : this.readsFrom?.get(name));
  }

  set(name: string, value: Value): void {
    this.vars.set(name, value);
    this.lazy?.delete(name);
  }

  /** binds a name to the value `resolve` gives when the name is first read */
  setLazy(name: string, resolve: () => Value): void {
    this.vars.delete(name);
    (this.lazy ??= new Map()).set(name, resolve);
  }

  /** names written in this scope itself (for overlays: what the branch assigned) */
  ownNames(): Iterable<string> {
    return this.lazy ? [...this.vars.keys(), ...this.lazy.keys()] : this.vars.keys();
  }

  own(name: string): Value | undefined {
    return this.vars.get(name) ?? (this.lazy?.has(name) ? this.force(name) : undefined);
  }

  overlay(): Scope {
    return new Scope(this, true);
  }

  private force(name: string): Value {
    const resolve = this.lazy!.get(name)!;
    // a module that reads the name again while it is being resolved (an import cycle) sees it unbound
    this.lazy!.delete(name);
    const value = resolve();
    if (!this.vars.has(name)) this.vars.set(name, value);
    return this.vars.get(name)!;
  }
}
