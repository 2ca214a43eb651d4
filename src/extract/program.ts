// A program split over files: the project's own modules a file imports (`from .models import Net`,
// `import model as M`) are read and run as Python runs them, so the classes and functions the file
// uses are the ones its project defines. The project's files come from the front end (the CLI reads
// them from disk, the App from the pull request's commit); nothing here reads a file itself.
import { posix } from 'node:path';
import type { PyDocument, PyNode } from '../parse/py-node.js';
import { parsePython } from '../parse/parse-python.js';
import type { Value } from './abstract/values.js';
import { UNKNOWN_VALUE, str } from './abstract/values.js';
import { fromImportRequest, ImportResolver } from './import-resolver.js';
import type { Interpreter } from './interpreter.js';
import { Scope } from './scope.js';

/** What the front end knows of the project's files; paths are POSIX, relative to the project root. */
export interface ProjectFiles {
  exists(path: string): boolean;
  /** the file's text, or undefined when it cannot be read (too large, binary, not UTF-8) */
  read(path: string): string | undefined;
}

export interface ProgramLimits {
  /** project files one analysed file may read, imports of imports included */
  modules: number;
  /** imports followed inside imports */
  depth: number;
}

export const PROGRAM_LIMITS: ProgramLimits = { modules: 24, depth: 6 };

/** Parsed project files kept for the next file that imports them (the most recently used). */
const CACHED_DOCUMENTS = 48;

type ModuleValue = Extract<Value, { kind: 'module' }>;

/**
 * The project of one analysis run: its files are resolved and parsed once, whichever of the
 * analysed files imports them.
 */
export class Project {
  readonly resolver = new ImportResolver((path) => this.exists(path));
  private readonly existing = new Map<string, boolean>();
  private readonly documents = new Map<string, PyDocument | null>();

  constructor(
    private readonly files: ProjectFiles,
    readonly limits: ProgramLimits = PROGRAM_LIMITS,
  ) {}

  exists(path: string): boolean {
    let exists = this.existing.get(path);
    if (exists === undefined) {
      exists = this.files.exists(path);
      this.existing.set(path, exists);
    }
    return exists;
  }

  text(path: string): string | undefined {
    return this.files.read(path);
  }

  document(path: string): PyDocument | undefined {
    let doc = this.documents.get(path);
    if (doc !== undefined) {
      // most recently used last
      this.documents.delete(path);
      this.documents.set(path, doc);
      return doc ?? undefined;
    }
    const text = this.files.read(path);
    doc = text === undefined ? null : parsePython(text).doc;
    if (doc) doc.path = path;
    this.documents.set(path, doc);
    if (this.documents.size > CACHED_DOCUMENTS) this.documents.delete(this.documents.keys().next().value!);
    return doc ?? undefined;
  }
}

/** The dotted name Python gives a project file's module: `models/resnet.py` → `models.resnet`. */
export function moduleName(path: string): string {
  return path
    .replace(/\.py$/, '')
    .replace(/(^|\/)__init__$/, '')
    .split('/')
    .filter((part) => part !== '')
    .join('.');
}

/**
 * The modules one analysed file imports, each read and run once (its scope is cached, as in
 * `sys.modules`) with `__name__` set to its own name, so its `if __name__ == '__main__':` block does
 * not run. Imported names are bound lazily: a module is read when a name from it is first used, so
 * the imports a file never uses cost nothing. Import cycles see a module as far as it has run.
 */
export class ModuleLoader {
  private readonly modules = new Map<string, ModuleValue>();
  private depth = 0;
  private limitNoted = false;

  constructor(
    private readonly project: Project,
    /** the analysed file, relative to the project root */
    private readonly entry: string,
    private readonly vm: Interpreter,
  ) {}

  /** Rebinds the names of an import statement that come from the project (the interpreter bound them as library names first). */
  bindImport(node: PyNode, scope: Scope): void {
    const from = node.doc.path ?? this.entry;
    if (node.type === 'import_statement') this.bindModules(node, scope, from);
    else this.bindFrom(node, scope, from);
  }

  /** `module.name`: what the module defines, else its submodule. */
  attribute(module: ModuleValue, name: string): Value {
    const defined = module.scope.get(name);
    if (defined) return defined;
    const file = module.package === undefined ? undefined : this.project.resolver.resolveSubmodule({ from: posix.join(module.package, '__init__.py'), module: '', level: 1 }, name);
    return (file && this.load(file)) || UNKNOWN_VALUE;
  }

