// What the branches of an `if` footgun cannot decide do to shared containers (a list that both arms
// append to, `self.attr` set in one arm, a Sequential one arm adds a module to). Scopes keep each
// branch's name bindings apart; this journal does the same for containers, so the arms are merged
// as alternatives instead of being chained as if both ran.
import type { InstanceValue, Value } from './abstract/values.js';
import { UNKNOWN_SPREAD, UNKNOWN_VALUE, sameValue } from './abstract/values.js';
import type { Budget } from './budget.js';
import { ModelBuilder } from './graph.js';

type SeqValue = Extract<Value, { kind: 'seq' }>;
type DictValue = Extract<Value, { kind: 'dict' }>;

/** Anything a statement can change in place. */
export type Container = SeqValue | DictValue | InstanceValue | ModelBuilder;

type State = Value[] | Map<string, Value> | undefined;

function capture(container: Container, budget: Budget): State {
  budget.work(sizeOf(container));
  if (container instanceof ModelBuilder) return container.items ? [...container.items] : undefined;
  if (container.kind === 'seq') return [...container.items];
  if (container.kind === 'dict') return new Map(container.entries);
  return new Map(container.attrs);
}

function sizeOf(container: Container): number {
  if (container instanceof ModelBuilder) return container.items?.length ?? 0;
  if (container.kind === 'seq') return container.items.length;
  return container.kind === 'dict' ? container.entries.size : container.attrs.size;
}

function restore(container: Container, state: State): void {
  if (container instanceof ModelBuilder) container.items = state ? [...(state as Value[])] : undefined;
  else if (container.kind === 'seq') container.items.splice(0, container.items.length, ...(state as Value[]));
  else if (container.kind === 'dict') replaceMap(container.entries, state as Map<string, Value>);
  else replaceMap(container.attrs, state as Map<string, Value>);
}

function replaceMap(target: Map<string, Value>, source: Map<string, Value>): void {
  target.clear();
  for (const [key, value] of source) target.set(key, value);
}

/** Merges the values one place holds after each branch: the same value, or the alternatives. */
export type MergeValues = (values: Value[]) => Value;

function mergeStates(states: State[], merge: MergeValues): State {
  const first = states[0];
  if (first === undefined || states.some((state) => state === undefined)) return first;
  if (Array.isArray(first)) return mergeLists(states as Value[][], merge);
  const maps = states as Map<string, Value>[];
  const keys = new Set(maps.flatMap((map) => [...map.keys()]));
  const merged = new Map<string, Value>();
  for (const key of keys) {
    // a key that one branch does not set may be missing afterwards: the merge is unknown unless all agree
    const values = maps.map((map) => map.get(key) ?? UNKNOWN_VALUE);
    merged.set(key, merge(values));
  }
  return merged;
}

/** Lists agree up to where they differ; items at the same place of equally long lists merge; after that the length is unknown. */
function mergeLists(lists: Value[][], merge: MergeValues): Value[] {
  const length = lists[0]!.length;
  if (lists.every((list) => list.length === length)) return Array.from({ length }, (_, i) => merge(lists.map((list) => list[i]!)));
  const shortest = Math.min(...lists.map((list) => list.length));
  let common = 0;
  while (common < shortest && lists.every((list) => sameValue(list[common]!, lists[0]![common]!))) common++;
  return [...lists[0]!.slice(0, common), UNKNOWN_SPREAD];
}

export class BranchJournal {
  /** per branch being run (innermost last): the state of each container before the branch first changed it */
  private readonly frames: Map<Container, State>[] = [];

  /** copies and merges are paid from the file's budget: a list that grows under an undecided branch in a loop costs its length each pass */
  constructor(private readonly budget: Budget) {}

  get active(): boolean {
    return this.frames.length > 0;
  }

  /** Call before changing a container in place. */
  willMutate(container: Container): void {
    let state: State | null = null;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i]!;
      if (frame.has(container)) break;
      state ??= capture(container, this.budget);
      frame.set(container, state);
    }
  }

  /**
   * Runs each branch with its changes recorded, undoes them, and leaves every container with the
   * merge of what each branch (and, when `mayRunNone`, no branch at all) left in it.
   */
  runBranches(branches: (() => void)[], mayRunNone: boolean, merge: MergeValues): void {
    const before = new Map<Container, State>();
    const after: Map<Container, State>[] = [];
    for (const branch of branches) {
      const frame = new Map<Container, State>();
      this.frames.push(frame);
      try {
        branch();
      } finally {
        this.frames.pop();
      }
      const final = new Map<Container, State>();
      for (const [container, original] of frame) {
        final.set(container, capture(container, this.budget));
        restore(container, original);
        if (!before.has(container)) before.set(container, original);
      }
      after.push(final);
    }
    for (const [container, original] of before) {
      const states = after.map((final) => (final.has(container) ? final.get(container) : original));
      if (mayRunNone) states.push(original);
      this.willMutate(container);
      restore(container, mergeStates(states, merge));
    }
  }
}
