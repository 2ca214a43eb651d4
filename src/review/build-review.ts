import type { FileResult, Finding } from '../analyze.js';
import type { ReviewSettings } from '../config/config.js';
import type { Severity } from '../rules/rule.js';
import { SEVERITY_RANK } from '../rules/rule.js';
import type { ModelChange } from './architecture.js';
import { architectureFingerprint, architectureMarkdown, diffModels } from './architecture.js';
import { causeLine, classifyFindings } from './classify.js';
import type { PatchLines } from './diff.js';
import { patchLines } from './diff.js';
import { fingerprints } from './fingerprint.js';
import { commentBody, fixedCommentBody, isMarkedFixed, reviewBody } from './render.js';
import { checkSummary } from './summary.js';

/** One version of a file, analysed. */
export interface FileVersion {
  path: string;
  /** the file's text, for suggestions and for the identity of findings about no model */
  source: string | undefined;
  result: FileResult;
}

/** A file the pull request adds or changes, analysed at its head, with the version before the change. */
export interface ChangedFile extends FileVersion {
  /** the unified diff GitHub gives for the file; undefined when it gives none (huge diff, binary) */
  patch: string | undefined;
  /**
   * The file before the pull request (at its old path when renamed): null when the pull request
   * adds it; undefined when the old version is not known, and every finding counts as new.
   */
  base?: FileVersion | null;
}

/** A comment (or a review body) footgun wrote on an earlier push. */
export interface PriorComment {
  id: number;
  kind: 'inline' | 'review';
  path: string | undefined;
  fingerprints: string[];
  body: string;
  hasReplies: boolean;
}

export interface ReviewInput {
  files: ChangedFile[];
  /**
   * Files the pull request does not change, with findings there because a changed file imports them
   * (a softmax in models.py that train.py's new loss makes wrong): in the check run, never inline.
   */
  imported?: ChangedFile[];
  /** what footgun could not read of the files the changed files import */
  importNotes?: string[];
  /** files the pull request deletes, as they were: their models are listed as removed */
  removed?: FileVersion[];
  /** changed files the configuration includes (0 and nothing removed: a neutral check) */
  includedFiles: number;
  /** GitHub lists at most 3,000 files of a pull request */
  fileListTruncated: boolean;
  settings: ReviewSettings;
  /** footgun's earlier comments and reviews, in the order GitHub lists them (oldest first) */
  prior: PriorComment[];
  headSha: string;
}

