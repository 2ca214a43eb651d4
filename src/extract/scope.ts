import type { Value } from './abstract/values.js';

/**
 * Python name bindings. A function scope reads through to the scope it was defined in; a branch
 * overlay (the body of an `if` whose condition is unknown) reads through to the scope it runs in
 * but keeps its writes to itself, so the interpreter can merge what each branch assigned.
 */
export class Scope {
  private readonly vars = new Map<string, Value>();

  constructor(
    private readonly readsFrom?: Scope,
    readonly isOverlay = false,
  ) {}

  get(name: string): Value | undefined {
    return this.vars.get(name) ?? this.readsFrom?.get(name);
  }

  set(name: string, value: Value): void {
    this.vars.set(name, value);
  }

  /** names written in this scope itself (for overlays: what the branch assigned) */
  ownNames(): IterableIterator<string> {
    return this.vars.keys();
  }

  own(name: string): Value | undefined {
    return this.vars.get(name);
  }

  overlay(): Scope {
    return new Scope(this, true);
  }
}
