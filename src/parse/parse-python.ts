import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';
import type { SourceRange } from '../ir.js';
import { noteNativeTree } from './native-memory.js';
import { PyDocument } from './py-node.js';

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

function treeProblems(doc: PyDocument): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const cursor = doc.tree.walk();
  let more = true;
  while (more && problems.length < MAX_REPORTED_PROBLEMS) {
    const isError = cursor.nodeType === 'ERROR';
    if (isError || cursor.nodeIsMissing) {
      const start = cursor.startIndex;
      const end = Math.max(cursor.endIndex, start + 1);
      const snippet = doc.text.slice(start, Math.min(end, start + 30)).split('\n')[0]!.trim();
      problems.push({
        range: doc.rangeOf(start, Math.min(end, doc.text.length)),
        message: isError
          ? `Python cannot parse this${snippet ? ` (unexpected \`${snippet}\`)` : ''}; footgun analysed the rest of the file around it.`
          : `Python expects \`${cursor.nodeType}\` here; footgun analysed the rest of the file as if it were there.`,
      });
    } else if (cursor.gotoFirstChild()) {
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
    }
  }
  return problems;
}

interface BracketRepair {
  text: string;
  /** offsets of the brackets that were closed by the repair */
  unclosed: number[];
}

/**
 * Closes brackets still open at the end of a line when the next code line starts at the same or a
 * smaller indentation than the statement that opened them and does not itself start by closing a
 * bracket: in Python that next line can only be a new statement, so the bracket was forgotten.
 */
export function closeUnbalancedBrackets(text: string): BracketRepair {
  const stack: number[] = [];
  const unclosed: number[] = [];
  let out = '';
  let copiedUpTo = 0;
  let statementIndent = 0;
  let codeEnd = 0;
  let i = 0;
  let atLineStart = true;
  while (i < text.length) {
    if (atLineStart) {
      atLineStart = false;
      if (stack.length === 0) statementIndent = indentationAt(text, i);
    }
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
    if (ch === '\n') {
      if (stack.length > 0) {
        const next = nextCodeLine(text, i + 1);
        if (next && next.indent <= statementIndent && !')]}'.includes(next.first)) {
          out += text.slice(copiedUpTo, codeEnd);
          for (let k = stack.length - 1; k >= 0; k--) out += CLOSER[text[stack[k]!]!];
          unclosed.push(stack[0]!);
          copiedUpTo = codeEnd;
          stack.length = 0;
        }
      }
      atLineStart = true;
      i++;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') stack.push(i);
    else if ((ch === ')' || ch === ']' || ch === '}') && stack.length > 0) stack.pop();
    if (ch !== ' ' && ch !== '\t' && ch !== '\r') codeEnd = i + 1;
    i++;
  }
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
  const triple = text.startsWith(quote.repeat(3), start);
  const delimiter = triple ? quote.repeat(3) : quote;
  let i = start + delimiter.length;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (!triple && ch === '\n') return i;
    if (text.startsWith(delimiter, i)) return i + delimiter.length;
    i++;
  }
  return i;
}
