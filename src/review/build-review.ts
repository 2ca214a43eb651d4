import type { FileResult, Finding } from '../analyze.js';
import type { ReviewSettings } from '../config/config.js';
import type { Severity } from '../rules/rule.js';
import { SEVERITY_RANK } from '../rules/rule.js';
import { commentableLines } from './diff.js';
import { fingerprints } from './fingerprint.js';
import { commentBody, fixedCommentBody, isMarkedFixed, reviewBody } from './render.js';
import { checkSummary } from './summary.js';

/** A changed Python file of the pull request, analysed. */
export interface ChangedFile {
  path: string;
  /** the unified diff GitHub gives for the file; undefined when it gives none (huge diff, binary) */
  patch: string | undefined;
  /** the file's text at the head commit, for suggestions and fingerprints */
  source: string | undefined;
  result: FileResult;
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
  /** Python files the configuration includes among the changed files (0: a neutral check) */
  pythonFiles: number;
  /** GitHub lists at most 3,000 files of a pull request */
  fileListTruncated: boolean;
  settings: ReviewSettings;
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
}

export interface PlacedFinding {
  file: ChangedFile;
  finding: Finding;
  fingerprint: string;
}

const LEVEL: Record<Severity, Annotation['annotation_level']> = { error: 'failure', warning: 'warning', info: 'notice' };

/**
 * Turns the analysis of a pull request's files into the review footgun posts: the same module
 * serves the GitHub App and `footgun review`, so both say exactly the same thing.
 */
export function buildReview(input: ReviewInput): ReviewPlan {
  const { settings } = input;
  const placed: PlacedFinding[] = input.files.flatMap((file) => {
    const prints = fingerprints(file.path, file.result.findings, file.source);
    return file.result.findings.map((finding, index) => ({ file, finding, fingerprint: prints[index]! }));
  });
  const alreadySaid = new Set(input.prior.flatMap((prior) => prior.fingerprints));
  const current = new Set(placed.map((p) => p.fingerprint));

  const commentable = new Map(input.files.map((file) => [file.path, commentableLines(file.patch)]));
  const worthComment = placed.filter((p) => SEVERITY_RANK[p.finding.severity] >= SEVERITY_RANK[settings.comment_min_severity] && !alreadySaid.has(p.fingerprint));
  const inDiff = worthComment.filter((p) => commentable.get(p.file.path)!.has(p.finding.line));
  const outsideDiff = worthComment.filter((p) => !commentable.get(p.file.path)!.has(p.finding.line));
  inDiff.sort((a, b) => SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] || a.file.path.localeCompare(b.file.path) || a.finding.line - b.finding.line);
  const inline = inDiff.slice(0, settings.max_comments);
  const overflow = inDiff.slice(settings.max_comments);

  const comments = inline.map((p) => ({ path: p.file.path, line: p.finding.line, severity: p.finding.severity, body: commentBody(p) }));
  const bodyItems = { outsideDiff, overflow };
  const body = comments.length > 0 || outsideDiff.length > 0 || overflow.length > 0 ? reviewBody(placed, bodyItems, input) : null;

  const analysedPaths = new Set(input.files.filter((file) => !file.result.error).map((file) => file.path));
  const resolved = input.prior
    .filter((prior) => prior.kind === 'inline' && prior.path !== undefined && analysedPaths.has(prior.path) && !isMarkedFixed(prior.body))
    .filter((prior) => prior.fingerprints.every((fingerprint) => !current.has(fingerprint)))
    .map((prior) => (prior.hasReplies ? { id: prior.id, action: 'mark-fixed' as const, body: fixedCommentBody(prior.body, input.headSha) } : { id: prior.id, action: 'delete' as const }));

  const failing = settings.fail_on !== 'never' && placed.some((p) => SEVERITY_RANK[p.finding.severity] >= SEVERITY_RANK[settings.fail_on as Severity]);
  const conclusion = input.pythonFiles === 0 ? 'neutral' : failing ? 'failure' : 'success';
  const { title, summary } = checkSummary(input, placed, conclusion);
  return { comments, body, conclusion, title, summary, annotations: placed.map(annotation), resolved };
}

function annotation({ file, finding }: PlacedFinding): Annotation {
  const sameLine = finding.line === finding.endLine;
  return {
    path: file.path,
    start_line: finding.line,
    end_line: finding.endLine,
    ...(sameLine ? { start_column: finding.column, end_column: finding.endColumn } : {}),
    annotation_level: LEVEL[finding.severity],
    title: `${finding.rule} (${finding.severity})`,
    message: finding.message,
  };
}
