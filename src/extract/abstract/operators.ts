// Python's operators and literals on known constants.
import type { Value } from './values.js';
import { UNKNOWN_VALUE, num, str } from './values.js';

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

export function parseNumber(text: string): Value {
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
