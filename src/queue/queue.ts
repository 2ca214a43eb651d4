import type { ReviewJob } from './review-job.js';

/** How a queue handles a delivery. */
export type EnqueueOutcome = 'queued' | 'duplicate-delivery' | 'duplicate-job';

/** What a worker knows about the attempt it runs. */
export interface JobAttempt {
  /** 1 for the first attempt */
  number: number;
  /** attempts the queue still makes if this one throws */
  retriesLeft: number;
  /** the check run an earlier attempt started */
  checkRunId?: number;
  /** an earlier attempt started and never ended (its worker died): it may have started a check run it could not record */
  resumed: boolean;
  /** keeps the check run with the job, for a retry or another worker */
  recordCheckRun(id: number): Promise<void>;
  /** the newest head the queue has received for the job's pull request, when it is not the job's */
  newerHead(): Promise<string | undefined>;
}

/** The work behind the queue: run a review, and end one that will not be run again. */
export interface JobHandlers {
  /** Runs one attempt; throwing asks for another attempt (with back-off) while retries are left. */
  run(job: ReviewJob, attempt: JobAttempt): Promise<JobResult>;
  /** The job failed for good (retries used up, or its worker kept dying): say so on its check run. */
  failed(job: ReviewJob, checkRunId: number | undefined, reason: string): Promise<void>;
  /** The process stops before the job could finish: say so on its check run. */
  abandoned(job: ReviewJob, checkRunId: number | undefined): Promise<void>;
}

/** How a job ended, for logs and metrics. */
export type JobResult = 'reviewed' | 'superseded';

export interface QueueHealth {
  ok: boolean;
  /** why not, or what backs the queue */
  detail: string;
  /** jobs by state */
  depth: Record<string, number>;
}

export interface WorkerOptions {
  /** reviews in progress at once (they mostly wait on GitHub; analysis has its own pool) */
  concurrency: number;
}

/**
 * Where webhook deliveries become review jobs and workers take them. In one process it is held in
 * memory; with REDIS_URL it is BullMQ on Redis, shared by every web and worker instance.
 */
export interface ReviewQueue {
  readonly kind: 'memory' | 'redis';
  /**
   * Remembers the delivery and queues its review once. Throws QueueUnavailableError when the job
   * cannot be stored: the webhook is then answered 503 and GitHub records a failed delivery.
   */
  enqueue(job: ReviewJob): Promise<EnqueueOutcome>;
  /** Starts taking jobs in this process. */
  work(handlers: JobHandlers, options: WorkerOptions): void;
  health(): Promise<QueueHealth>;
  /**
   * Stops taking jobs and waits up to `drainMs` for those in progress. In memory, jobs still in
   * progress then are abandoned (their check runs say so) and waiting ones are listed in the log;
   * on Redis they stay in the queue for another worker.
   */
  close(drainMs: number): Promise<void>;
}

/** The queue cannot take the job now (Redis is down): the HTTP answer is 503, so GitHub can redeliver. */
export class QueueUnavailableError extends Error {
  readonly status = 503;
  constructor(reason: string) {
    super(`the review queue is unavailable (${reason}); GitHub can redeliver this webhook`);
    this.name = 'QueueUnavailableError';
  }
}

/** Waits between attempts: 5 s, 10 s, 20 s, … (the back-off of both queues). */
export const RETRY_BASE_DELAY_MS = 5000;
/** Attempts of a job before it fails for good. */
export const JOB_ATTEMPTS = 4;
