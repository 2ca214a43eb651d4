// Where a piece of code runs: the function (or the module) around an offset, and the names each
// scope binds, statement by statement.
import type { PyDocument, PyNode } from '../parse/py-node.js';
import { boundNames, readAssignment } from './code-text.js';
import type { FunctionFact } from './definitions.js';
import { readFunction } from './definitions.js';
import type { Statement } from './statements.js';
import { headerEnd, moduleStatements, walkStatements } from './statements.js';

/**
 * The named nodes from the module down to the innermost one that contains `offset`. Only the
 * nodes on the way are read from the tree, one level at a time.
 */
export function nodePathAt(doc: PyDocument, offset: number): PyNode[] {
  const path = [doc.root];
  for (;;) {
    const children = path[path.length - 1]!.namedChildren;
    let low = 0;
    let high = children.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (children[mid]!.start <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found === -1) return path;
    const child = children[found]!;
    if (child.end <= offset) return path;
    path.push(child);
  }
}

export interface ScopeFact {
  /** the function whose body this is; undefined for the module */
  fn: FunctionFact | undefined;
  statements: Statement[];
  start: number;
  end: number;
}

export type BindingKind = 'assign' | 'augmented' | 'for' | 'with' | 'import' | 'definition' | 'parameter';

export interface Binding {
  name: string;
  kind: BindingKind;
  statement: Statement | undefined;
  /** the assigned expression's code, for an assignment */
  value: string;
  valueOffset: number;
  /** the compound statements around the binding, outermost first */
  enclosing: readonly Statement[];
}

/** The module's scope. */
export function moduleScope(doc: PyDocument): ScopeFact {
  return { fn: undefined, statements: moduleStatements(doc), start: 0, end: doc.text.length };
}

/** The innermost function whose body contains `offset`, read from the path to it; undefined at module level. */
export function functionAt(doc: PyDocument, code: string, offset: number): FunctionFact | undefined {
  const path = nodePathAt(doc, offset);
  for (let i = path.length - 1; i > 0; i--) {
    const node = path[i]!;
    if (node.type !== 'function_definition') continue;
    const at = path[i - 1]!.type === 'decorated_definition' ? i - 1 : i;
    const statementNode = path[at]!;
    const method = path[at - 1]?.type === 'block' && path[at - 2]?.type === 'class_definition';
    return readFunction({ node: statementNode, start: statementNode.start, end: statementNode.end }, code, method);
  }
  return undefined;
}

/** The statements of a function's body as a scope. */
export function functionScope(fn: FunctionFact): ScopeFact {
  return { fn, statements: fn.body(), start: fn.start, end: fn.end };
}

/** Every simple name a scope binds, in source order: parameters, assignments, loop and `with` targets, imports, definitions. */
export function readBindings(scope: ScopeFact, code: string): Binding[] {
  const bindings: Binding[] = (scope.fn?.params ?? []).map((name) => ({ name, kind: 'parameter' as const, statement: undefined, value: '', valueOffset: scope.start, enclosing: [] }));
  walkStatements(scope.statements, (statement, enclosing) => {
    const type = statement.node.type;
    const add = (name: string, kind: BindingKind, value = '', valueOffset = statement.start) => bindings.push({ name, kind, statement, value, valueOffset, enclosing: [...enclosing] });
    if (type === 'expression_statement') {
      const assignment = readAssignment(code.slice(statement.start, statement.end));
      if (!assignment) return;
      for (const target of assignment.targets) for (const name of boundNames(target)) add(name, assignment.augmented ? 'augmented' : 'assign', assignment.value, statement.start + assignment.valueOffset);
    } else if (type === 'for_statement') {
      const header = /^\s*(?:async\s+)?for\s+([\s\S]*?)\s+in\b/.exec(code.slice(statement.start, headerEnd(statement)));
      if (header) for (const name of boundNames(header[1]!)) add(name, 'for');
    } else if (type === 'with_statement') {
      const header = code.slice(statement.start, headerEnd(statement));
      for (const match of header.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) add(match[1]!, 'with');
    } else if (type === 'import_statement' || type === 'import_from_statement') {
      const text = code.slice(statement.start, statement.end);
      for (const match of text.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) add(match[1]!, 'import');
      const list = /\bimport\s+([\s\S]*)$/.exec(text)?.[1] ?? '';
      for (const item of list.replace(/[()\\]/g, ' ').split(',')) {
        const name = /^\s*([A-Za-z_]\w*)\s*$/.exec(item)?.[1];
        if (name) add(name, 'import');
      }
    } else if (type === 'function_definition' || type === 'class_definition' || type === 'decorated_definition') {
      const definition = type === 'decorated_definition' ? statement.node.namedChildren.at(-1) : statement.node;
      const name = definition?.child('identifier');
      if (name) add(name.text, 'definition');
    }
  });
  return bindings;
}
