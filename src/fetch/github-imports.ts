// The project files a pull request's Python files import, read from GitHub at one commit before
// the analysis runs (the core reads a project's files synchronously; the App fetches them first).
// One tree listing says which files exist, so only imports of the project's own files are fetched.
import type { ProbotOctokit } from 'probot';
import { fromImportRequest, ImportResolver } from '../extract/import-resolver.js';
import { PROGRAM_LIMITS } from '../extract/program.js';
import { importStatements } from '../facts/imports.js';
import { fetchContents, httpStatus, withRetries } from './github.js';
import { pythonText } from './python-text.js';

type Octokit = InstanceType<typeof ProbotOctokit>;

/** The Python files of a repository at one commit, as one request to GitHub lists them. */
export interface RepositoryTree {
  /** by path: the blob (the same sha at two commits is the same text) and its size in bytes */
  files: Map<string, { sha: string; size: number }>;
  /** GitHub lists at most 100,000 entries (7 MB) of a tree: files past those are not known */
  truncated: boolean;
}

/** `GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1`; a failure is its reason, not an exception. */
export async function listPythonFiles(octokit: Octokit, owner: string, repo: string, sha: string): Promise<RepositoryTree | { error: string }> {
  try {
    const { data } = await withRetries(() => octokit.rest.git.getTree({ owner, repo, tree_sha: sha, recursive: 'true' }));
    const files = new Map<string, { sha: string; size: number }>();
    for (const entry of data.tree) {
      if (entry.type === 'blob' && entry.path?.endsWith('.py') && entry.sha) files.set(entry.path, { sha: entry.sha, size: entry.size ?? 0 });
    }
    return { files, truncated: data.truncated };
  } catch (error) {
    return { error: `${httpStatus(error) ?? 'network error'}: ${(error as Error).message}` };
  }
}

/**
 * The project files a file's imports may read: each statement's module, for `from pkg import name`
 * also the submodule `pkg/name.py`, for `import a.b` also the package `a`. Read from the text, so an
 * import the analysis never reaches (inside an unused function) is listed too.
 */
export function importedProjectFiles(code: string, from: string, resolver: ImportResolver): string[] {
  const files = new Set<string>();
  const add = (file: string | undefined) => {
    if (file !== undefined && file !== from) files.add(file);
  };
  for (const { module, names } of importStatements(code)) {
    if (module === undefined) {
      for (const { original } of names) {
        const parts = original.replace(/\s+/g, '').split('.');
        for (let length = 1; length <= parts.length; length++) add(resolver.resolveModule({ from, module: parts.slice(0, length).join('.'), level: 0 }));
      }
      continue;
    }
    const request = fromImportRequest(from, module);
    add(resolver.resolveModule(request));
    for (const { original } of names) if (original !== '*') add(resolver.resolveSubmodule(request, original));
  }
  return [...files];
}

/** The project files read for the analysis at one commit. */
export interface ImportedFiles {
  /** by path: the text, or null for a file that exists but was not read (too large, over the limit, refused by GitHub) */
  files: Map<string, string | null>;
  /** for each file read, the project files its imports lead to */
  imports: Map<string, string[]>;
  /** what could not be read, for the check-run summary */
  notes: string[];
}

export interface ImportReading {
  owner: string;
  repo: string;
  ref: string;
  tree: RepositoryTree | { error: string };
  /** the files the analysis starts from, at this commit (they are not fetched again) */
  entries: readonly { path: string; text: string }[];
  /** files larger than this are not read */
  maxBytes: number;
  /** files read besides the entries, imports of imports included */
  maxFiles?: number;
  /** the text of a blob already read (at the other commit of the pull request): no request for it */
  known?(path: string, blobSha: string): string | undefined;
}

/**
 * Reads the project files the entries import, level by level (all of one level's files in
 * parallel), up to `maxFiles` files and the program's import depth. A file GitHub does not give
 * (404, 403, a server error) stays unread: the analysis treats what it defines as unknown.
 */
export async function readImportedFiles(octokit: Octokit, reading: ImportReading): Promise<ImportedFiles> {
  const { tree, maxBytes, maxFiles = PROGRAM_LIMITS.modules } = reading;
  const files = new Map<string, string | null>(reading.entries.map((entry) => [entry.path, entry.text]));
  const imports = new Map<string, string[]>();
  const notes: string[] = [];
  if ('error' in tree) {
    if (reading.entries.length > 0) notes.push(`footgun could not list the repository's files at ${reading.ref.slice(0, 7)} (${tree.error}), so it did not read the files they import.`);
    return { files, imports, notes };
  }
  if (tree.truncated) notes.push(`GitHub listed only part of the repository's files at ${reading.ref.slice(0, 7)}; imports of files past that list were not read.`);
  const resolver = new ImportResolver((path) => files.has(path) || tree.files.has(path));
  const tooLarge: string[] = [];
  const overLimit: string[] = [];
  const failed: string[] = [];
  let read = 0;
  let frontier = reading.entries.map((entry) => entry.path);
  for (let depth = 0; depth < PROGRAM_LIMITS.depth && frontier.length > 0; depth++) {
    const wanted = new Set<string>();
    for (const path of frontier) {
      const targets = importedProjectFiles(files.get(path)!, path, resolver);
      imports.set(path, targets);
      for (const target of targets) if (!files.has(target)) wanted.add(target);
    }
    const toFetch: string[] = [];
    for (const path of wanted) {
      const blob = tree.files.get(path)!;
      if (blob.size > maxBytes) {
        files.set(path, null);
        tooLarge.push(path);
      } else if (read >= maxFiles) {
        files.set(path, null);
        overLimit.push(path);
      } else {
        read++;
        const text = reading.known?.(path, blob.sha);
        if (text === undefined) toFetch.push(path);
        else files.set(path, text);
      }
    }
    const fetched = await fetchContents(octokit, reading.owner, reading.repo, reading.ref, toFetch);
    for (const file of fetched) {
      const text = 'error' in file ? undefined : pythonText(file.content);
      files.set(file.path, text ?? null);
      if ('error' in file) failed.push(`\`${file.path}\` ${file.error}`);
    }
    frontier = [...wanted].filter((path) => typeof files.get(path) === 'string');
  }
  if (failed.length > 0) notes.push(`Imported files GitHub did not give, so what the changed files use from them is unknown: ${failed.join('; ')}.`);
  if (tooLarge.length > 0) notes.push(`Imported files over the ${Math.round(maxBytes / 1024)} KB limit (\`max_file_kb\`), not read: ${codeList(tooLarge)}.`);
  if (overLimit.length > 0) notes.push(`footgun reads at most ${maxFiles} files that the changed files import; it stopped before ${codeList(overLimit)}.`);
  return { files, imports, notes };
}

/**
 * The files one entry's analysis may read: everything its imports reach, by path (null: exists,
 * not read; so is the entry itself, which its job carries already), as the analysis job carries them.
 */
export function projectOf(imported: ImportedFiles, entry: string): Record<string, string | null> {
  const project: Record<string, string | null> = {};
  const visit = (path: string) => {
    if (Object.hasOwn(project, path)) return;
    project[path] = imported.files.get(path) ?? null;
    for (const target of imported.imports.get(path) ?? []) visit(target);
  };
  visit(entry);
  project[entry] = null;
  return project;
}

function codeList(paths: readonly string[], shown = 5): string {
  const listed = paths.slice(0, shown).map((path) => `\`${path}\``).join(', ');
  return paths.length > shown ? `${listed} and ${paths.length - shown} more` : listed;
}
