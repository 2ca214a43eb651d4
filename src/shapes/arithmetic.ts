// Shape arithmetic where any unknown size (null) makes the result unknown.
import type { ArgValue, Framework, Layer, Shape } from '../ir.js';

/** A per-axis argument (`3` or `(3, 5)`) as one size per axis; `fallback` when not given, null when unreadable. */
export function ints(value: ArgValue | undefined, rank: number, fallback: number): (number | null)[] {
  if (typeof value === 'number') return Array.from({ length: rank }, () => value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? v : null));
  if (value === null || value === undefined) return Array.from({ length: rank }, () => fallback);
  return Array.from({ length: rank }, () => null);
}

export function num(value: ArgValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}

export function product(values: readonly (number | null)[]): number | null {
  let result = 1;
  for (const v of values) {
    if (v === null) return null;
    result *= v;
  }
  return result;
}

export function add(...terms: (number | null)[]): number | null {
  return terms.some((t) => t === null) ? null : terms.reduce<number>((a, b) => a + b!, 0);
}

export function mul(...factors: (number | null)[]): number | null {
  return product(factors);
}

/** A bias vector unless `use_bias=False` (unknown when the call hides the argument). */
export function bias(layer: Layer, count: number | null): number | null {
  const useBias = layer.args.use_bias;
  if (useBias === false) return 0;
  return useBias === undefined || useBias === null || useBias === true ? count : null;
}

/** `(None, 28, 28, 1)`, as Keras prints a shape. */
export function formatShape(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** `(N, 1, 28, 28)`, as PyTorch's documentation writes a shape: N the batch, ? a size not known statically. */
export function formatTorchShape(shape: Shape): string {
  return `(${shape.map((d, axis) => (d === null ? (axis === 0 ? 'N' : '?') : String(d))).join(', ')})`;
}

export function formatShapeOf(framework: Framework, shape: Shape): string {
  return framework === 'pytorch' ? formatTorchShape(shape) : formatShape(shape);
}

/** What every alternative of a branch footgun cannot decide has in common: the rank, and the sizes they agree on. */
export function commonShape(shapes: Shape[]): Shape | null {
  const rank = shapes[0]!.length;
  if (shapes.some((shape) => shape.length !== rank)) return null;
  return shapes[0]!.map((size, axis) => (shapes.every((shape) => shape[axis] === size) ? size : null));
}
