import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../rules/index.js';
import { analyzeOne } from '../analyze-files.js';
import type { Config } from '../config/config.js';
import { isIncluded } from '../config/config.js';
import { loadConfig } from '../config/load.js';
import type { ChangedFile, FileVersion, ReviewPlan } from '../review/build-review.js';
import { buildReview } from '../review/build-review.js';
import { listItem } from '../review/render.js';

/** A git command failed; the message says what to do about it. */
export class GitError extends Error {}

interface GitFailure {
  args: string[];
  stderr: string;
  missing: boolean;
}

function run(cwd: string, args: string[]): Buffer {
  try {
    return execFileSync('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stderr?: Buffer; code?: string };
    throw Object.assign(new Error('git failed'), { failure: { args, stderr: failure.stderr?.toString('utf8').trim() ?? '', missing: failure.code === 'ENOENT' } satisfies GitFailure });
  }
}

function git(cwd: string, args: string[], explain: (failure: GitFailure) => string | undefined = () => undefined): string {
  try {
    return run(cwd, args).toString('utf8');
  } catch (error) {
    const failure = (error as { failure?: GitFailure }).failure;
    if (!failure) throw error;
    throw new GitError(failure.missing ? 'git is not installed or not on PATH: footgun review needs it to read the changes (footgun check does not).' : (explain(failure) ?? `git ${args.join(' ')} failed${failure.stderr ? `: ${failure.stderr}` : ''}`));
  }
}

/** The file at a commit, or undefined when it is not there. */
function gitShow(root: string, commit: string, path: string): Uint8Array | undefined {
  try {
    return run(root, ['show', `${commit}:${path}`]);
  } catch {
    return undefined;
  }
}

function repositoryRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel'], (failure) =>
    /not a git repository/i.test(failure.stderr) ? `${cwd} is not in a git repository: footgun review compares your changes with a base commit. Run it inside your project's clone, or use \`footgun check PATH\` to check files without git.` : undefined,
  ).trim();
}

