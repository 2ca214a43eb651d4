// NumPy's (and PyTorch's) shape arithmetic on arrays whose sizes may be unknown (`null`).
// Every function returns undefined when the result cannot be known, or when the real call
// would fail: footgun then knows nothing about the array, and says nothing.
import type { Shape, ShapeOp } from '../ir.js';
import { formatShape, product } from './arithmetic.js';

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((size, axis) => size === b[axis]);
}

/** Whether two shapes may be the same: equal rank, and no axis where both are known and differ. */
export function shapesMayMatch(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((size, axis) => size === null || b[axis] === null || size === b[axis]);
}

/** An axis index as Python reads it (`-1` is the last); undefined when out of range. */
export function normaliseAxis(axis: number, rank: number): number | undefined {
  const index = axis < 0 ? rank + axis : axis;
  return Number.isInteger(index) && index >= 0 && index < rank ? index : undefined;
}

/** NumPy broadcasting: `(100, 1)` with `(100,)` gives `(100, 100)`. */
export function broadcast(a: Shape, b: Shape): Shape | undefined {
  const rank = Math.max(a.length, b.length);
  const result: Shape = [];
  for (let i = 1; i <= rank; i++) {
    const x = i <= a.length ? a[a.length - i]! : 1;
    const y = i <= b.length ? b[b.length - i]! : 1;
    if (x === y) result.unshift(x);
    else if (x === 1) result.unshift(y);
    else if (y === 1) result.unshift(x);
    else if (x === null) result.unshift(y);
    else if (y === null) result.unshift(x);
    else return undefined;
  }
  return result;
}

/** `reshape` with at most one `-1`, worked out from the known sizes. */
export function reshape(from: Shape, to: (number | null)[]): Shape | undefined {
  const inferred = to.filter((size) => size === -1).length;
  if (inferred > 1 || to.some((size) => size !== null && (size < -1 || !Number.isInteger(size)))) return undefined;
  const total = product(from);
  const known = to.every((size) => size !== null) ? product(to.filter((size) => size !== -1)) : null;
  if (inferred === 0) return total !== null && known !== null && total !== known ? undefined : [...to];
  const rest = total !== null && known !== null && known > 0 ? total / known : null;
  if (rest !== null && !Number.isInteger(rest)) return undefined;
  return to.map((size) => (size === -1 ? rest : size));
}

/** `np.squeeze(x, axis)` / `x.squeeze(dim)`: without an axis, every axis of size 1 goes (unknown when a size is unknown). */
export function squeeze(shape: Shape, axis?: number): Shape | undefined {
  if (axis === undefined) return shape.some((size) => size === null) ? undefined : shape.filter((size) => size !== 1);
  const index = normaliseAxis(axis, shape.length);
  if (index === undefined) return undefined;
  const size = shape[index];
  // PyTorch leaves an axis whose size is not 1 alone; NumPy raises
  if (size !== 1) return size === null ? undefined : [...shape];
  return shape.filter((_, i) => i !== index);
}

/** `np.expand_dims(x, axis)` / `x.unsqueeze(dim)`: a new axis of size 1. */
export function expandDims(shape: Shape, axis: number): Shape | undefined {
  const index = axis < 0 ? shape.length + 1 + axis : axis;
  if (!Number.isInteger(index) || index < 0 || index > shape.length) return undefined;
  return [...shape.slice(0, index), 1, ...shape.slice(index)];
}

export function flatten(shape: Shape, start = 0): Shape | undefined {
  const index = start < 0 ? shape.length + start : start;
  if (index < 0 || index > shape.length) return undefined;
  if (index === shape.length) return [...shape, 1];
  return [...shape.slice(0, index), product(shape.slice(index))];
}

/** `np.concatenate(arrays, axis)`: the axis adds up, the others must agree. */
export function concatenate(shapes: Shape[], axis: number): Shape | undefined {
  const first = shapes[0];
  if (!first || shapes.some((shape) => shape.length !== first.length)) return undefined;
  const index = normaliseAxis(axis, first.length);
  if (index === undefined) return undefined;
  const result: Shape = [];
  for (let i = 0; i < first.length; i++) {
    const sizes = shapes.map((shape) => shape[i]!);
    if (i === index) result.push(sizes.every((size) => size !== null) ? (sizes as number[]).reduce((a, b) => a + b, 0) : null);
    else {
      const known = sizes.filter((size): size is number => size !== null);
      if (known.some((size) => size !== known[0])) return undefined;
      result.push(known[0] ?? null);
    }
  }
  return result;
}

