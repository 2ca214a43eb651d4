import type { Context, ProbotOctokit } from 'probot';
import { RULES } from '../../rules/index.js';
import type { FileResult } from '../analyze.js';
import type { FileJob } from '../analyze-files.js';
import { analyzeOne } from '../analyze-files.js';
import type { Config, ConfigProblem } from '../config/config.js';
import { configFromData, defaultConfig, isIncluded } from '../config/config.js';
import type { FetchedFile, PullRequestFile } from '../fetch/github.js';
import { fetchContents, httpStatus, isTransient, listPullRequestFiles, withRetries } from '../fetch/github.js';
import type { ChangedFile, FileVersion, PriorComment, ReviewPlan } from '../review/build-review.js';
import { buildReview } from '../review/build-review.js';
import { groupByFile } from '../analyze-program.js';
import type { ImportedFiles } from '../fetch/github-imports.js';
import { listPythonFiles, projectOf, readImportedFiles } from '../fetch/github-imports.js';
import { readMarker } from '../review/fingerprint.js';
import { MAX_BODY, truncate } from '../review/render.js';
import { MAX_SUMMARY } from '../review/summary.js';
import { PROJECT_URL } from '../rules/docs.js';

const CONFIG_DOCS_URL = `${PROJECT_URL}#configuration`;

type Octokit = InstanceType<typeof ProbotOctokit>;

export const CHECK_NAME = 'footgun';
/** Marks the reviews footgun posts, with the commit they review. */
const REVIEW_MARKER = (sha: string) => `<!-- footgun:review ${sha} -->`;
const ANNOTATIONS_PER_REQUEST = 50;

export interface PullRequestRef {
  number: number;
  draft: boolean;
  headSha: string;
  /** the base branch's commit the pull request is compared with; the review tells new findings from those already there against it */
  baseSha?: string;
  /** where the head commit lives: the fork, for a fork's pull request */
  headOwner: string;
  headRepo: string;
}

export interface Repository {
  owner: string;
  repo: string;
}

/** What a review needs from its surroundings: an authenticated client, a logger, the repository's configuration. */
export interface ReviewEnvironment {
  octokit: Octokit;
  log: Context['log'];
  loadConfig(): Promise<{ config: Config; problems: ConfigProblem[] }>;
  /** analyses one file (a pool of worker processes in the App); by default on the caller's thread */
  analyze?(job: FileJob, config: Config): Promise<FileResult>;
  /** present when the review runs as a queued job */
  job?: ReviewJobHooks;
  /**
   * A review that takes longer than this shows an in-progress check run until it is done; a
   * faster one creates its check run completed, in one request (default IN_PROGRESS_AFTER_MS;
   * 0: always in progress first)
   */
  inProgressAfterMs?: number;
}

/**
 * GitHub asks integrations to space requests that create content at least a second apart (Probot's
 * throttling does so per installation), so each write of a review costs about a second: a review
 * ready within this time skips the in-progress check run and saves one.
 */
export const IN_PROGRESS_AFTER_MS = 1000;

/** What a queued review knows of its job: earlier attempts, retries left, newer pushes. */
export interface ReviewJobHooks {
  /** the check run an earlier attempt of this job started (a retry, or a worker that died): reused, not duplicated */
  checkRunId?: number;
  recordCheckRun(id: number): Promise<void>;
  /** attempts the queue still makes after this one: a transient failure is thrown back to it instead of failing the check run */
  retriesLeft: number;
  /** a newer head commit the queue has received for this pull request, if any */
  newerHead(): Promise<string | undefined>;
}

/**
 * Reads `.github/footgun.yml` as Probot's `context.config` does, with the octokit config plugin
 * (default branch, `_extends`, the org's `.github` repository); nested keys merge, lists replace.
 * A transient GitHub error is thrown (a queued job retries it); any other is a config problem.
 */
export async function loadRepositoryConfig(octokit: Octokit, { owner, repo }: Repository): Promise<{ config: Config; problems: ConfigProblem[] }> {
  try {
    const { config: data } = await octokit.config.get({ owner, repo, path: '.github/footgun.yml', defaults: (configs: Record<string, unknown>[]) => configs.reduce(mergeConfig, {}) });
    return configFromData(data, RULES);
  } catch (error) {
    if (isTransient(error)) throw error;
    return { config: defaultConfig(RULES), problems: [{ key: '(file)', message: `.github/footgun.yml could not be read: ${(error as Error).message}` }] };
  }
}

