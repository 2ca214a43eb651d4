// Python's operators and literals on known constants and on symbolic sizes.
import type { FloatOrigin } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import type { Size } from '../../shapes/symbolic.js';
import { addSizes, compareSizes, divideSize, floorDivideSize, multiplySizes } from '../../shapes/symbolic.js';
import type { Value } from './values.js';
import { UNKNOWN_VALUE, num, str } from './values.js';

/**
 * `a <op> b` on numbers and symbolic sizes, as Python 3 computes it: `/` always makes a float, and
 * so does any operation on a float. The float remembers where it was made, for the fix.
 */
export function sizeOperator(operator: string, left: Value, right: Value, node: PyNode): Value | undefined {
  const a = sizeOf(left);
  const b = sizeOf(right);
  if (a === undefined || b === undefined) return undefined;
  const inherited = floatOf(left) ?? floatOf(right);
  if (typeof a === 'number' && typeof b === 'number') {
    const result = numericOperator(operator, a, b);
    if (result.kind !== 'number') return result;
    const float = operator === '/' ? divisionOrigin(node) : (inherited ?? (Number.isInteger(result.value) ? undefined : expressionOrigin(node)));
    return float ? { ...result, float } : result;
  }
  let size: Size | undefined;
  switch (operator) {
    case '+':
      size = addSizes(a, b);
      break;
    case '-':
      size = addSizes(a, b, -1);
      break;
    case '*':
      size = multiplySizes(a, b);
      break;
    case '/':
      size = typeof b === 'number' ? divideSize(a, b) : undefined;
      break;
    case '//':
      size = typeof b === 'number' ? floorDivideSize(a, b) : undefined;
      break;
    default:
      size = undefined;
  }
  if (size === undefined) return UNKNOWN_VALUE;
  const float = operator === '/' ? divisionOrigin(node) : inherited;
  if (typeof size === 'number') return float ? { kind: 'number', value: size, float } : num(size);
  return float ? { kind: 'symbol', size, float } : { kind: 'symbol', size };
}

/** `a == b`, `a < b`, … between sizes, when the answer is the same for every value of the unknowns. */
export function compareSymbolic(op: string, left: Value, right: Value): boolean | undefined {
  const a = sizeOf(left);
  const b = sizeOf(right);
  if (a === undefined || b === undefined || (typeof a === 'number' && typeof b === 'number')) return undefined;
  const sign = compareSizes(a, b);
  if (sign === undefined) return undefined;
  switch (op) {
    case '==':
      return sign === 0;
    case '!=':
      return sign !== 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
    default:
      return undefined;
  }
}

function sizeOf(value: Value): Size | undefined {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'bool') return value.value ? 1 : 0;
  if (value.kind === 'symbol') return value.size;
  return undefined;
}

function floatOf(value: Value): FloatOrigin | undefined {
  return value.kind === 'number' || value.kind === 'symbol' ? value.float : undefined;
}

/** Where a float was made, read from the source only if a finding needs it. */
export function expressionOrigin(node: PyNode): FloatOrigin {
  return {
    range: node.range,
    get text() {
      return node.text;
    },
  };
}

/** A true division `a / b`: the fix replaces its operator with `//`. */
function divisionOrigin(node: PyNode): FloatOrigin {
  return {
    range: node.range,
    get text() {
      return node.text;
    },
    get divide() {
      const [left] = node.namedChildren;
      const at = left ? node.doc.text.indexOf('/', left.end) : -1;
      return at < 0 ? undefined : node.doc.rangeOf(at, at + 1);
    },
  };
}

export function numericOperator(operator: string, a: number, b: number): Value {
  switch (operator) {
    case '+':
      return num(a + b);
    case '-':
      return num(a - b);
    case '*':
      return num(a * b);
    case '/':
      return b === 0 ? UNKNOWN_VALUE : num(a / b);
    case '//':
      return b === 0 ? UNKNOWN_VALUE : num(Math.floor(a / b));
    case '%':
      return b === 0 ? UNKNOWN_VALUE : num(((a % b) + b) % b);
    case '**': {
      const result = a ** b;
      return Number.isFinite(result) ? num(result) : UNKNOWN_VALUE;
    }
    case '<<':
      return num(a * 2 ** b);
    case '>>':
      return num(Math.floor(a / 2 ** b));
    default:
      return UNKNOWN_VALUE;
  }
}