/** The commit the changes are measured from: --base, else the merge base with the default branch. */
function baseCommit(root: string, base: string | undefined): string {
  if (base) {
    return git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], () => `--base ${base}: no such commit in this repository. Name a branch, tag or commit that exists here (\`git fetch origin ${base}\` first when it is only on the remote).`).trim();
  }
  let defaultBranch: string | undefined;
  try {
    defaultBranch = git(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']).trim();
  } catch {
    for (const candidate of ['main', 'master']) {
      try {
        git(root, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`]);
        defaultBranch = candidate;
        break;
      } catch {
        // try the next name
      }
    }
  }
  if (!defaultBranch) throw new GitError('footgun review cannot tell the default branch (no origin/HEAD, main or master): pass --base REF, the branch or commit your changes start from.');
  return git(root, ['merge-base', 'HEAD', defaultBranch], () => `HEAD and ${defaultBranch} have no common commit here (a shallow clone, or unrelated histories): fetch more history (\`git fetch --unshallow\`) or pass --base REF.`).trim();
}

export interface LocalReview {
  plan: ReviewPlan;
  base: string;
  files: ChangedFile[];
}

interface Change {
  status: 'added' | 'modified' | 'removed';
  path: string;
  /** where the file was at the base commit (renamed files) */
  basePath: string;
}

/** The files the working tree changes since the base: tracked changes (renames followed) and new untracked files. */
function changes(root: string, baseSha: string, config: Config): Change[] {
  const fields = git(root, ['diff', '--name-status', '-M', '-z', baseSha]).split('\0').filter(Boolean);
  const result: Change[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++]!;
    const basePath = fields[i++]!;
    const path = status.startsWith('R') || status.startsWith('C') ? fields[i++]! : basePath;
    result.push({ status: status.startsWith('D') ? 'removed' : status.startsWith('A') ? 'added' : 'modified', path, basePath });
  }
  for (const path of git(root, ['ls-files', '--others', '--exclude-standard', '-z']).split('\0').filter(Boolean)) result.push({ status: 'added', path, basePath: path });
  return result.filter((change) => isIncluded(config, change.path));
}

function version(path: string, bytes: Uint8Array | undefined, config: Config, missing: string): FileVersion {
  if (bytes === undefined) return { path, source: undefined, result: { path, error: missing, findings: [], models: [] } };
  return { path, source: new TextDecoder().decode(bytes), result: analyzeOne({ path, configPath: path, content: bytes }, config) };
}

/** A diff that adds every line: an untracked file. */
function addedPatch(source: string | undefined): string | undefined {
  const lines = source?.replace(/\n$/, '').split('\n');
  return lines && lines.length > 0 ? [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n') : undefined;
}

/**
 * Reviews the checkout's changes since the base exactly as the GitHub App reviews a pull request:
 * the same diff lines, comment bodies, summary and conclusion. The working tree is the head.
 */
export function reviewCheckout(cwd: string, base: string | undefined): LocalReview {
  const root = repositoryRoot(cwd);
  const baseSha = baseCommit(root, base);
  const headSha = git(root, ['rev-parse', 'HEAD'], () => 'this repository has no commit yet: commit your base first, then review the changes on top of it.').trim();
  const { config, problems } = loadConfig(RULES, undefined, root);
  if (problems.length > 0) throw new GitError(`invalid .github/footgun.yml: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
  const all = changes(root, baseSha, config);
  const files: ChangedFile[] = all
    .filter((change) => change.status !== 'removed')
    .map((change) => {
      let bytes: Uint8Array | undefined;
      try {
        bytes = readFileSync(join(root, change.path));
      } catch {
        bytes = undefined;
      }
      const head = version(change.path, bytes, config, 'cannot be read from the working tree');
      const tracked = git(root, ['diff', '-U3', '-M', baseSha, '--', ...(change.basePath === change.path ? [change.path] : [change.basePath, change.path])]);
      const hunkStart = tracked.indexOf('\n@@');
      const patch = hunkStart >= 0 ? tracked.slice(hunkStart + 1) : change.status === 'added' && !tracked ? addedPatch(head.source) : undefined;
      const base = change.status === 'added' ? null : version(change.basePath, gitShow(root, baseSha, change.basePath), config, `cannot be read at ${baseSha.slice(0, 7)}`);
      return { ...head, patch, base };
    });
  const removed = all.filter((change) => change.status === 'removed').map((change) => version(change.path, gitShow(root, baseSha, change.basePath), config, `cannot be read at ${baseSha.slice(0, 7)}`));
  const plan = buildReview({ files, removed, includedFiles: files.length, fileListTruncated: false, settings: config.review, prior: [], headSha });
  return { plan, base: baseSha, files };
}

/** The review as Markdown: what the App would post, and the check run it would complete. */
export function reviewMarkdown({ plan, base }: LocalReview): string {
  const parts = [`# footgun review: ${plan.conclusion} · ${plan.title}`, '', `Changes since ${base.slice(0, 7)}.`, ''];
  parts.push(`## Inline comments (${plan.comments.length})`, '');
  for (const comment of plan.comments) parts.push(`### \`${comment.path}:${comment.line}\``, '', comment.body, '');
  if (plan.belowThreshold.length > 0) {
    parts.push(
      `<details><summary>${plan.belowThreshold.length} new finding${plan.belowThreshold.length === 1 ? '' : 's'} below \`review.comment_min_severity\` (check-run annotations only)</summary>`,
      '',
      ...plan.belowThreshold.map((finding) => listItem(finding.path, finding)),
      '',
      '</details>',
      '',
    );
  }
  if (plan.body) parts.push('## Review', '', plan.body, '');
  parts.push('## Check run', '', plan.summary, '');
  return parts.join('\n');
}