/** `_extends` layering: objects merge key by key, anything else (lists included) is replaced. */
function mergeConfig(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const previous = merged[key];
    merged[key] = isPlainObject(previous) && isPlainObject(value) ? mergeConfig(previous, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The whole review of one pull request at one head commit: check run, analysis, review, resolved comments. */
export async function reviewPullRequest(environment: ReviewEnvironment, repository: Repository, pull: PullRequestRef): Promise<void> {
  const { octokit } = environment;
  const { owner, repo } = repository;
  const log = environment.log.child({ repo: `${owner}/${repo}`, pull: pull.number, sha: pull.headSha.slice(0, 7) });
  const { config, problems } = await environment.loadConfig();
  if (pull.draft && problems.length === 0 && !config.review.drafts) {
    log.info('draft pull request skipped (review.drafts is false)');
    return;
  }
  const analyze = environment.analyze ?? (async (job: FileJob, jobConfig: Config) => analyzeOne(job, jobConfig));
  const checkRun = new ReviewCheckRun(octokit, repository, pull.headSha, { id: environment.job?.checkRunId, job: environment.job, log });
  checkRun.showInProgress(environment.inProgressAfterMs ?? IN_PROGRESS_AFTER_MS);
  try {
    if (problems.length > 0) {
      await checkRun.complete({
        conclusion: 'action_required',
        title: 'Invalid .github/footgun.yml',
        summary: ['footgun did not review this pull request because its configuration is invalid:', '', ...problems.map((p) => `- \`${p.key}\`${p.line ? ` (line ${p.line})` : ''}: ${p.message}`), '', 'Fix the file on the default branch and re-run this check.'].join('\n'),
        annotations: [],
      });
      return;
    }
    const { files, truncated } = await listPullRequestFiles(octokit, owner, repo, pull.number);
    const included = files.filter((file) => isIncluded(config, file.filename));
    const changedFiles = included.filter((file) => file.status !== 'removed');
    const removedFiles = included.filter((file) => file.status === 'removed');
    // the files the changed ones import are read at both commits; the trees say which exist
    const python = (file: PullRequestFile) => file.filename.endsWith('.py');
    const [headContents, headTree, baseTree] = await Promise.all([
      fetchContents(octokit, pull.headOwner, pull.headRepo, pull.headSha, changedFiles.map((file) => file.filename)),
      changedFiles.some(python) ? listPythonFiles(octokit, pull.headOwner, pull.headRepo, pull.headSha) : { error: 'no Python file changed' },
      pull.baseSha && included.some((file) => python(file) && file.status !== 'added') ? listPythonFiles(octokit, owner, repo, pull.baseSha) : undefined,
    ]);
    const headImports = await readImportedFiles(octokit, { owner: pull.headOwner, repo: pull.headRepo, ref: pull.headSha, tree: headTree, entries: pythonEntries(changedFiles.map((file) => file.filename), headContents), maxBytes: config.maxFileBytes });
    const headVersions = await Promise.all(changedFiles.map((file, index) => analysed(analyze, file.filename, headContents[index]!, config, headImports)));
    const headResults = groupByFile(headVersions.map((version) => version.result), (path) => path);
    const changed: ChangedFile[] = changedFiles.map((file, index) => ({ ...headVersions[index]!, result: headResults[index]!, patch: file.patch, base: file.status === 'added' ? null : undefined }));
    // the versions before the pull request, one request each: of the changed files that had one (at their old path when renamed), and of the removed files
    const wanted = [...changedFiles.map((file, index) => ({ file, head: changed[index] })).filter(({ file, head }) => file.status !== 'added' && !head!.result.error), ...removedFiles.map((file) => ({ file, head: undefined }))];
    const basePath = (file: PullRequestFile) => file.previous_filename ?? file.filename;
    const baseContents = pull.baseSha ? await fetchContents(octokit, owner, repo, pull.baseSha, wanted.map(({ file }) => basePath(file))) : [];
    const sameBlob = (path: string, sha: string) => ('files' in headTree && headTree.files.get(path)?.sha === sha ? (headImports.files.get(path) ?? undefined) : undefined);
    // no tree when no Python file existed before: nothing imported then, so every cross-file finding is new
    const baseImports = pull.baseSha ? await readImportedFiles(octokit, { owner, repo, ref: pull.baseSha, tree: baseTree ?? { files: new Map(), truncated: false }, entries: pythonEntries(wanted.map(({ file }) => basePath(file)), baseContents), maxBytes: config.maxFileBytes, known: sameBlob }) : undefined;
    const removed: FileVersion[] = [];
    const baseVersions = await Promise.all(baseContents.map((content, index) => analysed(analyze, basePath(wanted[index]!.file), content, config, baseImports)));
    const baseResults = groupByFile(baseVersions.map((version) => version.result), (path) => path);
    baseVersions.forEach((version, index) => {
      const { head } = wanted[index]!;
      const grouped = { ...version, result: baseResults[index]! };
      if (head) head.base = grouped;
      else removed.push(grouped);
    });
    const baseListed = !(baseTree && 'error' in baseTree);
    const imported = importedFindings(headResults.slice(changed.length), headImports, baseImports && baseListed ? { results: baseResults.slice(baseVersions.length), files: baseImports } : undefined);
    const prior = await priorComments(octokit, repository, pull.number);
    const plan = buildReview({ files: changed, imported, importNotes: [...new Set([...headImports.notes, ...(baseImports?.notes ?? [])])], removed, includedFiles: changed.length, fileListTruncated: truncated, settings: config.review, prior: prior.comments, headSha: pull.headSha });

    // the newest head the queue has received, else GitHub's: results for a superseded head are never posted
    const head = (await environment.job?.newerHead()) ?? (await withRetries(() => octokit.rest.pulls.get({ owner, repo, pull_number: pull.number }))).data.head.sha;
    if (head !== pull.headSha) {
      log.info(`superseded: head moved to ${head.slice(0, 7)}; results for ${pull.headSha.slice(0, 7)} dropped before posting`);
      await checkRun.complete({ conclusion: 'neutral', title: 'Superseded by a newer commit', summary: `The pull request's head moved to ${head} while this commit was reviewed.`, annotations: [] });
      return;
    }
    if (plan.body !== null && !prior.reviewedShas.has(pull.headSha)) await postReview(octokit, repository, pull, plan, log);
    for (const resolved of plan.resolved) {
      if (resolved.action === 'delete') await withRetries(() => octokit.rest.pulls.deleteReviewComment({ owner, repo, comment_id: resolved.id }));
      else await withRetries(() => octokit.rest.pulls.updateReviewComment({ owner, repo, comment_id: resolved.id, body: resolved.body! }));
    }
    await checkRun.complete(plan);
    log.info(`reviewed ${changed.length} file(s): ${plan.conclusion}, ${plan.findings.new.length} new finding(s), ${plan.comments.length} new comment(s), ${plan.resolved.length} resolved`);
  } catch (error) {
    if (environment.job && environment.job.retriesLeft > 0 && isTransient(error)) {
      log.warn(`review attempt failed (${(error as Error).message}); the queue tries again (${environment.job.retriesLeft} attempt(s) left)`);
      throw error;
    }
    const status = httpStatus(error);
    const reason = status === 403 || status === 404 ? `GitHub refused a request (${status}): the App may lack a permission (pull_requests: write, checks: write, contents: read). ${(error as Error).message}` : `footgun failed: ${(error as Error).message}`;
    log.error(reason);
    await checkRun.complete({ conclusion: 'failure', title: 'footgun could not finish the review', summary: reason, annotations: [] }).catch((inner: Error) => log.error(`could not complete the check run either: ${inner.message}`));
  }
}

/** One version of a file, read from GitHub and analysed (with the project files it imports); a file that could not be read carries the reason. */
async function analysed(analyze: (job: FileJob, config: Config) => Promise<FileResult>, path: string, content: FetchedFile, config: Config, imports?: ImportedFiles): Promise<FileVersion> {
  if ('error' in content) return { path, source: undefined, result: { path, error: content.error, findings: [], models: [] } };
  const source = fetchedText(content);
  const projectFiles = imports && path.endsWith('.py') ? { projectFiles: projectOf(imports, path) } : {};
  return { path, source, result: await analyze({ path, configPath: path, content: content.content, ...projectFiles }, config) };
}

/** The Python files among those fetched, as the entries the imports are read from. */
function pythonEntries(paths: readonly string[], contents: readonly FetchedFile[]): { path: string; text: string }[] {
  return contents.flatMap((content, index) => (paths[index]!.endsWith('.py') && 'content' in content ? [{ path: paths[index]!, text: fetchedText(content) }] : []));
}

function fetchedText(file: Exclude<FetchedFile, { error: string }>): string {
  return typeof file.content === 'string' ? file.content : new TextDecoder().decode(file.content);
}

/**
 * Files the pull request does not change with findings that its changed files' analysis placed
 * there (a module they import), at the head or the base, each with its version before the pull
 * request. A version that exists but was not read (a refused request, over a limit) is unknown: at
 * the head its findings are not fixed, at the base they all count as new.
 */
function importedFindings(head: readonly FileResult[], headImports: ImportedFiles, base: { results: readonly FileResult[]; files: ImportedFiles } | undefined): ChangedFile[] {
  const paths = [...new Set([...head, ...(base?.results ?? [])].map((result) => result.path))];
  const version = (files: ImportedFiles, path: string, result: FileResult | undefined): FileVersion => {
    const text = files.files.get(path);
    const error = text === null ? 'footgun could not read this version of the file' : null;
    return { path, source: text ?? undefined, result: result ?? { path, error, findings: [], models: [] } };
  };
  return paths.map((path) => ({
    ...version(headImports, path, head.find((result) => result.path === path)),
    patch: undefined,
    base: base && version(base.files, path, base.results.find((result) => result.path === path)),
  }));
}

interface PriorState {
  comments: PriorComment[];
  /** head commits footgun already posted a review for (a replayed delivery must not post twice) */
  reviewedShas: Set<string>;
}

/** footgun's own earlier comments and reviews on the pull request: only those carry its markers and come from a bot. */
async function priorComments(octokit: Octokit, { owner, repo }: Repository, pullNumber: number): Promise<PriorState> {
  const comments = (await withRetries(() => octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number: pullNumber, per_page: 100 }))) as {
    id: number;
    body: string;
    path: string;
    in_reply_to_id?: number;
    user: { type: string } | null;
  }[];
  const repliedTo = new Set(comments.map((comment) => comment.in_reply_to_id).filter((id): id is number => id !== undefined));
  const ours = comments.filter((comment) => comment.user?.type === 'Bot' && readMarker(comment.body) !== undefined);
  const reviews = (await withRetries(() => octokit.paginate(octokit.rest.pulls.listReviews, { owner, repo, pull_number: pullNumber, per_page: 100 }))) as {
    id: number;
    body: string;
    commit_id: string;
    user: { type: string } | null;
  }[];
  const ourReviews = reviews.filter((review) => review.user?.type === 'Bot' && /<!-- footgun:review [0-9a-f]+ -->/.test(review.body ?? ''));
  return {
    comments: [
      ...ours.map((comment) => ({ id: comment.id, kind: 'inline' as const, path: comment.path, fingerprints: [readMarker(comment.body)!], body: comment.body, hasReplies: repliedTo.has(comment.id) })),
      ...ourReviews.map((review) => ({ id: review.id, kind: 'review' as const, path: undefined, fingerprints: [...(review.body ?? '').matchAll(/<!-- footgun:finding ([0-9a-f]{16}) -->/g)].map((m) => m[1]!), body: review.body, hasReplies: false })),
    ],
    reviewedShas: new Set(ourReviews.map((review) => review.commit_id)),
  };
}

