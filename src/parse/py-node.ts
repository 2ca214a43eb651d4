import type Parser from 'tree-sitter';
import type { SourceRange } from '../ir.js';

/**
 * A syntax node whose children are read from the native tree only when asked for.
 *
 * Each property read on a native tree-sitter node crosses into C++; walking every node of a large
 * file that way costs about as much as parsing it. The extractor only looks at the statements and
 * expressions that can build a model, so children are expanded lazily, one level at a time, with a
 * single shared cursor.
 */
export class PyNode {
  private expanded: Expansion | undefined;

  constructor(
    readonly doc: PyDocument,
    readonly type: string,
    readonly start: number,
    /** -1 until asked for: most inner nodes never need their end */
    private knownEnd: number,
    private readonly descendantIndex: number,
  ) {}

  get end(): number {
    if (this.knownEnd < 0) this.knownEnd = this.descendantIndex < 0 ? lexedEnd(this.doc.text, this.type, this.start) : this.doc.endOf(this.descendantIndex);
    return this.knownEnd;
  }

  get text(): string {
    return this.doc.text.slice(this.start, this.end);
  }

  /** named children, comments left out */
  get namedChildren(): PyNode[] {
    this.expanded ??= this.descendantIndex < 0 ? NO_CHILDREN : this.doc.expand(this.descendantIndex);
    return this.expanded.named;
  }

  /** the anonymous tokens among the children, in order: operators, keywords, punctuation */
  get tokens(): string[] {
    this.expanded ??= this.descendantIndex < 0 ? NO_CHILDREN : this.doc.expand(this.descendantIndex);
    return this.expanded.tokens;
  }

  /** the first named child of the given type */
  child(type: string): PyNode | undefined {
    return this.namedChildren.find((child) => child.type === type);
  }

  /** computed on first read: most ranges are never reported */
  get range(): SourceRange {
    return new NodeRange(this);
  }

  get line(): number {
    return this.doc.lineOf(this.start);
  }
}

/** A node's source range whose end is read from the tree only if a finding or fix needs it. */
class NodeRange implements SourceRange {
  private startPoint: { line: number; column: number } | undefined;
  private endPoint: { line: number; column: number } | undefined;

  constructor(private readonly node: PyNode) {}

  private get from() {
    this.startPoint ??= this.node.doc.pointOf(this.node.start);
    return this.startPoint;
  }

  private get to() {
    this.endPoint ??= this.node.doc.pointOf(this.node.end);
    return this.endPoint;
  }

  get line(): number {
    return this.from.line;
  }

  get column(): number {
    return this.from.column;
  }

  get endLine(): number {
    return this.to.line;
  }

  get endColumn(): number {
    return this.to.column;
  }

  get path(): string | undefined {
    return this.node.doc.path;
  }

  toJSON(): SourceRange {
    const path = this.path;
    return { line: this.line, column: this.column, endLine: this.endLine, endColumn: this.endColumn, ...(path === undefined ? {} : { path }) };
  }
}

interface Expansion {
  named: PyNode[];
  tokens: string[];
}

/** what a leaf (a node read as text, never expanded) holds */
const NO_CHILDREN: Expansion = Object.freeze({ named: [], tokens: [] });

interface SymbolInfo {
  type: string;
  named: boolean;
}

/** Nodes the extractor reads as text and never expands (a string's parts are read from its text). */
const LEAVES = new Set(['identifier', 'integer', 'float', 'string', 'true', 'false', 'none', 'ellipsis']);

/**
 * Tokens whose end the lexer's own rules give from their start, which spares a native read for
 * every name and number in the file.
 */
const LEXED_TOKENS: Record<string, RegExp> = {
  identifier: /[\p{XID_Start}_][\p{XID_Continue}]*/uy,
  integer: /(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)[jJlL]?/y,
  float: /(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?/y,
  true: /True/y,
  false: /False/y,
  none: /None/y,
  ellipsis: /\.\.\./y,
};

/** An f-string (`f'level_{i}'`) is expanded: its interpolations are expressions. */
function isFormatted(text: string, start: number): boolean {
  for (let i = start; i < start + 3; i++) {
    const c = text[i];
    if (c === 'f' || c === 'F') return true;
    if (c !== 'r' && c !== 'R' && c !== 'b' && c !== 'B' && c !== 'u' && c !== 'U') return false;
  }
  return false;
}

function lexedEnd(text: string, type: string, start: number): number {
  const pattern = LEXED_TOKENS[type]!;
  pattern.lastIndex = start;
  return pattern.test(text) ? pattern.lastIndex : start;
}

/** Symbol names by type id, shared by every document (one grammar). */
const symbols = new Map<number, SymbolInfo>();

export class PyDocument {
  private readonly lineStarts: number[];
  private readonly cursor: Parser.TreeCursor;
  /** error recovery can insert zero-width tokens the text does not show, so only a clean tree is lexed */
  private readonly lexesLeafEnds: boolean;
  readonly root: PyNode;
  /** the project file this document is, when it was read as an import of the analysed file (see extract/program.ts) */
  path: string | undefined;

  constructor(
    readonly text: string,
    readonly tree: Parser.Tree,
  ) {
    this.lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.cursor = tree.walk();
    this.lexesLeafEnds = !tree.rootNode.hasError;
    this.root = new PyNode(this, 'module', 0, text.length, 0);
  }

  /**
   * Reads one level of children. Symbol names and named-ness are cached by type id, and anonymous
   * tokens only have their type read: each property read is a call into native code.
   */
  expand(descendantIndex: number): Expansion {
    const cursor = this.cursor;
    cursor.gotoDescendant(descendantIndex);
    const named: PyNode[] = [];
    const tokens: string[] = [];
    if (!cursor.gotoFirstChild()) return { named, tokens };
    do {
      const typeId = cursor.nodeTypeId;
      let symbol = symbols.get(typeId);
      if (!symbol) {
        symbol = { type: cursor.nodeType, named: cursor.nodeIsNamed };
        symbols.set(typeId, symbol);
      }
      if (!symbol.named) tokens.push(symbol.type);
      // a comment can sit anywhere between a list's items or a call's arguments; it is never code
      else if (symbol.type === 'comment') continue;
      else if (this.lexesLeafEnds && Object.hasOwn(LEXED_TOKENS, symbol.type)) named.push(new PyNode(this, symbol.type, cursor.startIndex, -1, -1));
      else if (LEAVES.has(symbol.type) && !(symbol.type === 'string' && isFormatted(this.text, cursor.startIndex))) named.push(new PyNode(this, symbol.type, cursor.startIndex, cursor.endIndex, -1));
      else named.push(new PyNode(this, symbol.type, cursor.startIndex, -1, cursor.currentDescendantIndex));
    } while (cursor.gotoNextSibling());
    return { named, tokens };
  }

  endOf(descendantIndex: number): number {
    this.cursor.gotoDescendant(descendantIndex);
    return this.cursor.endIndex;
  }

  /** 1-based line of a UTF-16 offset */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  columnOf(offset: number, line: number): number {
    return offset - this.lineStarts[line - 1]! + 1;
  }

  pointOf(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line, column: this.columnOf(offset, line) };
  }

  rangeOf(start: number, end: number): SourceRange {
    const line = this.lineOf(start);
    const endLine = this.lineOf(end);
    return { line, column: this.columnOf(start, line), endLine, endColumn: this.columnOf(end, endLine) };
  }

  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }
}
