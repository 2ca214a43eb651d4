// Classes and functions as the file defines them: names, bases, parameters, decorators and where
// their text lies. Bodies are read on demand.
import type { PyNode } from '../parse/py-node.js';
import { closingBracket, splitTopLevel } from './code-text.js';
import type { Statement } from './statements.js';
import { blocksOf, statementsOf } from './statements.js';

export interface FunctionFact {
  name: string;
  /** offset of the name */
  nameOffset: number;
  /** parameter names in order, `self` included, `*` and `**` markers removed */
  params: string[];
  /** the decorators' code, without `@` */
  decorators: string[];
  /** the definition's text span (to the next statement) */
  start: number;
  end: number;
  /** the first parameter of a method that is neither a static nor a class method */
  selfName: string | undefined;
  statement: Statement;
  /** the statements of the body */
  body(): Statement[];
}

export interface ClassFact {
  name: string;
  nameOffset: number;
  /** base classes as written (spaces removed); keyword arguments such as `metaclass=` left out */
  bases: string[];
  /** whether the class statement passes keywords (`metaclass=…`), which may change how it is built */
  hasKeywords: boolean;
  start: number;
  end: number;
  /** methods by name (the last definition of a name wins, as in Python) */
  methods: Map<string, FunctionFact>;
  /** every name the class body binds: methods, class attributes, annotated names, nested classes */
  members: Set<string>;
}

/** Reads a `def` statement (possibly decorated) whose text is `code`'s [start, end). */
export function readFunction(statement: Statement, code: string, method: boolean): FunctionFact | undefined {
  const decorated = statement.node.type === 'decorated_definition';
  const node = decorated ? statement.node.namedChildren.find((child) => child.type === 'function_definition') : statement.node;
  if (node?.type !== 'function_definition') return undefined;
  const nameNode = node.child('identifier');
  const parameters = node.child('parameters');
  if (!nameNode || !parameters) return undefined;
  const decorators = decorated ? statement.node.namedChildren.filter((child) => child.type === 'decorator').map((decorator) => code.slice(decorator.start + 1, nextStart(statement.node, decorator, node.start)).trim()) : [];
  const isStatic = decorators.some((decorator) => /^(?:staticmethod|classmethod)\b/.test(decorator));
  let params: string[] | undefined;
  const readParams = () => {
    const close = closingBracket(code, parameters.start);
    params ??= close === -1 ? [] : splitTopLevel(code.slice(parameters.start + 1, close - 1)).map(parameterName).filter((name): name is string => name !== undefined);
    return params;
  };
  return {
    name: nameNode.text,
    nameOffset: nameNode.start,
    get params() {
      return readParams();
    },
    decorators,
    start: statement.start,
    end: statement.end,
    // a method's first parameter, read without splitting the whole list
    selfName: method && !isStatic ? /^\(\s*([A-Za-z_]\w*)/.exec(code.slice(parameters.start, parameters.start + 80))?.[1] : undefined,
    statement,
    body: () => {
      const [block] = blocksOf(statement);
      return block ? statementsOf(block.node, block.end) : [];
    },
  };
}

function nextStart(parent: PyNode, child: PyNode, fallback: number): number {
  const siblings = parent.namedChildren;
  return siblings[siblings.indexOf(child) + 1]?.start ?? fallback;
}

function parameterName(parameter: string): string | undefined {
  const name = /^\*{0,2}\s*([A-Za-z_]\w*)/.exec(parameter)?.[1];
  return name;
}

/** Reads a `class` statement (possibly decorated). */
export function readClass(statement: Statement, code: string): ClassFact | undefined {
  const node = statement.node.type === 'decorated_definition' ? statement.node.namedChildren.find((child) => child.type === 'class_definition') : statement.node;
  if (node?.type !== 'class_definition') return undefined;
  const nameNode = node.child('identifier');
  const argumentList = node.child('argument_list');
  if (!nameNode) return undefined;
  const close = argumentList ? closingBracket(code, argumentList.start) : -1;
  const written = close === -1 ? [] : splitTopLevel(code.slice(argumentList!.start + 1, close - 1));
  const bases = written.filter((base) => !/^\w+\s*=[^=]/.test(base) && !base.startsWith('**')).map((base) => base.replace(/\s+/g, ''));
  const methods = new Map<string, FunctionFact>();
  const members = new Set<string>();
  const [block] = blocksOf(statement);
  for (const member of block ? statementsOf(block.node, block.end) : []) {
    const type = member.node.type;
    if (type === 'function_definition' || type === 'decorated_definition') {
      const method = readFunction(member, code, true);
      if (method) {
        methods.set(method.name, method);
        members.add(method.name);
        continue;
      }
    }
    if (type === 'class_definition' || type === 'decorated_definition') {
      const inner = (type === 'decorated_definition' ? member.node.namedChildren.find((child) => child.type === 'class_definition') : member.node)?.child('identifier');
      if (inner) members.add(inner.text);
      continue;
    }
    // class attributes: `fc = None`, `a, b = 1, 2`, `weight: Tensor`
    const firstLine = code.slice(member.start, Math.min(member.end, lineEndAt(code, member.start)));
    const bound = /^([\w,()[\]*][\w \t,()[\]*]*?)[ \t]*(?::|=(?!=))/.exec(firstLine);
    if (bound) for (const name of bound[1]!.split(/[\s,()[\]*]+/)) if (/^[A-Za-z_]\w*$/.test(name)) members.add(name);
  }
  return { name: nameNode.text, nameOffset: nameNode.start, bases, hasKeywords: written.length > bases.length, start: statement.start, end: statement.end, methods, members };
}

function lineEndAt(code: string, from: number): number {
  const newline = code.indexOf('\n', from);
  return newline === -1 ? code.length : newline;
}
