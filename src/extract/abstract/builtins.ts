import { truncateSize } from '../../shapes/symbolic.js';
import { expressionOrigin } from './operators.js';
import type { CallSite, Value } from './values.js';
import { NONE_VALUE, UNKNOWN_SPREAD, UNKNOWN_VALUE, num, numberOf, seq, str } from './values.js';

type Builtin = (call: CallSite) => Value;

const MAX_MATERIALISED = 4096;

function items(value: Value | undefined): Value[] | undefined {
  if (value?.kind === 'seq') return value.items;
  if (value?.kind === 'range' && value.length <= MAX_MATERIALISED) return Array.from({ length: value.length }, (_, i) => num(value.start + i * value.step));
  if (value?.kind === 'dict') return [...value.entries.keys()].map(str);
  return undefined;
}

function numbers(call: CallSite): number[] | undefined {
  const values = call.args.length === 1 ? items(call.args[0]) : call.args;
  if (!values || values.length === 0) return undefined;
  const result = values.map(numberOf);
  return result.every((n) => n !== undefined) ? (result as number[]) : undefined;
}

/** Python 3's round(): halves go to the even neighbour (round(2.5) == 2). */
function roundHalfEven(n: number): number {
  const floor = Math.floor(n);
  const fraction = n - floor;
  if (fraction !== 0.5) return Math.round(n);
  return floor % 2 === 0 ? floor : floor + 1;
}

const PLAIN_KINDS: ReadonlySet<Value['kind']> = new Set(['number', 'string', 'bool', 'none']);

/** A copy of lists, tuples and dicts of plain values, as `copy.deepcopy` makes; undefined when they hold anything else. */
function plainCopy(value: Value): Value | undefined {
  if (PLAIN_KINDS.has(value.kind)) return value;
  if (value.kind === 'seq') {
    const items = value.items.map((item) => (item === UNKNOWN_SPREAD ? item : plainCopy(item)));
    return items.every((item) => item !== undefined) ? seq(items as Value[], value.tuple) : undefined;
  }
  if (value.kind !== 'dict') return undefined;
  const entries = new Map<string, Value>();
  for (const [key, item] of value.entries) {
    const copied = plainCopy(item);
    if (!copied) return undefined;
    entries.set(key, copied);
  }
  return { kind: 'dict', entries };
}