/** `np.stack(arrays, axis)`: a new axis as long as the list. */
export function stack(shapes: Shape[], axis: number): Shape | undefined {
  const first = shapes[0];
  if (!first || shapes.some((shape) => !shapesMayMatch(shape, first))) return undefined;
  const merged = first.map((size, i) => size ?? shapes.find((shape) => shape[i] !== null)?.[i] ?? null);
  const index = axis < 0 ? first.length + 1 + axis : axis;
  if (index < 0 || index > first.length) return undefined;
  return [...merged.slice(0, index), shapes.length, ...merged.slice(index)];
}

/** One key of a subscript: `x[:70]`, `x[:, 0]`, `x[..., None]`, `eye[y]`. */
export type IndexKey =
  | { kind: 'slice'; start?: number; stop?: number; step?: number; unknown?: boolean }
  | { kind: 'index' }
  | { kind: 'newaxis' }
  | { kind: 'ellipsis' }
  /** an integer array picks rows (`np.eye(10)[labels]`); a boolean one of the same rank masks them */
  | { kind: 'array'; shape: Shape; boolean: boolean };

/** The shape of `x[keys]` under NumPy's basic and (single-array) advanced indexing. */
export function index(shape: Shape, keys: IndexKey[]): Shape | undefined {
  const ellipses = keys.filter((key) => key.kind === 'ellipsis').length;
  if (ellipses > 1) return undefined;
  const consuming = keys.filter((key) => key.kind !== 'newaxis' && key.kind !== 'ellipsis' && !(key.kind === 'array' && key.boolean)).length;
  const masked = keys.filter((key) => key.kind === 'array' && key.boolean).reduce((n, key) => n + (key as { shape: Shape }).shape.length, 0);
  if (consuming + masked > shape.length) return undefined;
  if (keys.filter((key) => key.kind === 'array').length > 1) return undefined;
  const expanded: IndexKey[] = [];
  for (const key of keys) {
    if (key.kind === 'ellipsis') for (let i = 0; i < shape.length - consuming - masked; i++) expanded.push({ kind: 'slice' });
    else expanded.push(key);
  }
  let axis = 0;
  const result: Shape = [];
  for (const key of expanded) {
    switch (key.kind) {
      case 'newaxis':
        result.push(1);
        break;
      case 'index':
        axis++;
        break;
      case 'slice':
        result.push(key.unknown ? null : sliceLength(shape[axis]!, key));
        axis++;
        break;
      case 'array':
        if (key.boolean) {
          result.push(null);
          axis += key.shape.length;
        } else {
          result.push(...key.shape);
          axis++;
        }
        break;
      default:
        return undefined;
    }
  }
  return [...result, ...shape.slice(axis)];
}

/** The length of `range(size)[start:stop:step]`, as Python's slice.indices() works it out. */
function sliceLength(size: number | null, key: { start?: number; stop?: number; step?: number }): number | null {
  const step = key.step ?? 1;
  if (step === 0) return null;
  if (size === null) {
    if (step === 1 && key.start === undefined && key.stop === undefined) return null;
    // `x[:70]` of an array of unknown length is 70 long only when it has 70 rows: unknown
    return null;
  }
  const clamp = (value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const index = value < 0 ? value + size : value;
    return step > 0 ? Math.min(Math.max(index, 0), size) : Math.min(Math.max(index, -1), size - 1);
  };
  const start = clamp(key.start, step > 0 ? 0 : size - 1);
  const stop = clamp(key.stop, step > 0 ? size : -1);
  return Math.max(0, Math.ceil((stop - start) / step));
}

/** What `x.argmax(axis)` leaves: the axis goes. */
export function reduceAxis(shape: Shape, axis: number, keepdims = false): Shape | undefined {
  const index = normaliseAxis(axis, shape.length);
  if (index === undefined) return undefined;
  return keepdims ? shape.map((size, i) => (i === index ? 1 : size)) : shape.filter((_, i) => i !== index);
}

/** A model output after what the code does to it before its loss. */
export function applyShapeOps(shape: Shape, ops: readonly ShapeOp[]): Shape | undefined {
  let current: Shape | undefined = shape;
  for (const op of ops) {
    if (!current) return undefined;
    switch (op.op) {
      case 'squeeze':
        current = squeeze(current, op.axis);
        break;
      case 'unsqueeze':
        current = expandDims(current, op.axis);
        break;
      case 'reshape':
        current = reshape(current, op.shape);
        break;
      case 'flatten':
        current = flatten(current, op.start);
        break;
    }
  }
  return current;
}

/** A shape as Python prints the tuple: `(100,)` for one axis, `None` for an unknown size. */
export function formatTuple(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0] ?? 'None'},)` : formatShape(shape);
}
