// Text-level views of the source that keep every offset where the parser put it, so a search in
// the text can be confirmed, or read further, in the syntax tree.
import { stringEnd } from '../parse/python-strings.js';

const SPECIAL = /[#'"]/g;

/**
 * The source with the contents of every string and comment blanked to spaces (quotes and line
 * breaks kept). A search in it finds only code: `self.fc` in a docstring or `# model.eval()` in a
 * comment is not there.
 */
export function codeOnly(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  SPECIAL.lastIndex = 0;
  for (let match = SPECIAL.exec(text); match; match = SPECIAL.exec(text)) {
    const start = match.index;
    if (match[0] === '#') {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      parts.push(text.slice(copied, start), blank(text, start, end));
      copied = end;
    } else {
      const quote = text.startsWith(match[0].repeat(3), start) ? match[0].repeat(3) : match[0];
      const { contentEnd, end } = stringEnd(text, start, quote);
      parts.push(text.slice(copied, start + quote.length), blank(text, start + quote.length, contentEnd), text.slice(contentEnd, end));
      copied = end;
    }
    SPECIAL.lastIndex = copied;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

function blank(text: string, start: number, end: number): string {
  let blanked = '';
  let from = start;
  for (let newline = text.indexOf('\n', from); newline !== -1 && newline < end; newline = text.indexOf('\n', from)) {
    blanked += ' '.repeat(newline - from) + '\n';
    from = newline + 1;
  }
  return blanked + ' '.repeat(end - from);
}

/**
 * Splits code at the commas that are not inside brackets: `a, (b, c), d[1, 2]` → `a`, `(b, c)`,
 * `d[1, 2]`. The parts are trimmed.
 */
export function splitTopLevel(code: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === separator && depth === 0) {
      parts.push(code.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(code.slice(from).trim());
  return parts.filter((part) => part.length > 0);
}

/** The offset just past the bracket that closes the one at `open`, or -1. */
export function closingBracket(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

export interface AssignmentText {
  /** the target lists, one per `=` of a chained assignment, as written */
  targets: string[];
  /** the assigned expression, trimmed */
  value: string;
  /** offset of the value in the statement's code */
  valueOffset: number;
  /** `+=` and the like */
  augmented: boolean;
}

const OPERATOR_BEFORE_EQUALS = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '@', '<', '>']);

/**
 * Reads a simple statement's code as an assignment: `a = b = f(x)`, `self.x: int = 3`,
 * `loss += l`. Keyword arguments and comparisons are not assignments.
 */
export function readAssignment(statement: string): AssignmentText | undefined {
  const equals: number[] = [];
  let annotation = -1;
  let augmented = false;
  let depth = 0;
  for (let i = 0; i < statement.length; i++) {
    const ch = statement[i]!;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (depth !== 0) continue;
    else if (ch === ':' && annotation === -1 && equals.length === 0) annotation = i;
    else if (ch === '=') {
      if (statement[i + 1] === '=') {
        i++;
        continue;
      }
      const before = statement[i - 1] ?? '';
      if (before === '!' || before === ':') continue;
      if (OPERATOR_BEFORE_EQUALS.has(before)) {
        // `<=` and `>=` compare; `<<=` and `>>=` assign
        if ((before === '<' || before === '>') && statement[i - 2] !== before) continue;
        augmented = true;
      }
      equals.push(i);
    }
  }
  if (equals.length === 0 || (augmented && equals.length > 1)) return undefined;
  const targets: string[] = [];
  let from = 0;
  for (const at of equals) {
    let end = at;
    while (end > from && OPERATOR_BEFORE_EQUALS.has(statement[end - 1]!)) end--;
    if (targets.length === 0 && annotation !== -1) end = annotation;
    targets.push(statement.slice(from, end).trim());
    from = at + 1;
  }
  const value = statement.slice(from);
  return { targets, value: value.trim(), valueOffset: from + (value.length - value.trimStart().length), augmented };
}

/** The single targets of a target list: `a, (b, *c)` → `a`, `b`, `c`; `self.x, d[0]` → `self.x`, `d[0]` (spaces removed). */
export function targetElements(target: string): string[] {
  const parts = splitTopLevel(target);
  if (parts.length > 1) return parts.flatMap(targetElements);
  const single = (parts[0] ?? '').replace(/^\*\s*/, '');
  if (/^[([]/.test(single) && closingBracket(single, 0) === single.length) return targetElements(single.slice(1, -1));
  return single ? [single.replace(/\s+/g, '')] : [];
}

/** The names a target list binds: `a, (b, *c)` → a, b, c. Attributes and subscripts bind no name. */
export function boundNames(target: string): string[] {
  return targetElements(target).filter((element) => /^[A-Za-z_]\w*$/.test(element));
}

/**
 * The expression that ends at `end`: the `model.features[0]` of `model.features[0].requires_grad`
 * (names, dots, and balanced brackets after a name). Its start, or -1 when there is none.
 */
export function expressionStart(code: string, end: number): number {
  let i = end;
  while (i > 0 && code[i - 1] === ' ') i--;
  let start = -1;
  while (i > 0) {
    const ch = code[i - 1]!;
    if (/[\w.]/.test(ch)) {
      i--;
      start = i;
    } else if (ch === ')' || ch === ']') {
      const open = openingBracket(code, i - 1);
      if (open === -1) break;
      i = open;
    } else {
      break;
    }
  }
  return start !== -1 && /[A-Za-z_]/.test(code[start]!) ? start : -1;
}

function openingBracket(code: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const ch = code[i]!;
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    else if (ch === '(' || ch === '[' || ch === '{') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The call whose argument list holds `offset`: its callee as written (`nn.CrossEntropyLoss`) and where its `(` is. */
export function enclosingCall(code: string, offset: number): { callee: string; calleeStart: number; open: number } | undefined {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const ch = code[i]!;
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    else if (ch === '(' || ch === '[' || ch === '{') {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (ch !== '(') return undefined;
      let end = i;
      while (end > 0 && (code[end - 1] === ' ' || code[end - 1] === '\t')) end--;
      let start = end;
      while (start > 0 && isNameOrDot(code.charCodeAt(start - 1))) start--;
      while (start < end && !isNameStart(code.charCodeAt(start))) start++;
      if (start === end) return undefined;
      return { callee: code.slice(start, end), calleeStart: start, open: i };
    }
  }
  return undefined;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameOrDot(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 46;
}
