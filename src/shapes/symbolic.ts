// Sizes known as expressions of named unknowns (`c`, `4 * dim`, `dim // 2`, `batch * seq_len`):
// polynomials with a coefficient per product of atoms. Equal polynomials are equal for every value
// of the unknowns; anything else stays unknown, so a symbol never produces a finding on its own.
import type { ArgValue, SymbolicSize } from '../ir.js';

/** A size as either a plain number or a symbolic one. */
export type Size = number | SymbolicSize;

/** the batch axis of every tensor of a forward pass: `x.size(0)`, `x.shape[0]` */
const BATCH_ATOM = 'batch';

/** Polynomials larger than this are not worth tracking: the result is unknown. */
const MAX_TERMS = 12;

let atomCounter = 0;

/** A fresh unknown named after where it comes from (a parameter `c`, an axis of a tensor). */
export function atom(name: string): SymbolicSize {
  return fromTerms(new Map([[`${name}#${++atomCounter}`, 1]]), false) as SymbolicSize;
}

/** The unknown that a named expression stands for, the same for the same text (`(c#3)//2`). */
function namedAtom(text: string, float: boolean): SymbolicSize {
  return fromTerms(new Map([[text, 1]]), float) as SymbolicSize;
}

export const BATCH: SymbolicSize = Object.freeze(fromTerms(new Map([[BATCH_ATOM, 1]]), false) as SymbolicSize);

export function isSymbolic(value: ArgValue | undefined): value is SymbolicSize {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'symbol' in value;
}

/** Whether two argument values are certainly the same size: equal numbers or equal symbols. */
export function sameSize(a: ArgValue | undefined, b: ArgValue | undefined): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return isSymbolic(a) && isSymbolic(b) && a.symbol === b.symbol;
}

/** The size as people write it: `4*dim`, without the ids that tell two unknowns of one name apart. */
export function sizeText(size: Size): string {
  return typeof size === 'number' ? String(size) : size.symbol.replace(/#\d+/g, '');
}

/** Whether a size is the batch times something else (`batch * seq_len`), and that something when it is. */
export function batchFactor(size: Size): Size | undefined {
  if (typeof size === 'number') return undefined;
  const terms = new Map<string, number>();
  for (const [monomial, coefficient] of Object.entries(size.terms)) {
    const atoms = monomial === '' ? [] : monomial.split('*');
    const at = atoms.indexOf(BATCH_ATOM);
    if (at < 0) return undefined;
    atoms.splice(at, 1);
    terms.set(atoms.join('*'), coefficient);
  }
  return fromTerms(terms, false);
}

function termsOf(size: Size): Map<string, number> {
  return typeof size === 'number' ? new Map(size === 0 ? [] : [['', size]]) : new Map(Object.entries(size.terms));
}

function fromTerms(terms: Map<string, number>, float: boolean): Size {
  const kept = [...terms].filter(([, coefficient]) => coefficient !== 0).sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  if (kept.length === 0) return 0;
  if (kept.length === 1 && kept[0]![0] === '') return kept[0]![1];
  const symbol = kept.map(([monomial, coefficient]) => (monomial === '' ? String(coefficient) : coefficient === 1 ? monomial : `${coefficient}*${monomial}`)).join('+');
  const size: SymbolicSize = { unknown: true, symbol, terms: Object.fromEntries(kept) };
  if (float) size.float = true;
  return size;
}

function isFloat(size: Size): boolean {
  return typeof size !== 'number' && size.float === true;
}

export function addSizes(a: Size, b: Size, sign = 1): Size {
  const terms = termsOf(a);
  for (const [monomial, coefficient] of termsOf(b)) terms.set(monomial, (terms.get(monomial) ?? 0) + sign * coefficient);
  return fromTerms(terms, isFloat(a) || isFloat(b));
}

export function multiplySizes(a: Size, b: Size): Size | undefined {
  const left = termsOf(a);
  const right = termsOf(b);
  if (left.size * right.size > MAX_TERMS) return undefined;
  const terms = new Map<string, number>();
  for (const [m1, c1] of left) {
    for (const [m2, c2] of right) {
      const monomial = [...(m1 ? m1.split('*') : []), ...(m2 ? m2.split('*') : [])].sort().join('*');
      terms.set(monomial, (terms.get(monomial) ?? 0) + c1 * c2);
    }
  }
  return fromTerms(terms, isFloat(a) || isFloat(b));
}

/** `a / k`: Python 3's true division always makes a float. */
export function divideSize(a: Size, k: number): Size | undefined {
  if (k === 0) return undefined;
  return fromTerms(new Map([...termsOf(a)].map(([monomial, coefficient]) => [monomial, coefficient / k] as const)), true);
}

/** `a // k`: exact when every coefficient divides, else an unknown of its own, the same for the same expression. */
export function floorDivideSize(a: Size, k: number): Size | undefined {
  if (k === 0 || !Number.isInteger(k)) return undefined;
  if (typeof a === 'number') return Math.floor(a / k);
  const terms = termsOf(a);
  if (!isFloat(a) && k > 0 && [...terms.values()].every((coefficient) => Number.isInteger(coefficient / k))) {
    return fromTerms(new Map([...terms].map(([monomial, coefficient]) => [monomial, coefficient / k] as const)), false);
  }
  return namedAtom(`(${a.symbol})//${k}`, isFloat(a));
}

/** `int(a)`: the same size when it is already an int, else an unknown of its own. */
export function truncateSize(a: SymbolicSize): SymbolicSize {
  return isFloat(a) ? namedAtom(`int(${a.symbol})`, false) : a;
}

/** The sign of `a - b` when it is the same for every value of the unknowns (their difference is a constant). */
export function compareSizes(a: Size, b: Size): number | undefined {
  const difference = addSizes(a, b, -1);
  return typeof difference === 'number' ? Math.sign(difference) : undefined;
}
