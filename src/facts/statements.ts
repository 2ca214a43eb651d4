import type { PyDocument, PyNode } from '../parse/py-node.js';

/**
 * A statement of a block. Its text runs to the next statement's start (or the end of its block),
 * so reading it never asks the native tree where a node ends: blank lines and comments after it
 * are part of it, and they are blank in the code-only text.
 */
export interface Statement {
  node: PyNode;
  start: number;
  end: number;
}

/** The statements of a block (a `block` node, or the module). */
export function statementsOf(block: PyNode, end: number): Statement[] {
  const children = block.namedChildren;
  return children.map((node, i) => ({ node, start: node.start, end: children[i + 1]?.start ?? end }));
}

/** The statements of a whole file. */
export function moduleStatements(doc: PyDocument): Statement[] {
  return statementsOf(doc.root, doc.text.length);
}

const CLAUSES = new Set(['elif_clause', 'else_clause', 'except_clause', 'except_group_clause', 'finally_clause', 'case_clause']);

/**
 * The blocks of a compound statement, in order: an `if`'s body, then each `elif`/`else` body; a
 * `try`'s body, handlers, `else` and `finally`; a loop's body and its `else`. Empty for a simple
 * statement.
 */
export function blocksOf(statement: Statement): Statement[] {
  const blocks: Statement[] = [];
  collectBlocks(statement.node, statement.end, blocks);
  return blocks;
}

function collectBlocks(node: PyNode, end: number, into: Statement[]): void {
  const children = node.namedChildren;
  children.forEach((child, i) => {
    const childEnd = children[i + 1]?.start ?? end;
    if (child.type === 'block') into.push({ node: child, start: child.start, end: childEnd });
    else if (CLAUSES.has(child.type) || child.type === 'function_definition' || child.type === 'class_definition') collectBlocks(child, childEnd, into);
  });
}

/** The statements of each block of a compound statement. */
function innerStatements(statement: Statement): Statement[][] {
  return blocksOf(statement).map((block) => statementsOf(block.node, block.end));
}

/** Where a compound statement's header ends: the start of its first block (its whole text for a simple statement). */
export function headerEnd(statement: Statement): number {
  return blocksOf(statement)[0]?.start ?? statement.end;
}

export const LOOPS: ReadonlySet<string> = new Set(['for_statement', 'while_statement']);
export const DEFINITIONS: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'decorated_definition']);

/**
 * Visits the statements of a block and, depth first, of the blocks inside them, with the compound
 * statements that enclose each one. Function and class definitions are visited but not entered
 * unless `enterDefinitions` says so.
 */
export function walkStatements(statements: Statement[], visit: (statement: Statement, enclosing: readonly Statement[]) => void, enterDefinitions = false, enclosing: Statement[] = []): void {
  for (const statement of statements) {
    visit(statement, enclosing);
    if (!enterDefinitions && DEFINITIONS.has(statement.node.type)) continue;
    const blocks = innerStatements(statement);
    if (blocks.length === 0) continue;
    enclosing.push(statement);
    for (const block of blocks) walkStatements(block, visit, enterDefinitions, enclosing);
    enclosing.pop();
  }
}
