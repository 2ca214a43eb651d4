// Where an import of the project's own code leads: `from .models import Net`, `import model as M`,
// `from models.resnet import build_model`. Paths are POSIX and relative to the project root;
// the resolver only knows which files exist, it reads none.
import { posix } from 'node:path';

export interface ImportRequest {
  /** the importing file, relative to the project root */
  from: string;
  /** the dotted module as written, without its leading dots: `models.resnet`, or '' for `from . import x` */
  module: string;
  /** leading dots: 0 for an absolute import, 1 for `from .x`, 2 for `from ..x` */
  level: number;
}

/** The request of `from <written> import …` in the file `from`: `..models` is `models`, two levels up. */
export function fromImportRequest(from: string, written: string): ImportRequest {
  const level = /^\.*/.exec(written)![0].length;
  return { from, module: written.slice(level), level };
}

/**
 * Resolves imports to project files the way Python finds them when a script of the project is
 * run: relative imports from the importing file's package; absolute ones from the importing file's
 * own folder (sys.path[0] for a script), then from each folder above it up to the project root
 * (where a project is run from, or a `src/` layout's root), nearest first.
 */
export class ImportResolver {
  constructor(private readonly exists: (path: string) => boolean) {}

  /** The file that defines the module, or undefined when it is not part of the project (a library). */
  resolveModule(request: ImportRequest): string | undefined {
    const parts = request.module === '' ? [] : request.module.split('.');
    for (const base of this.bases(request)) {
      const found = this.moduleFile(base, parts);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * `from pkg import name` where `name` is a submodule, `pkg/name.py` (the caller looks for `name`
   * in the package's own file first, as Python does).
   */
  resolveSubmodule(request: ImportRequest, name: string): string | undefined {
    const parts = request.module === '' ? [] : request.module.split('.');
    for (const base of this.bases(request)) {
      const found = this.moduleFile(posix.join(base, ...parts), [name]);
      if (found) return found;
    }
    return undefined;
  }

  private bases(request: ImportRequest): string[] {
    const directory = posix.dirname(normalise(request.from));
    if (request.level > 0) {
      let base = directory;
      for (let level = 1; level < request.level; level++) {
        if (base === '.') return [];
        base = posix.dirname(base);
      }
      return [base];
    }
    const bases: string[] = [];
    for (let base = directory; ; base = posix.dirname(base)) {
      bases.push(base);
      if (base === '.') break;
    }
    return bases;
  }

  private moduleFile(base: string, parts: string[]): string | undefined {
    if (parts.length === 0) return this.isPackage(base) ? posix.join(base, '__init__.py') : undefined;
    const path = posix.join(base, ...parts);
    if (this.exists(`${path}.py`)) return normalise(`${path}.py`);
    if (this.exists(posix.join(path, '__init__.py'))) return normalise(posix.join(path, '__init__.py'));
    return undefined;
  }

  private isPackage(folder: string): boolean {
    return this.exists(posix.join(folder, '__init__.py'));
  }
}

function normalise(path: string): string {
  return posix.normalize(path).replace(/^\.\//, '');
}