  /** `import model as M`, `import models.resnet` (binds `models`, whose attribute `resnet` is the module). */
  private bindModules(node: PyNode, scope: Scope, from: string): void {
    for (const child of node.namedChildren) {
      const aliased = child.type === 'aliased_import';
      const dotted = (aliased ? child.namedChildren[0] : child)?.text.replace(/\s+/g, '');
      const alias = aliased ? child.namedChildren[1]?.text : dotted?.split('.')[0];
      if (!dotted || !alias) continue;
      const file = this.project.resolver.resolveModule({ from, module: dotted, level: 0 });
      if (!file) continue;
      if (aliased || !dotted.includes('.')) {
        const fallback = scope.own(alias) ?? UNKNOWN_VALUE;
        scope.setLazy(alias, () => this.load(file, node) ?? fallback);
        continue;
      }
      // the top package: its own __init__.py, or a folder without one (a namespace package)
      const parts = dotted.split('.');
      const folder = posix.dirname(file.endsWith('__init__.py') ? posix.dirname(file) : file);
      const packageFolder = parts.slice(2).reduce((path) => posix.dirname(path), folder);
      const packageFile = this.project.resolver.resolveModule({ from, module: alias, level: 0 });
      scope.setLazy(alias, () => (packageFile ? this.load(packageFile, node) : undefined) ?? { kind: 'module', name: alias, scope: new Scope(), package: packageFolder });
    }
  }

  /** `from .models import Net`, `from models import resnet`, `from .layers import *`. */
  private bindFrom(node: PyNode, scope: Scope, from: string): void {
    const [moduleNode, ...names] = node.namedChildren;
    if (!moduleNode) return;
    const request = fromImportRequest(from, moduleNode.text.replace(/\s+/g, ''));
    const file = this.project.resolver.resolveModule(request);
    if (names.some((name) => name.type === 'wildcard_import')) {
      const module = file ? this.load(file, node) : undefined;
      if (!module) return;
      for (const name of module.scope.ownNames()) {
        if (!name.startsWith('_')) scope.setLazy(name, () => module.scope.get(name) ?? UNKNOWN_VALUE);
      }
      return;
    }
    for (const name of names) {
      const aliased = name.type === 'aliased_import';
      const original = (aliased ? name.namedChildren[0] : name)?.text;
      const alias = aliased ? name.namedChildren[1]?.text : original;
      if (!original || !alias || (name.type !== 'dotted_name' && !aliased)) continue;
      const submodule = this.project.resolver.resolveSubmodule(request, original);
      if (!file && !submodule) continue;
      const fallback = scope.own(alias) ?? UNKNOWN_VALUE;
      scope.setLazy(alias, () => {
        const defined = file ? this.load(file, node)?.scope.get(original) : undefined;
        if (defined) return defined;
        return (submodule ? this.load(submodule, node) : undefined) ?? fallback;
      });
    }
  }

  private load(file: string, at?: PyNode): ModuleValue | undefined {
    const cached = this.modules.get(file);
    if (cached) return cached;
    // the analysed file runs as __main__: a module importing it back would run it again under its own name
    if (file === this.entry) return undefined;
    const { limits } = this.project;
    if (this.modules.size >= limits.modules || this.depth >= limits.depth) {
      if (at) this.noteLimit(at, file);
      return undefined;
    }
    const doc = this.project.document(file);
    if (!doc) return undefined;
    const name = moduleName(file);
    const scope = new Scope();
    scope.set('__name__', str(name));
    const module: ModuleValue = { kind: 'module', name, scope, package: file.endsWith('__init__.py') ? posix.dirname(file) : undefined };
    this.modules.set(file, module);
    this.depth++;
    try {
      this.vm.runModule(doc, scope);
    } finally {
      this.depth--;
    }
    return module;
  }

  private noteLimit(at: PyNode, file: string): void {
    if (this.limitNoted) return;
    this.limitNoted = true;
    const { limits } = this.project;
    const why = this.depth >= limits.depth ? `imports nested ${limits.depth} deep` : `${limits.modules} files of the project`;
    this.vm.note(at, `footgun stopped following imports here after ${why}: it did not read ${file}, so what this line imports from it is unknown.`);
  }
}
