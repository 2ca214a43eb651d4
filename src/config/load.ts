import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AnyRule } from '../rules/rule.js';
import type { Config, ConfigProblem } from './config.js';
import { defaultConfig, parseConfig } from './config.js';

export const CONFIG_LOCATIONS = ['.github/footgun.yml', '.github/footgun.yaml'];

export interface LoadedConfig {
  config: Config;
  /** the file read, if any */
  path: string | undefined;
  /** the folder paths in the config are relative to: the repository root holding `.github/` */
  root: string;
  problems: ConfigProblem[];
}

/**
 * Finds `.github/footgun.yml` in `start` or the nearest folder above it, up to the root of the
 * git repository `start` is in: a repository is reviewed with its own configuration, as the App does.
 */
export function findConfig(start: string): { path: string; root: string } | undefined {
  let directory = startDirectory(start);
  for (;;) {
    for (const location of CONFIG_LOCATIONS) {
      const candidate = join(directory, location);
      if (existsSync(candidate)) return { path: candidate, root: directory };
    }
    const parent = dirname(directory);
    if (parent === directory || existsSync(join(directory, '.git'))) return undefined;
    directory = parent;
  }
}

export function loadConfig(rules: readonly AnyRule[], explicitPath: string | undefined, start: string): LoadedConfig {
  const found = explicitPath ? { path: resolve(explicitPath), root: rootOf(resolve(explicitPath)) } : findConfig(start);
  if (!found) return { config: defaultConfig(rules), path: undefined, root: startDirectory(start), problems: [] };
  let text: string;
  try {
    text = readFileSync(found.path, 'utf8');
  } catch (error) {
    return { config: defaultConfig(rules), path: found.path, root: found.root, problems: [{ key: '(file)', message: `cannot read the config file: ${(error as Error).message}` }] };
  }
  const { config, problems } = parseConfig(text, rules);
  return { config, path: found.path, root: found.root, problems };
}

function startDirectory(start: string): string {
  const absolute = resolve(start);
  return existsSync(absolute) && !statSync(absolute).isDirectory() ? dirname(absolute) : absolute;
}

/** `repo/.github/footgun.yml` → `repo`; any other config file → its own folder. */
function rootOf(configPath: string): string {
  const directory = dirname(configPath);
  return directory.endsWith('.github') ? dirname(directory) : directory;
}