export function compare(op: string, x: unknown, y: unknown): boolean | undefined {
  switch (op) {
    case '==':
    case 'is':
      return x === y;
    case '!=':
    case 'is not':
      return x !== y;
  }
  if (typeof x !== 'number' || typeof y !== 'number') return undefined;
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return undefined;
  }
}

/** A number literal; a float literal (`64.0`, `1e3`) is a Python float. */
export function parseNumber(text: string, node?: PyNode): Value {
  const value = parseNumberText(text);
  return node?.type === 'float' && value.kind === 'number' ? { ...value, float: expressionOrigin(node) } : value;
}

function parseNumberText(text: string): Value {
  if (/^\d+$/.test(text)) return num(Number(text));
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return UNKNOWN_VALUE;
  const value = /^0[xob]/i.test(clean) ? Number(clean.toLowerCase()) : Number(clean.replace(/[lL]$/, ''));
  return Number.isFinite(value) ? num(value) : UNKNOWN_VALUE;
}

export function parseString(text: string): Value {
  const match = /^([rRbBuUfF]*)("""|'''|"|')/.exec(text);
  if (!match) return UNKNOWN_VALUE;
  const prefix = match[1]!.toLowerCase();
  const quote = match[2]!;
  if (!text.endsWith(quote) || text.length < prefix.length + quote.length * 2) return UNKNOWN_VALUE;
  const body = text.slice(prefix.length + quote.length, text.length - quote.length);
  if (prefix.includes('f') && body.includes('{')) return UNKNOWN_VALUE;
  if (prefix.includes('r')) return str(body);
  return str(body.replace(/\\(["'\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)));
}

/** How Python's str() and format() write a known value; undefined for what footgun does not format. */
export function formatValue(value: Value, spec = ''): string | undefined {
  const width = /^(0?)(\d*)([ds]?)$/.exec(spec);
  if (!width) return undefined;
  let text: string;
  if (value.kind === 'string') text = value.value;
  else if (value.kind === 'number') text = value.float !== undefined && Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
  else if (value.kind === 'bool') text = value.value ? 'True' : 'False';
  else if (value.kind === 'none') text = 'None';
  else return undefined;
  const [, zero, size] = width;
  return size ? text.padStart(Number(size), zero ? '0' : ' ') : text;
}

/** `'level_%d' % i`, `'%s_%s' % (a, b)`: printf-style formatting of known values. */
export function percentFormat(template: string, argument: Value): Value {
  const values = argument.kind === 'seq' && argument.tuple ? argument.items : [argument];
  let next = 0;
  let failed = false;
  const text = template.replace(/%(0?\d*)([dsir%])/g, (_, spec: string, type: string) => {
    if (type === '%') return '%';
    const value = values[next++];
    const formatted = value ? formatValue(value, spec) : undefined;
    if (formatted === undefined) failed = true;
    return formatted ?? '';
  });
  return failed || next !== values.length ? UNKNOWN_VALUE : str(text);
}

/** `'level_{}'.format(i)`, `'{0}_{name}'.format(a, name=b)` */
export function braceFormat(template: string, args: Value[], kwargs: Map<string, Value>): Value {
  let next = 0;
  let failed = false;
  const text = template.replace(/\{\{|\}\}|\{([^{}:!]*)(?::([^{}]*))?\}/g, (match, field: string | undefined, spec: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const key = field ?? '';
    const value = key === '' ? args[next++] : /^\d+$/.test(key) ? args[Number(key)] : kwargs.get(key);
    const formatted = value ? formatValue(value, spec ?? '') : undefined;
    if (formatted === undefined) failed = true;
    return formatted ?? '';
  });
  return failed ? UNKNOWN_VALUE : str(text);
}
