import type { Logger } from 'probot';
import type { EnqueueOutcome, JobAttempt, JobHandlers, QueueHealth, ReviewQueue, WorkerOptions } from './queue.js';
import { JOB_ATTEMPTS, RETRY_BASE_DELAY_MS } from './queue.js';
import type { ReviewJob } from './review-job.js';
import { describeJob, headShaOf, pullKey, pullNumberOf, reviewJobId } from './review-job.js';

/** How many delivery ids, finished job ids and pull-request heads one process remembers. */
const REMEMBERED = 10_000;

interface Entry {
  id: string;
  job: ReviewJob;
  attempts: number;
  checkRunId?: number;
}

export interface MemoryQueueOptions {
  log: Logger;
  attempts?: number;
  retryBaseDelayMs?: number;
}

/**
 * The queue of one process (`npm start` without REDIS_URL): the webhook handler only enqueues and
 * answers; reviews run here, `concurrency` at a time. A job waiting for a pull request whose head
 * moved on is dropped as soon as the newer push arrives.
 */
export class MemoryQueue implements ReviewQueue {
  readonly kind = 'memory';
  private readonly log: Logger;
  private readonly attempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly deliveries = new Set<string>();
  private readonly finished = new Set<string>();
  private readonly heads = new Map<string, { sha: string; updatedAt: number }>();
  private readonly waiting: Entry[] = [];
  private readonly delayed = new Map<Entry, NodeJS.Timeout>();
  private readonly active = new Map<Entry, Promise<void>>();
  private handlers?: JobHandlers;
  private concurrency = 0;
  private closing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: MemoryQueueOptions) {
    this.log = options.log;
    this.attempts = options.attempts ?? JOB_ATTEMPTS;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? RETRY_BASE_DELAY_MS;
  }

  async enqueue(job: ReviewJob): Promise<EnqueueOutcome> {
    if (this.deliveries.has(job.deliveryId)) return 'duplicate-delivery';
    remember(this.deliveries, job.deliveryId);
    const id = reviewJobId(job);
    if (this.finished.has(id) || this.known(id)) return 'duplicate-job';
    if (job.kind === 'pull') this.recordHead(job);
    this.waiting.push({ id, job, attempts: 0 });
    this.dropSuperseded();
    this.pump();
    return 'queued';
  }

  work(handlers: JobHandlers, options: WorkerOptions): void {
    this.handlers = handlers;
    this.concurrency = Math.max(1, options.concurrency);
    this.pump();
  }

  async health(): Promise<QueueHealth> {
    return { ok: !this.closing, detail: this.closing ? 'shutting down' : 'in memory (one process)', depth: { waiting: this.waiting.length, active: this.active.size, delayed: this.delayed.size } };
  }

  /** Resolves when no job is waiting, delayed or running. */
  idle(): Promise<void> {
    if (this.waiting.length + this.delayed.size + this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(drainMs: number): Promise<void> {
    this.closing = true;
    for (const [entry, timer] of this.delayed) {
      clearTimeout(timer);
      this.waiting.push(entry);
    }
    this.delayed.clear();
    if (this.active.size > 0) {
      this.log.info(`waiting up to ${Math.round(drainMs / 1000)} s for ${this.active.size} review(s) in progress`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(this.active.values()), new Promise((resolve) => (timer = setTimeout(resolve, drainMs)))]);
      clearTimeout(timer);
    }
    for (const entry of this.active.keys()) {
      this.log.warn(`review of ${describeJob(entry.job)} abandoned at shutdown; its check run says so and can be re-run`);
      await this.handlers?.abandoned(entry.job, entry.checkRunId).catch((error: Error) => this.log.error(`could not mark the check run of ${describeJob(entry.job)}: ${error.message}`));
    }
    for (const entry of this.waiting.splice(0)) {
      this.log.warn(`review of ${describeJob(entry.job)} not started before shutdown: dropped (push again or re-run the check)`);
    }
  }

  private known(id: string): boolean {
    return this.waiting.some((entry) => entry.id === id) || [...this.delayed.keys(), ...this.active.keys()].some((entry) => entry.id === id);
  }

  /** Keeps the newest push of each pull request; a redelivered older push does not win. */
  private recordHead(job: Extract<ReviewJob, { kind: 'pull' }>): void {
    const key = pullKey(job.repository, job.pull.number);
    const current = this.heads.get(key);
    if (current && current.updatedAt > job.updatedAt) return;
    this.heads.delete(key);
    this.heads.set(key, { sha: job.pull.headSha, updatedAt: job.updatedAt });
    if (this.heads.size > REMEMBERED) this.heads.delete(this.heads.keys().next().value!);
  }

  private newerHead(job: ReviewJob): string | undefined {
    const latest = this.heads.get(pullKey(job.repository, pullNumberOf(job)))?.sha;
    return latest !== undefined && latest !== headShaOf(job) && job.kind === 'pull' ? latest : undefined;
  }

  private dropSuperseded(): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const entry = this.waiting[i]!;
      const newer = this.newerHead(entry.job);
      if (newer === undefined) continue;
      this.waiting.splice(i, 1);
      this.finish(entry);
      this.log.info(`superseded: ${describeJob(entry.job)} dropped before review (the head moved to ${newer.slice(0, 7)})`);
    }
  }

  private pump(): void {
    while (!this.closing && this.handlers && this.active.size < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      this.active.set(entry, this.runAttempt(entry, this.handlers));
    }
    if (this.waiting.length + this.delayed.size + this.active.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async runAttempt(entry: Entry, handlers: JobHandlers): Promise<void> {
    entry.attempts++;
    const attempt: JobAttempt = {
      number: entry.attempts,
      retriesLeft: this.attempts - entry.attempts,
      checkRunId: entry.checkRunId,
      resumed: false,
      recordCheckRun: async (id) => void (entry.checkRunId = id),
      newerHead: async () => this.newerHead(entry.job),
    };
    try {
      await handlers.run(entry.job, attempt);
      this.finish(entry);
    } catch (error) {
      const reason = (error as Error).message;
      if (attempt.retriesLeft > 0 && !this.closing) {
        const delay = this.retryBaseDelayMs * 2 ** (entry.attempts - 1);
        this.log.warn(`review of ${describeJob(entry.job)} failed (${reason}); attempt ${entry.attempts + 1} of ${this.attempts} in ${Math.round(delay / 1000)} s`);
        this.delayed.set(
          entry,
          setTimeout(() => {
            this.delayed.delete(entry);
            this.waiting.push(entry);
            this.pump();
          }, delay),
        );
      } else if (this.closing) {
        await handlers.abandoned(entry.job, entry.checkRunId).catch((inner: Error) => this.log.error(`could not mark the check run of ${describeJob(entry.job)}: ${inner.message}`));
      } else {
        this.finish(entry);
        this.log.error(`review of ${describeJob(entry.job)} failed after ${entry.attempts} attempt(s): ${reason}`);
        await handlers.failed(entry.job, entry.checkRunId, reason).catch((inner: Error) => this.log.error(`could not report the failure of ${describeJob(entry.job)}: ${inner.message}`));
      }
    } finally {
      this.active.delete(entry);
      this.pump();
    }
  }

  private finish(entry: Entry): void {
    remember(this.finished, entry.id);
  }
}

function remember(set: Set<string>, value: string): void {
  set.add(value);
  if (set.size > REMEMBERED) set.delete(set.values().next().value!);
}
