import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** footgun's own folder: the one holding its package.json, whether this runs from src/ or dist/. */
export function packageRoot(): string {
  if (root) return root;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'footgun') return (root = directory);
    const parent = dirname(directory);
    if (parent === directory) throw new Error('footgun: cannot find its own package.json');
    directory = parent;
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