export interface InlineComment {
  path: string;
  line: number;
  body: string;
  severity: Severity;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

/** A finding with its file, as `footgun review --format json` lists it. */
export type ReviewedFinding = Omit<Finding, 'trace'> & { path: string };

export interface ReviewPlan {
  /** new inline comments, at most `max_comments`, highest severity first */
  comments: InlineComment[];
  /** the review's body; null when there is nothing new to say (no review is posted) */
  body: string | null;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: Annotation[];
  /** earlier inline comments whose finding is gone: deleted, or marked fixed when someone replied */
  resolved: { id: number; action: 'delete' | 'mark-fixed'; body?: string }[];
  /** every finding of the changed files, by what the pull request did to it */
  findings: { new: ReviewedFinding[]; existing: ReviewedFinding[]; fixed: ReviewedFinding[] };
  /** new findings below `review.comment_min_severity`: annotations only */
  belowThreshold: ReviewedFinding[];
  /** the models the pull request adds, removes or changes */
  architecture: ModelChange[];
}

export interface PlacedFinding {
  file: ChangedFile;
  finding: Finding;
  fingerprint: string;
  status: 'new' | 'existing';
  /** the changed line a new finding belongs on (its own, or the line whose change caused it) */
  anchor?: number;
  /** the changed file `anchor` is in, when it is not the finding's own: a line there causes it (the loss in train.py that makes models.py's softmax wrong) */
  anchorFile?: ChangedFile;
}

const LEVEL: Record<Severity, Annotation['annotation_level']> = { error: 'failure', warning: 'warning', info: 'notice' };

const ARCHITECTURE_MARKER = /<!-- footgun:architecture ([0-9a-f]{16}) -->/;

export function architectureMarker(hash: string): string {
  return `<!-- footgun:architecture ${hash} -->`;
}

/**
 * Turns the analysis of a pull request's files into the review footgun posts: the same module
 * serves the GitHub App and `footgun review`, so both say exactly the same thing.
 *
 * Each head finding is new (the pull request introduced it) or existing (the base version has it
 * too); base findings the head no longer has are fixed. `review.filter` decides which new findings
 * the review reports: `added` (default) those on added or modified lines, or caused by such a
 * line elsewhere (placed on the line that caused them); `diff_context` also those on the diff's
 * context lines; `file` every new finding of a changed file (in the review body when GitHub cannot
 * anchor it); `all` also lists the existing findings in the body. Existing findings are never
 * inline comments. The check run has every finding, and fails on new ones only unless
 * `review.fail_on_existing` is set.
 */
export function buildReview(input: ReviewInput): ReviewPlan {
  const { settings } = input;
  const patches = new Map<ChangedFile, PatchLines>(input.files.map((file) => [file, patchLines(file.patch)]));
  const placed: PlacedFinding[] = [];
  const fixed: { file: ChangedFile; finding: Finding }[] = [];
  const imported = new Set(input.imported);
  const changedByPath = new Map(input.files.map((file) => [file.path, file]));
  for (const file of [...input.files, ...imported]) {
    const prints = fingerprints(file.path, file.result.findings, file.source);
    const lines = patches.get(file) ?? patchLines(undefined);
    const known = file.base === null || (file.base !== undefined && !file.base.result.error);
    const classification = file.base && known ? classifyFindings({ findings: file.result.findings, source: file.source }, { findings: file.base.result.findings, source: file.base.source }, lines) : undefined;
    file.result.findings.forEach((finding, index) => {
      const status = classification?.status[index] ?? 'new';
      const own = status === 'new' && !imported.has(file) ? placement(finding, lines, settings.filter, known) : undefined;
      const elsewhere = status === 'new' && own === undefined && known ? causeInOtherFile(finding, changedByPath, patches) : undefined;
      const anchor = own === undefined ? (elsewhere === undefined ? {} : { anchor: elsewhere.line, anchorFile: elsewhere.file }) : { anchor: own };
      placed.push({ file, finding, fingerprint: prints[index]!, status, ...anchor });
    });
    // a head version footgun could not fully analyse has lost findings it may still have
    if (!file.result.error) for (const finding of classification?.fixed ?? []) fixed.push({ file, finding });
  }
  const fresh = placed.filter((p) => p.status === 'new');
  const existing = placed.filter((p) => p.status === 'existing');

  const alreadySaid = new Set(input.prior.flatMap((prior) => prior.fingerprints));
  const current = new Set(placed.map((p) => p.fingerprint));
  const worthComment = (p: PlacedFinding) => SEVERITY_RANK[p.finding.severity] >= SEVERITY_RANK[settings.comment_min_severity];
  const toSay = fresh.filter((p) => worthComment(p) && !alreadySaid.has(p.fingerprint));
  const inline = toSay.filter((p) => p.anchor !== undefined && patches.get(p.anchorFile ?? p.file)!.commentable.has(p.anchor));
  const unanchored = settings.filter === 'file' || settings.filter === 'all' ? toSay.filter((p) => !inline.includes(p) && !imported.has(p.file)) : [];
  inline.sort((a, b) => SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] || (a.anchorFile ?? a.file).path.localeCompare((b.anchorFile ?? b.file).path) || a.anchor! - b.anchor!);
  const commented = inline.slice(0, settings.max_comments);
  const overflow = inline.slice(settings.max_comments);

  const architecture = [
    ...input.files.filter((file) => file.base !== undefined && !file.base?.result.error && !file.result.error).flatMap((file) => diffModels(file.path, file.base?.result.models ?? [], file.result.models)),
    ...(input.removed ?? []).flatMap((file) => diffModels(file.path, file.result.models, [])),
  ].filter((change) => (change.after ?? change.before)!.role === 'model');
  const architectureText = architectureMarkdown(architecture);
  const architectureHash = architecture.length > 0 ? architectureFingerprint(architecture) : undefined;
  const lastArchitecture = input.prior.filter((prior) => prior.kind === 'review').map((prior) => ARCHITECTURE_MARKER.exec(prior.body)?.[1]).at(-1);
  const architectureNews = architectureHash !== undefined && architectureHash !== lastArchitecture;

