import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';
import type { SourceRange } from '../ir.js';
import { noteNativeTree } from './native-memory.js';
import { PyDocument } from './py-node.js';
import { stringEnd } from './python-strings.js';

export interface SyntaxProblem {
  range: SourceRange;
  message: string;
}

export interface ParsedPython {
  doc: PyDocument;
  syntaxErrors: SyntaxProblem[];
}

let sharedParser: Parser | undefined;

export function pythonParser(): Parser {
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(Python as unknown as Parser.Language);
  }
  return sharedParser;
}

/**
 * Parses Python source. When the file does not parse, the problems are reported and, where the
 * cause is a bracket left open at the end of a line (the most common slip, and the seed's), the
 * bracket is closed in a repaired copy so the rest of the file is still analysed. Repairs only
 * append characters at the end of a line, so every line and column stays where the user sees it.
 */
export function parsePython(text: string): ParsedPython {
  const parser = pythonParser();
  noteNativeTree(text.length);
  const tree = parser.parse(text);
  if (!tree.rootNode.hasError) return { doc: new PyDocument(text, tree), syntaxErrors: [] };

  const original = new PyDocument(text, tree);
  const repair = closeUnbalancedBrackets(text);
  if (repair.unclosed.length > 0) {
    noteNativeTree(repair.text.length);
    const repairedTree = parser.parse(repair.text);
    const repaired = new PyDocument(repair.text, repairedTree);
    const remaining = repairedTree.rootNode.hasError ? treeProblems(repaired) : [];
    const bracketProblems = repair.unclosed.map((offset) => ({
      range: original.rangeOf(offset, offset + 1),
      message:
        `This \`${text[offset]}\` is never closed, so Python cannot parse the file. ` +
        `footgun read on as if it were closed at the end of the line; add the missing \`${CLOSER[text[offset]!]}\`.`,
    }));
    return { doc: repaired, syntaxErrors: [...bracketProblems, ...remaining] };
  }
  return { doc: original, syntaxErrors: treeProblems(original) };
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const MAX_REPORTED_PROBLEMS = 5;

interface ErrorSpot {
  start: number;
  end: number;
  missing: string | undefined;
  /** the spot contains a more precise one */
  hasInner: boolean;
}

/**
 * Where the tree says the file does not parse. tree-sitter often wraps a whole region in one ERROR
 * node with the actual trouble nested inside, so the innermost ERROR and MISSING nodes are reported.
 */
function treeProblems(doc: PyDocument): SyntaxProblem[] {
  const spots: ErrorSpot[] = [];
  const open: ErrorSpot[] = [];
  const cursor = doc.tree.walk();
  const depthOf: number[] = [];
  let depth = 0;
  for (;;) {
    const isError = cursor.nodeType === 'ERROR';
    if (isError || cursor.nodeIsMissing) {
      for (const outer of open) outer.hasInner = true;
      const spot = { start: cursor.startIndex, end: cursor.endIndex, missing: isError ? undefined : cursor.nodeType, hasInner: false };
      spots.push(spot);
      if (isError) {
        open.push(spot);
        depthOf.push(depth);
      }
    }
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    let more = true;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
      depth--;
      while (depthOf.length > 0 && depthOf[depthOf.length - 1]! >= depth) {
        depthOf.pop();
        open.pop();
      }
    }
    if (!more) break;
    while (depthOf.length > 0 && depthOf[depthOf.length - 1]! >= depth) {
      depthOf.pop();
      open.pop();
    }
  }
  return spots
    .filter((spot) => !spot.hasInner)
    .slice(0, MAX_REPORTED_PROBLEMS)
    .map((spot) => {
      const end = Math.min(Math.max(spot.end, spot.start + 1), doc.text.length);
      const snippet = doc.text.slice(spot.start, Math.min(end, spot.start + 30)).split('\n')[0]!.trim();
      return {
        range: doc.rangeOf(spot.start, end),
        message: spot.missing === undefined
          ? `Python cannot parse this${snippet ? ` (unexpected \`${snippet}\`)` : ''}; footgun analysed the rest of the file around it.`
          : `Python expects \`${spot.missing}\` here; footgun analysed the rest of the file as if it were there.`,
      };
    });
}

interface BracketRepair {
  text: string;
  /** offsets of the brackets that were closed by the repair */
  unclosed: number[];
}

/** Walks the code outside strings and comments, calling `visit` for each bracket and line break. */
function scanCode(text: string, visit: (offset: number, ch: string, codeEnd: number) => void): void {
  let codeEnd = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i = skipString(text, i);
      codeEnd = i;
      continue;
    }
    if ('([{)]}\n'.includes(ch)) visit(i, ch, codeEnd);
    if (ch !== ' ' && ch !== '\t' && ch !== '\r' && ch !== '\n') codeEnd = i + 1;
    i++;
  }
}

const OPENERS = '([{';

/** Opening brackets that nothing in the file closes. */
function unmatchedBrackets(text: string): Set<number> {
  const stack: number[] = [];
  scanCode(text, (offset, ch) => {
    if (OPENERS.includes(ch)) stack.push(offset);
    else if (ch !== '\n' && stack.length > 0 && CLOSER[text[stack[stack.length - 1]!]!] === ch) stack.pop();
  });
  return new Set(stack);
}

/**
 * Closes brackets that nothing in the file closes, at the end of the line that opens them, when
 * the next code line starts at the same or a smaller indentation than their statement and does not
 * start by closing a bracket: that line is a new statement, so the bracket was forgotten. A bracket
 * closed later, however oddly indented, is left alone.
 */
export function closeUnbalancedBrackets(text: string): BracketRepair {
  const unmatched = unmatchedBrackets(text);
  const unclosed: number[] = [];
  if (unmatched.size === 0) return { text, unclosed };
  const stack: number[] = [];
  let out = '';
  let copiedUpTo = 0;
  let statementIndent = indentationAt(text, 0);
  scanCode(text, (offset, ch, codeEnd) => {
    if (OPENERS.includes(ch)) {
      stack.push(offset);
      return;
    }
    if (ch !== '\n') {
      if (stack.length > 0 && CLOSER[text[stack[stack.length - 1]!]!] === ch) stack.pop();
      return;
    }
    if (stack.length > 0 && stack.every((open) => unmatched.has(open))) {
      const next = nextCodeLine(text, offset + 1);
      if (next && next.indent <= statementIndent && !')]}'.includes(next.first)) {
        out += text.slice(copiedUpTo, codeEnd);
        for (let k = stack.length - 1; k >= 0; k--) out += CLOSER[text[stack[k]!]!];
        unclosed.push(stack[0]!);
        copiedUpTo = codeEnd;
        stack.length = 0;
      }
    }
    if (stack.length === 0) statementIndent = indentationAt(text, offset + 1);
  });
  out += text.slice(copiedUpTo);
  return { text: out, unclosed };
}

function indentationAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i - lineStart;
}

function nextCodeLine(text: string, from: number): { indent: number; first: string } | undefined {
  let lineStart = from;
  while (lineStart < text.length) {
    const indent = indentationAt(text, lineStart);
    const first = text[lineStart + indent];
    if (first !== undefined && first !== '\n' && first !== '\r' && first !== '#') return { indent, first };
    const newline = text.indexOf('\n', lineStart);
    if (newline === -1) return undefined;
    lineStart = newline + 1;
  }
  return undefined;
}

function skipString(text: string, start: number): number {
  const quote = text[start]!;
  return stringEnd(text, start, text.startsWith(quote.repeat(3), start) ? quote.repeat(3) : quote).end;
}