/** One review; if GitHub rejects an inline anchor (422), once more with the comments moved into the body. */
async function postReview(octokit: Octokit, { owner, repo }: Repository, pull: PullRequestRef, plan: ReviewPlan, log: Context['log']): Promise<void> {
  const body = `${plan.body}\n${REVIEW_MARKER(pull.headSha)}`;
  const request = (reviewBody: string, comments: ReviewPlan['comments']) =>
    withRetries(() =>
      octokit.rest.pulls.createReview({
        owner,
        repo,
        pull_number: pull.number,
        commit_id: pull.headSha,
        event: 'COMMENT',
        body: truncate(reviewBody, MAX_BODY, ''),
        comments: comments.map((comment) => ({ path: comment.path, line: comment.line, side: 'RIGHT' as const, body: comment.body })),
      }),
    );
  try {
    await request(body, plan.comments);
  } catch (error) {
    if (httpStatus(error) !== 422 || plan.comments.length === 0) throw error;
    log.warn(`GitHub rejected an inline comment (${(error as Error).message}); posting the review with the comments in its body`);
    const moved = plan.comments.map((comment) => `#### \`${comment.path}:${comment.line}\`\n\n${comment.body.replace(/```suggestion\n/g, '```python\n')}`);
    await request([plan.body, '', ...moved].join('\n\n') + `\n${REVIEW_MARKER(pull.headSha)}`, []);
  }
}

/**
 * Ends a review that did not run to its end (its job kept failing, the process stopped, or a newer
 * push replaced its commit after an earlier attempt had started it): the check run, started or not, says why.
 */
export async function endUnfinishedReview(octokit: Octokit, repository: Repository, headSha: string, checkRunId: number | undefined, outcome: { conclusion: 'failure' | 'cancelled' | 'neutral'; title: string; summary: string }): Promise<void> {
  await new ReviewCheckRun(octokit, repository, headSha, { id: checkRunId }).complete({ ...outcome, annotations: [] });
}

type CheckRunOutcome = Pick<ReviewPlan, 'title' | 'summary' | 'annotations'> & { conclusion: ReviewPlan['conclusion'] | 'action_required' | 'failure' | 'cancelled' | 'neutral' };

/**
 * The check run of one review. It is created in progress only once the review has taken longer
 * than a set time (or at once, when an earlier attempt of the job created it, that one is reused);
 * a review done sooner creates it completed, with its output, in a single request.
 */
class ReviewCheckRun {
  private id: number | undefined;
  private creating: Promise<number | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly job: ReviewJobHooks | undefined;
  private readonly log: Context['log'] | undefined;

  constructor(
    private readonly octokit: Octokit,
    private readonly repository: Repository,
    private readonly headSha: string,
    /** `id`: the check run an earlier attempt created */
    options: { id?: number; job?: ReviewJobHooks; log?: Context['log'] },
  ) {
    this.id = options.id;
    this.job = options.job;
    this.log = options.log;
  }

  showInProgress(afterMs: number): void {
    if (this.id !== undefined) return;
    if (afterMs <= 0) this.startInProgress();
    else this.timer = setTimeout(() => this.startInProgress(), afterMs);
  }

  private startInProgress(): void {
    const { owner, repo } = this.repository;
    this.creating ??= withRetries(() => this.octokit.rest.checks.create({ owner, repo, name: CHECK_NAME, head_sha: this.headSha, status: 'in_progress', started_at: new Date().toISOString() }))
      .then(async (response) => {
        this.id = response.data.id;
        await this.job?.recordCheckRun(this.id);
        return this.id;
      })
      // the review goes on; its end creates the check run instead
      .catch((error: Error) => {
        this.log?.warn(`could not create the in-progress check run: ${error.message}`);
        return undefined;
      });
  }

  async complete(outcome: CheckRunOutcome): Promise<void> {
    clearTimeout(this.timer);
    // more annotations than one request takes: the run is shown in progress while they are added
    if (this.id === undefined && outcome.annotations.length > ANNOTATIONS_PER_REQUEST) this.startInProgress();
    const id = this.id ?? (await this.creating);
    const { owner, repo } = this.repository;
    const summary = truncate(outcome.summary, MAX_SUMMARY, '…');
    const batches: ReviewPlan['annotations'][] = [];
    for (let i = 0; i < outcome.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(outcome.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
    const completed = {
      status: 'completed' as const,
      conclusion: outcome.conclusion,
      completed_at: new Date().toISOString(),
      output: { title: outcome.title, summary, annotations: batches[0] ?? [] },
      ...(outcome.conclusion === 'action_required' ? { details_url: CONFIG_DOCS_URL } : {}),
    };
    if (id !== undefined) {
      // annotations beyond the first batch go first: the run is complete only once all are there
      for (const batch of batches.slice(1)) {
        await withRetries(() => this.octokit.rest.checks.update({ owner, repo, check_run_id: id, output: { title: outcome.title, summary, annotations: batch } }));
      }
      await withRetries(() => this.octokit.rest.checks.update({ owner, repo, check_run_id: id, ...completed }));
      return;
    }
    const created = await withRetries(() => this.octokit.rest.checks.create({ owner, repo, name: CHECK_NAME, head_sha: this.headSha, ...completed }));
    this.id = created.data.id;
    await this.job?.recordCheckRun(this.id);
  }
}
