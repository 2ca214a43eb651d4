import { closingBracket, splitTopLevel } from './code-text.js';

/** Names used by convention when a snippet does not import them. */
const CONVENTIONAL: Record<string, string> = {
  nn: 'torch.nn',
  F: 'torch.nn.functional',
  torch: 'torch',
  optim: 'torch.optim',
  tf: 'tensorflow',
  keras: 'keras',
  layers: 'keras.layers',
};

/** Spellings of Keras that are the same library: `tf.keras`, `tensorflow.python.keras`, `tf_keras`. */
const KERAS_ALIASES = [/^tensorflow\.python\.keras\./, /^tensorflow\.keras\./, /^tf_keras\./];

/**
 * What the names of a file refer to, from its `import` statements (anywhere in the file: a name
 * imported inside a function is taken as that import everywhere, which is what a reader assumes).
 */
export class ImportTable {
  private readonly names = new Map<string, string>();
  private readonly ambiguous = new Set<string>();

  constructor(code: string) {
    for (const { module, names } of importStatements(code)) {
      for (const { original, alias } of names) {
        if (original === '*') continue;
        if (module !== undefined) this.bind(alias ?? original, `${module}.${original}`);
        else if (alias) this.bind(alias, original);
        else this.bind(original.split('.')[0]!, original.split('.')[0]!);
      }
    }
  }

  private bind(local: string, qualified: string): void {
    const known = this.names.get(local);
    if (known !== undefined && known !== qualified) this.ambiguous.add(local);
    this.names.set(local, qualified);
  }

  /** Whether the file imports anything from one of these top-level packages. */
  importsFrom(packages: readonly string[]): boolean {
    for (const qualified of this.names.values()) if (packages.includes(qualified.split('.')[0]!)) return true;
    return false;
  }

  /** Whether the file imports this name (or binds it by `import a.b` as `a`). */
  has(local: string): boolean {
    return this.names.has(local);
  }

  /**
   * The qualified name a dotted name written in the file refers to: `nn.Linear` → `torch.nn.Linear`,
   * `tf.keras.layers.Dense` → `keras.layers.Dense`. Names the file neither imports nor uses by
   * convention come back as written.
   */
  resolve(dotted: string): string {
    const dot = dotted.indexOf('.');
    const head = dot === -1 ? dotted : dotted.slice(0, dot);
    const rest = dot === -1 ? '' : dotted.slice(dot);
    const qualified = this.ambiguous.has(head) ? undefined : (this.names.get(head) ?? CONVENTIONAL[head]);
    return normaliseKeras(qualified === undefined ? dotted : qualified + rest);
  }
}

/** One `import` statement as written: `from module import names` (module with its leading dots), or `import names`. */
export interface ImportStatement {
  /** `.models` in `from .models import Net`; undefined for `import a.b as c` */
  module: string | undefined;
  /** the imported names (`*` for a wildcard), with their aliases */
  names: { original: string; alias: string | undefined }[];
}

/** The file's `import` statements, anywhere in it (inside functions and `try:` blocks too), read from the text without parsing. */
export function importStatements(code: string): ImportStatement[] {
  const statements: ImportStatement[] = [];
  // find the keyword first (a plain word search), then read the statement it begins
  const statement = /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+|import[ \t]+)/my;
  for (let at = code.indexOf('import'); at !== -1; at = code.indexOf('import', at + 6)) {
    statement.lastIndex = code.lastIndexOf('\n', at) + 1;
    const match = statement.exec(code);
    if (!match) continue;
    let listStart = match.index + match[0].length;
    at = Math.max(at, listStart - 6);
    let listEnd: number;
    if (code[listStart] === '(') {
      listEnd = closingBracket(code, listStart);
      if (listEnd === -1) continue;
      listStart++;
      listEnd--;
    } else {
      listEnd = lineEnd(code, listStart);
    }
    const names = splitTopLevel(code.slice(listStart, listEnd).replace(/\\\n/g, ' '))
      .map((item) => item.split(/\s+as\s+/).map((part) => part.trim()))
      .filter(([original]) => original)
      .map(([original, alias]) => ({ original: original!, alias }));
    statements.push({ module: match[1], names });
  }
  return statements;
}

function normaliseKeras(name: string): string {
  if (!name.startsWith('t')) return name;
  for (const alias of KERAS_ALIASES) if (alias.test(name)) return name.replace(alias, 'keras.');
  return name;
}

function lineEnd(code: string, from: number): number {
  let i = from;
  for (;;) {
    const newline = code.indexOf('\n', i);
    if (newline === -1) return code.length;
    if (code[newline - 1] !== '\\') return code[newline - 1] === '\r' ? newline - 1 : newline;
    i = newline + 1;
  }
}
