import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Config } from '../config/config.js';
import { isIncluded } from '../config/config.js';
import type { ProjectFiles } from '../extract/program.js';
import { pythonText } from './python-text.js';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.eggs', '.ipynb_checkpoints']);

function isVirtualenv(directory: string): boolean {
  return existsSync(join(directory, 'pyvenv.cfg'));
}

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

export interface LocalFile {
  path: string;
  /** the path the config's globs and task paths are matched against */
  configPath: string;
  /** the folder `configPath` is relative to: the project the file's imports are resolved in */
  root: string;
}

/**
 * A file's path as the configuration sees it: relative to the config's root, or, for a file outside
 * that root (a second folder named on the command line), relative to the folder that was named.
 */
function configRelative(root: string, named: string, file: string): { configPath: string; root: string } {
  const fromRoot = relative(root, file);
  if (!fromRoot.startsWith('..') && !isAbsolute(fromRoot)) return { configPath: toPosix(fromRoot), root };
  return relative(named, file) ? { configPath: toPosix(relative(named, file)), root: named } : { configPath: basename(file), root: dirname(file) };
}

/**
 * The Python files to analyse under the given paths. Files named explicitly are always analysed;
 * files found by walking a folder must match the config's include/exclude.
 * Dependency and virtualenv folders are never walked.
 */
export function collectFiles(paths: readonly string[], config: Config, root: string): { files: LocalFile[]; missing: string[] } {
  const files = new Map<string, LocalFile>();
  const missing: string[] = [];
  const walk = (named: string, directory: string) => {
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !isVirtualenv(full)) walk(named, full);
      } else if (entry.isFile()) {
        const where = configRelative(root, named, full);
        if (isIncluded(config, where.configPath)) files.set(full, { path: full, ...where });
      }
    }
  };
  for (const path of paths) {
    const absolute = resolve(path);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      missing.push(path);
      continue;
    }
    if (stats.isDirectory()) walk(absolute, absolute);
    else files.set(absolute, { path: absolute, ...configRelative(root, dirname(absolute), absolute) });
  }
  return { files: [...files.values()], missing };
}

/**
 * A project's Python files on disk, for reading the modules an analysed file imports: only `.py`
 * files inside the root, at most `maxBytes` each (a larger one is not read, and what is imported
 * from it stays unknown).
 */
export function localProjectFiles(root: string, maxBytes: number): ProjectFiles {
  const inside = (path: string) => path.endsWith('.py') && !path.split('/').some((part) => part === '..' || SKIPPED_DIRECTORIES.has(part));
  return {
    exists: (path) => inside(path) && existsSync(join(root, path)),
    read(path) {
      if (!inside(path)) return undefined;
      try {
        const file = join(root, path);
        if (statSync(file).size > maxBytes) return undefined;
        return pythonText(readFileSync(file));
      } catch {
        return undefined;
      }
    },
  };
}
