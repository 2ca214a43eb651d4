import type { PullRequestRef, Repository } from '../app/review-pull-request.js';

/**
 * One review to make, as a webhook delivery asks for it. Plain data: it travels through Redis.
 * `pull` reviews the given head; `rerun` (a re-run of the check) reviews the pull request's
 * current head, which the worker looks up.
 */
export type ReviewJob = PullJob | RerunJob;

interface JobBase {
  installationId: number;
  repository: Repository;
  deliveryId: string;
  /** when the webhook arrived (ms since the epoch): the start of the review's latency */
  receivedAt: number;
}

export interface PullJob extends JobBase {
  kind: 'pull';
  /** the webhook action: opened, synchronize, reopened, ready_for_review */
  action: string;
  pull: PullRequestRef;
  /** the pull request's `updated_at` in the payload (ms): orders pushes that arrive out of order */
  updatedAt: number;
}

export interface RerunJob extends JobBase {
  kind: 'rerun';
  number: number;
  /** the commit whose check was re-run */
  headSha: string;
}

/** Names one pull request of one repository. */
export function pullKey(repository: Repository, number: number): string {
  return `${repository.owner}/${repository.repo}#${number}`;
}

export function pullNumberOf(job: ReviewJob): number {
  return job.kind === 'pull' ? job.pull.number : job.number;
}

export function headShaOf(job: ReviewJob): string {
  return job.kind === 'pull' ? job.pull.headSha : job.headSha;
}

/**
 * The job's identity: repository, pull request and head commit, so that a redelivered webhook or
 * a second web instance finds the job already there. Marking a draft ready and re-running the
 * check are new requests for a commit that may already be reviewed: their delivery id makes them
 * distinct (and a redelivery of the same request still the same). BullMQ ids may not contain ':'.
 */
export function reviewJobId(job: ReviewJob): string {
  const base = `${pullKey(job.repository, pullNumberOf(job))}@${headShaOf(job)}`;
  const distinct = job.kind === 'rerun' || job.action === 'ready_for_review';
  return (distinct ? `${base}~${job.deliveryId}` : base).replaceAll(':', '_');
}

/** A short description for logs: `owner/repo#12@abc1234`. */
export function describeJob(job: ReviewJob): string {
  return `${pullKey(job.repository, pullNumberOf(job))}@${headShaOf(job).slice(0, 7)}${job.kind === 'rerun' ? ' (re-run)' : ''}`;
}