  const comments = commented.map((p) => ({ path: (p.anchorFile ?? p.file).path, line: p.anchor!, severity: p.finding.severity, body: commentBody(p) }));
  const bodyItems = { outsideDiff: unanchored, overflow, existing, listExisting: settings.filter === 'all', fixed };
  const hasNews = comments.length > 0 || unanchored.length > 0 || overflow.length > 0 || architectureNews;
  const body = hasNews ? reviewBody(fresh, bodyItems, architectureText, input) + (architectureHash ? `\n${architectureMarker(architectureHash)}` : '') : null;

  const analysedPaths = new Set(input.files.filter((file) => !file.result.error).map((file) => file.path));
  const resolved = input.prior
    .filter((prior) => prior.kind === 'inline' && prior.path !== undefined && analysedPaths.has(prior.path) && !isMarkedFixed(prior.body))
    .filter((prior) => prior.fingerprints.every((fingerprint) => !current.has(fingerprint)))
    .map((prior) => (prior.hasReplies ? { id: prior.id, action: 'mark-fixed' as const, body: fixedCommentBody(prior.body, input.headSha) } : { id: prior.id, action: 'delete' as const }));

  const counted = settings.fail_on_existing ? placed : fresh;
  const failing = settings.fail_on !== 'never' && counted.some((p) => SEVERITY_RANK[p.finding.severity] >= SEVERITY_RANK[settings.fail_on as Severity]);
  const conclusion = input.includedFiles === 0 && (input.removed ?? []).length === 0 ? 'neutral' : failing ? 'failure' : 'success';
  const { title, summary } = checkSummary(input, { fresh, existing, fixed, architecture }, conclusion);
  // as `footgun check --format json` has them: the trace only serves placing comments
  const entry = ({ file, finding: { trace: _trace, ...finding } }: { file: FileVersion; finding: Finding }): ReviewedFinding => ({ path: file.path, ...finding });
  return {
    comments,
    body,
    conclusion,
    title,
    summary,
    annotations: placed.map(annotation),
    resolved,
    findings: { new: fresh.map(entry), existing: existing.map(entry), fixed: fixed.map(entry) },
    belowThreshold: fresh.filter((p) => !worthComment(p)).map(entry),
    architecture,
  };
}

/**
 * The line of the diff a new finding goes on under the filter, if any. Only a finding known to be
 * new (the old version was analysed) is traced to a changed line that caused it.
 */
function placement(finding: Finding, lines: PatchLines, filter: ReviewSettings['filter'], traced: boolean): number | undefined {
  if (filter !== 'added' && lines.commentable.has(finding.line)) return finding.line;
  return traced ? causeLine(finding, lines.added) : lines.added.has(finding.line) ? finding.line : undefined;
}

/** A changed line of another changed file that the finding names as related (its loss, its output layer), if the change added it. */
function causeInOtherFile(finding: Finding, changed: ReadonlyMap<string, ChangedFile>, patches: ReadonlyMap<ChangedFile, PatchLines>): { file: ChangedFile; line: number } | undefined {
  for (const related of finding.related) {
    const file = related.path === undefined ? undefined : changed.get(related.path);
    if (file && patches.get(file)!.added.has(related.line)) return { file, line: related.line };
  }
  return undefined;
}

function annotation({ file, finding, status }: PlacedFinding): Annotation {
  const sameLine = finding.line === finding.endLine;
  return {
    path: file.path,
    start_line: finding.line,
    end_line: finding.endLine,
    ...(sameLine ? { start_column: finding.column, end_column: finding.endColumn } : {}),
    annotation_level: LEVEL[finding.severity],
    title: `${finding.rule} (${finding.severity}${status === 'existing' ? ', already there before this pull request' : ''})`,
    message: finding.message,
  };
}
