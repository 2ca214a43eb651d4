import type { Job } from 'bullmq';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'probot';
import type { EnqueueOutcome, JobAttempt, JobHandlers, QueueHealth, ReviewQueue, WorkerOptions } from './queue.js';
import { JOB_ATTEMPTS, QueueUnavailableError, RETRY_BASE_DELAY_MS } from './queue.js';
import type { ReviewJob } from './review-job.js';
import { describeJob, headShaOf, pullKey, pullNumberOf, reviewJobId } from './review-job.js';

export const QUEUE_NAME = 'footgun-reviews';
/** How long a delivery id, a finished job and a pull request's head are remembered. */
const REMEMBER_SECONDS = 24 * 60 * 60;
/** A webhook waits at most this long for Redis before it is answered 503. */
const ENQUEUE_TIMEOUT_MS = 3000;
/** Jobs started this many times beyond their attempts (their worker died each time) fail for good. */
const EXTRA_STARTS = 2;

type StoredJob = ReviewJob & { checkRunId?: number };

/** Sets the pull request's head unless a push with a later `updated_at` is already recorded. */
const RECORD_HEAD = `
local current = redis.call('HGET', KEYS[1], 'updatedAt')
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1], 'sha', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

export interface RedisQueueOptions {
  url: string;
  log: Logger;
  /** after this long without a heartbeat, a job's worker is taken for dead and another takes the job (BullMQ's stalled-job check) */
  lockMs?: number;
  retryBaseDelayMs?: number;
  attempts?: number;
}

/**
 * The queue on Redis (REDIS_URL), shared by every instance: BullMQ carries the jobs; deliveries
 * seen and each pull request's newest head are Redis keys. The job id makes a second enqueue of
 * the same review a no-op; a job whose worker dies is taken again by another after `lockMs`.
 */
export class RedisQueue implements ReviewQueue {
  readonly kind = 'redis';
  private readonly log: Logger;
  private readonly url: string;
  private readonly lockMs: number;
  private readonly retryBaseDelayMs: number;
  private readonly attempts: number;
  /** commands that fail fast when Redis is down (a webhook must not wait for it) */
  private readonly client: Redis;
  private readonly queue: Queue;
  private readonly queueConnection: Redis;
  private worker?: Worker;
  private workerConnection?: Redis;
  private lastError = '';

  constructor(options: RedisQueueOptions) {
    this.log = options.log;
    this.url = options.url;
    this.lockMs = options.lockMs ?? 30_000;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? RETRY_BASE_DELAY_MS;
    this.attempts = options.attempts ?? JOB_ATTEMPTS;
    this.client = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.client.on('error', (error: Error) => this.noteError(error));
    this.client.on('ready', () => {
      if (this.lastError) this.log.info('Redis is reachable again');
      this.lastError = '';
    });
    // BullMQ's own client keeps its commands while Redis is away (it checks the server at start);
    // enqueue bounds the wait with ENQUEUE_TIMEOUT_MS
    const queueConnection = (this.queueConnection = new Redis(options.url, { maxRetriesPerRequest: 3 }));
    queueConnection.on('error', (error: Error) => this.noteError(error));
    this.queue = new Queue(QUEUE_NAME, { connection: queueConnection });
    this.queue.on('error', (error: Error) => this.noteError(error));
  }

  async enqueue(job: ReviewJob): Promise<EnqueueOutcome> {
    const deliveryKey = `footgun:delivery:${job.deliveryId}`;
    try {
      return await withTimeout(ENQUEUE_TIMEOUT_MS, async () => {
        if ((await this.client.set(deliveryKey, '1', 'EX', REMEMBER_SECONDS, 'NX')) === null) return 'duplicate-delivery';
        try {
          const id = reviewJobId(job);
          if (job.kind === 'pull') await this.client.eval(RECORD_HEAD, 1, headKey(job), job.updatedAt, job.pull.headSha, REMEMBER_SECONDS);
          if (await this.queue.getJob(id)) return 'duplicate-job';
          await this.queue.add('review', job, {
            jobId: id,
            attempts: this.attempts,
            backoff: { type: 'exponential', delay: this.retryBaseDelayMs },
            removeOnComplete: { age: REMEMBER_SECONDS },
            removeOnFail: { age: 7 * REMEMBER_SECONDS },
          });
          return 'queued';
        } catch (error) {
          // the delivery was not queued: let GitHub's redelivery through
          await this.client.del(deliveryKey).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      throw new QueueUnavailableError(this.reasonFor(error));
    }
  }

  work(handlers: JobHandlers, options: WorkerOptions): void {
    // a worker's blocking connection must retry forever: it waits out Redis restarts and reconnects
    const connection = (this.workerConnection = new Redis(this.url, { maxRetriesPerRequest: null }));
    connection.on('error', (error: Error) => this.noteError(error));
    this.worker = new Worker<StoredJob>(QUEUE_NAME, (job) => this.process(job, handlers), {
      connection,
      concurrency: Math.max(1, options.concurrency),
      lockDuration: this.lockMs,
      stalledInterval: Math.max(1000, Math.round(this.lockMs / 2)),
      // a job whose worker keeps dying fails through `maxStartedAttempts`, in a live worker that reports it
      maxStalledCount: this.attempts + EXTRA_STARTS + 1,
      maxStartedAttempts: this.attempts + EXTRA_STARTS,
    });
    this.worker.on('error', (error: Error) => this.noteError(error));
    this.worker.on('stalled', (id: string) => this.log.warn(`job ${id} lost its worker (stalled); it is queued again for another`));
    this.worker.on('failed', (job: Job<StoredJob> | undefined, error: Error) => {
      if (!job || !job.finishedOn) return;
      const reason = /started more than allowable limit/.test(error.message) ? `its worker stopped ${job.attemptsStarted - 1} time(s) while reviewing it` : error.message;
      this.log.error(`review of ${describeJob(job.data)} failed for good: ${reason}`);
      void handlers.failed(job.data, job.data.checkRunId, reason).catch((inner: Error) => this.log.error(`could not report the failure of ${describeJob(job.data)}: ${inner.message}`));
    });
  }

  async health(): Promise<QueueHealth> {
    try {
      return await withTimeout(1000, async () => {
        await this.client.ping();
        const depth = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
        return { ok: true, detail: `Redis ${this.client.options.host}:${this.client.options.port}`, depth };
      });
    } catch (error) {
      return { ok: false, detail: `Redis unreachable: ${this.reasonFor(error)}`, depth: {} };
    }
  }

  async close(drainMs: number): Promise<void> {
    if (this.worker) {
      const worker = this.worker;
      const timeout = setTimeout(() => {
        this.log.warn(`reviews still running after ${Math.round(drainMs / 1000)} s: leaving them in the queue for another worker`);
        void worker.close(true);
      }, drainMs);
      await worker.close();
      clearTimeout(timeout);
      this.workerConnection?.disconnect();
    }
    await this.queue.close().catch(() => undefined);
    this.queueConnection.disconnect();
    this.client.disconnect();
  }

  private async process(job: Job<StoredJob>, handlers: JobHandlers): Promise<string> {
    const attempt: JobAttempt = {
      number: job.attemptsMade + 1,
      retriesLeft: this.attempts - job.attemptsMade - 1,
      checkRunId: job.data.checkRunId,
      resumed: job.attemptsStarted > job.attemptsMade + 1,
      recordCheckRun: async (id) => {
        if (job.data.checkRunId !== id) await job.updateData({ ...job.data, checkRunId: id });
      },
      newerHead: () => this.newerHead(job.data),
    };
    return handlers.run(job.data, attempt);
  }

  private async newerHead(job: ReviewJob): Promise<string | undefined> {
    if (job.kind !== 'pull') return undefined;
    const latest = await this.client.hget(headKey(job), 'sha').catch(() => null);
    return latest !== null && latest !== headShaOf(job) ? latest : undefined;
  }

  private noteError(error: Error): void {
    const reason = error.message || (error as { code?: string }).code || String(error);
    if (reason !== this.lastError) this.log.warn(`Redis: ${reason}`);
    this.lastError = reason;
  }

  private reasonFor(error: unknown): string {
    const message = (error as Error).message;
    return this.client.status !== 'ready' ? `not connected (${this.lastError || this.client.status})` : message;
  }
}

function headKey(job: ReviewJob): string {
  return `footgun:head:${pullKey(job.repository, pullNumberOf(job))}`;
}

async function withTimeout<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
