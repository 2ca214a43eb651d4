import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Config } from '../config/config.js';
import { isIncluded } from '../config/config.js';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.eggs']);

function isVirtualenv(directory: string): boolean {
  return existsSync(join(directory, 'pyvenv.cfg'));
}

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * The Python files to analyse under the given paths. Files named explicitly are always analysed;
 * files found by walking a folder must match the config's include/exclude (relative to `root`).
 * Dependency and virtualenv folders are never walked.
 */
export function collectFiles(paths: readonly string[], config: Config, root: string): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  const walk = (directory: string) => {
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
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !isVirtualenv(full)) walk(full);
      } else if (entry.isFile() && isIncluded(config, toPosix(relative(root, full)))) {
        files.add(full);
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
    if (stats.isDirectory()) walk(absolute);
    else files.add(absolute);
  }
  return { files: [...files], missing };
}