const BUILTINS: Record<string, Builtin> = {
  range(call) {
    const bounds = call.args.map(numberOf);
    if (bounds.length === 0 || bounds.some((b) => b === undefined || !Number.isInteger(b))) return UNKNOWN_VALUE;
    const [a, b, c] = bounds as number[];
    const [start, stop, step] = bounds.length === 1 ? [0, a!, 1] : [a!, b!, c ?? 1];
    if (step === 0) return UNKNOWN_VALUE;
    const length = Math.max(0, Math.ceil((stop - start) / step));
    return { kind: 'range', start, step, length };
  },
  len(call) {
    const value = call.args[0];
    if (value?.kind === 'range') return num(value.length);
    if (value?.kind === 'array') return typeof value.shape[0] === 'number' ? num(value.shape[0]) : UNKNOWN_VALUE;
    if (value?.kind === 'string') return num(value.value.length);
    const list = items(value);
    return list && !list.includes(UNKNOWN_SPREAD) ? num(list.length) : UNKNOWN_VALUE;
  },
  int(call) {
    const value = call.args[0];
    if (value?.kind === 'string' && /^\s*[-+]?\d+\s*$/.test(value.value)) return num(Number.parseInt(value.value, 10));
    if (value?.kind === 'symbol' && call.args.length === 1) return { kind: 'symbol', size: truncateSize(value.size) };
    const n = numberOf(value);
    return n === undefined ? UNKNOWN_VALUE : num(Math.trunc(n));
  },
  float(call) {
    const value = call.args[0];
    const float = expressionOrigin(call.node);
    if (value?.kind === 'string' && value.value.trim() !== '' && Number.isFinite(Number(value.value))) return { kind: 'number', value: Number(value.value), float };
    const n = numberOf(value);
    return n === undefined ? UNKNOWN_VALUE : { kind: 'number', value: n, float };
  },
  'math.floor'(call) {
    const n = numberOf(call.args[0]);
    return n === undefined ? UNKNOWN_VALUE : num(Math.floor(n));
  },
  'math.ceil'(call) {
    const n = numberOf(call.args[0]);
    return n === undefined ? UNKNOWN_VALUE : num(Math.ceil(n));
  },
  'math.sqrt'(call) {
    const n = numberOf(call.args[0]);
    return n === undefined || n < 0 ? UNKNOWN_VALUE : { kind: 'number', value: Math.sqrt(n), float: expressionOrigin(call.node) };
  },
  abs(call) {
    const n = numberOf(call.args[0]);
    return n === undefined ? UNKNOWN_VALUE : num(Math.abs(n));
  },
  round(call) {
    const n = numberOf(call.args[0]);
    return n === undefined || call.args.length > 1 ? UNKNOWN_VALUE : num(roundHalfEven(n));
  },
  min(call) {
    const list = numbers(call);
    return list ? num(Math.min(...list)) : UNKNOWN_VALUE;
  },
  max(call) {
    const list = numbers(call);
    return list ? num(Math.max(...list)) : UNKNOWN_VALUE;
  },
  sum(call) {
    // sum(list_of_lists, []): the lists joined
    const [lists, start] = call.args;
    if (start?.kind === 'seq' && lists?.kind === 'seq' && lists.items.every((item) => item.kind === 'seq')) {
      return seq([...start.items, ...lists.items.flatMap((item) => (item as { items: Value[] }).items)], start.tuple);
    }
    const list = numbers(call);
    return list ? num(list.reduce((a, b) => a + b, 0)) : UNKNOWN_VALUE;
  },
  list(call) {
    if (call.args.length === 0) return seq([]);
    const list = items(call.args[0]);
    return list ? seq([...list]) : UNKNOWN_VALUE;
  },
  tuple(call) {
    if (call.args.length === 0) return seq([], true);
    const list = items(call.args[0]);
    return list ? seq([...list], true) : UNKNOWN_VALUE;
  },
  reversed(call) {
    const list = items(call.args[0]);
    return list ? seq([...list].reverse()) : UNKNOWN_VALUE;
  },
  enumerate(call) {
    const batches = call.args[0];
    if (batches?.kind === 'dataset' && batches.batched) return { ...batches, item: seq([UNKNOWN_VALUE, batches.item], true) };
    const list = items(call.args[0]);
    const start = numberOf(call.args[1] ?? call.kwargs.get('start')) ?? 0;
    return list ? seq(list.map((item, i) => seq([num(start + i), item], true))) : UNKNOWN_VALUE;
  },
  zip(call) {
    const lists = call.args.map(items);
    if (lists.length === 0 || lists.some((l) => l === undefined)) return UNKNOWN_VALUE;
    const length = Math.min(...lists.map((l) => l!.length));
    return seq(Array.from({ length }, (_, i) => seq(lists.map((l) => l![i]!), true)));
  },
  str(call) {
    const value = call.args[0];
    if (value?.kind === 'string') return value;
    if (value?.kind === 'number') return str(String(value.value));
    return UNKNOWN_VALUE;
  },
  bool(call) {
    const value = call.args[0];
    if (value?.kind === 'bool') return value;
    const n = numberOf(value);
    return n === undefined ? UNKNOWN_VALUE : { kind: 'bool', value: n !== 0 };
  },
  dict(call) {
    const source = call.args[0];
    if (source && source.kind !== 'dict') return UNKNOWN_VALUE;
    return { kind: 'dict', entries: new Map([...(source?.entries ?? []), ...call.kwargs]) };
  },
  'copy.copy'(call) {
    const value = call.args[0];
    if (value?.kind === 'seq') return seq([...value.items], value.tuple);
    if (value?.kind === 'dict') return { kind: 'dict', entries: new Map(value.entries) };
    return value && PLAIN_KINDS.has(value.kind) ? value : UNKNOWN_VALUE;
  },
  'copy.deepcopy'(call) {
    // plain data only: a copied module is a new module with weights of its own
    return (call.args[0] && plainCopy(call.args[0])) ?? UNKNOWN_VALUE;
  },
  iter(call) {
    const batches = call.args[0];
    return batches?.kind === 'dataset' ? batches : UNKNOWN_VALUE;
  },
  next(call) {
    // `next(iter(loader))`: one batch
    const batches = call.args[0];
    return batches?.kind === 'dataset' && batches.batched ? batches.item : UNKNOWN_VALUE;
  },
  print(call) {
    // evaluated for what the arguments do: `print(model(torch.randn(1, 3, 32, 32)).shape)` runs the model
    void call.args;
    return NONE_VALUE;
  },
  'collections.OrderedDict'(call) {
    const pairs = items(call.args[0]) ?? [];
    const entries = new Map<string, Value>();
    for (const pair of pairs) {
      if (pair.kind === 'seq' && pair.items[0]?.kind === 'string' && pair.items[1]) entries.set(pair.items[0].value, pair.items[1]);
    }
    return { kind: 'dict', entries };
  },
};
BUILTINS.OrderedDict = BUILTINS['collections.OrderedDict']!;

const BUILTIN_MAP = new Map(Object.entries(BUILTINS));

export function isBuiltin(path: string): boolean {
  return BUILTIN_MAP.has(path);
}

export function callBuiltin(path: string, call: CallSite): Value {
  return BUILTIN_MAP.get(path)!(call);
}

/** `name.split("-")[-1].startswith("b")`: the str methods model code tests names and options with. */
export function stringMethod(text: string, name: string, call: CallSite): Value | undefined {
  const [first, second] = call.args;
  const strings = (value: Value | undefined) => (value?.kind === 'string' ? [value.value] : value?.kind === 'seq' && value.items.every((i) => i.kind === 'string') ? value.items.map((i) => (i as { value: string }).value) : undefined);
  switch (name) {
    case 'startswith':
    case 'endswith': {
      const options = call.args.length === 1 ? strings(first) : undefined;
      if (!options) return UNKNOWN_VALUE;
      return { kind: 'bool', value: options.some((option) => (name === 'startswith' ? text.startsWith(option) : text.endsWith(option))) };
    }
    case 'split': {
      if (call.args.length > 1 || call.kwargs.size > 0) return UNKNOWN_VALUE;
      if (first && first.kind !== 'string' && first.kind !== 'none') return UNKNOWN_VALUE;
      const parts = first?.kind === 'string' ? (first.value === '' ? undefined : text.split(first.value)) : text.split(/\s+/).filter((part) => part !== '');
      return parts ? seq(parts.map(str)) : UNKNOWN_VALUE;
    }
    case 'lower':
      return str(text.toLowerCase());
    case 'upper':
      return str(text.toUpperCase());
    case 'strip':
      return call.args.length === 0 ? str(text.trim()) : UNKNOWN_VALUE;
    case 'replace':
      return first?.kind === 'string' && second?.kind === 'string' && call.args.length === 2 ? str(text.split(first.value).join(second.value)) : UNKNOWN_VALUE;
    case 'join': {
      const parts = strings(first);
      return parts && first?.kind === 'seq' && !first.items.includes(UNKNOWN_SPREAD) ? str(parts.join(text)) : UNKNOWN_VALUE;
    }
    default:
      return undefined;
  }
}
