import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../rules/index.js';
import { analyzeOne } from '../analyze-files.js';
import { isIncluded } from '../config/config.js';
import { loadConfig } from '../config/load.js';
import type { ChangedFile, ReviewPlan } from '../review/build-review.js';
import { buildReview } from '../review/build-review.js';

export class GitError extends Error {}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new GitError(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/** The commit the changes are measured from: --base, else the merge base with the default branch. */
function baseCommit(root: string, base: string | undefined): string {
  if (base) return git(root, ['rev-parse', '--verify', `${base}^{commit}`]).trim();
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
  if (!defaultBranch) throw new GitError('cannot tell the default branch (no origin/HEAD, main or master): pass --base REF');
  return git(root, ['merge-base', 'HEAD', defaultBranch]).trim();
}

export interface LocalReview {
  plan: ReviewPlan;
  base: string;
  files: ChangedFile[];
}

/**
 * Reviews the checkout's changes since the base exactly as the GitHub App reviews a pull request:
 * the same diff lines, comment bodies, summary and conclusion. The working tree is the head.
 */
export function reviewCheckout(cwd: string, base: string | undefined): LocalReview {
  const root = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  const baseSha = baseCommit(root, base);
  const headSha = git(root, ['rev-parse', 'HEAD']).trim();
  const { config, problems } = loadConfig(RULES, undefined, root);
  if (problems.length > 0) throw new GitError(`invalid .github/footgun.yml: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
  const changed = git(root, ['diff', '--name-status', '-M', '-z', baseSha])
    .split('\0')
    .filter(Boolean);
  const paths: string[] = [];
  for (let i = 0; i < changed.length; ) {
    const status = changed[i++]!;
    const path = status.startsWith('R') || status.startsWith('C') ? (i++, changed[i++]!) : changed[i++]!;
    if (!status.startsWith('D') && isIncluded(config, path)) paths.push(path);
  }
  const files: ChangedFile[] = paths.map((path) => {
    const diff = git(root, ['diff', '-U3', '-M', baseSha, '--', path]);
    const hunkStart = diff.indexOf('\n@@');
    const patch = hunkStart >= 0 ? diff.slice(hunkStart + 1) : undefined;
    let bytes: Uint8Array | undefined;
    try {
      bytes = readFileSync(join(root, path));
    } catch {
      bytes = undefined;
    }
    const result = bytes ? analyzeOne({ path, configPath: path, content: bytes }, config) : { path, error: 'cannot be read from the working tree', findings: [], models: [] };
    return { path, patch, source: bytes ? new TextDecoder().decode(bytes) : undefined, result };
  });
  const plan = buildReview({ files, pythonFiles: paths.length, fileListTruncated: false, settings: config.review, prior: [], headSha });
  return { plan, base: baseSha, files };
}

/** The review as Markdown: what the App would post, and the check run it would complete. */
export function reviewMarkdown({ plan, base }: LocalReview): string {
  const parts = [`# footgun review: ${plan.conclusion} · ${plan.title}`, '', `Changes since ${base.slice(0, 7)}.`, ''];
  parts.push(`## Inline comments (${plan.comments.length})`, '');
  for (const comment of plan.comments) parts.push(`### \`${comment.path}:${comment.line}\``, '', comment.body, '');
  if (plan.body) parts.push('## Review', '', plan.body, '');
  parts.push('## Check run', '', plan.summary, '');
  return parts.join('\n');
}
