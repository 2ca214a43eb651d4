import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import type { JobAttempt, JobHandlers, JobResult } from '../../src/queue/queue.js';
import type { ReviewJob } from '../../src/queue/review-job.js';
import { reviewJobId } from '../../src/queue/review-job.js';


function silentLog(): any {
  const noop = () => {};
  const logger: any = { info: noop, warn: noop, error: noop, debug: noop, child: () => logger };
  return logger;
}

function job(sha: string, options: { delivery?: string; updatedAt?: number; number?: number; action?: string } = {}): ReviewJob {
  return {
    kind: 'pull',
    action: options.action ?? 'synchronize',
    installationId: 1,
    repository: { owner: 'o', repo: 'r' },
    deliveryId: options.delivery ?? `d-${sha}`,
    receivedAt: 0,
    updatedAt: options.updatedAt ?? 0,
    pull: { number: options.number ?? 1, draft: false, headSha: sha, headOwner: 'o', headRepo: 'r' },
  };
}

function recorder(run: (job: ReviewJob, attempt: JobAttempt) => Promise<JobResult> = async () => 'reviewed') {
  const calls = { run: [] as string[], failed: [] as { sha: string; checkRunId?: number; reason: string }[], abandoned: [] as string[] };
  const handlers: JobHandlers = {
    run: async (j, attempt) => {
      calls.run.push(`${j.kind === 'pull' ? j.pull.headSha : ''}#${attempt.number}`);
      return run(j, attempt);
    },
    failed: async (j, checkRunId, reason) => void calls.failed.push({ sha: j.kind === 'pull' ? j.pull.headSha : '', checkRunId, reason }),
    abandoned: async (j) => void calls.abandoned.push(j.kind === 'pull' ? j.pull.headSha : ''),
  };
  return { calls, handlers };
}

const silent = silentLog();

describe('the in-memory queue', () => {
  it('takes a delivery once, and a review of the same commit once', async () => {
    const queue = new MemoryQueue({ log: silent });
    expect(await queue.enqueue(job('a', { delivery: 'x' }))).toBe('queued');
    expect(await queue.enqueue(job('a', { delivery: 'x' }))).toBe('duplicate-delivery');
    expect(await queue.enqueue(job('a', { delivery: 'y', action: 'reopened' }))).toBe('duplicate-job');
    const { calls, handlers } = recorder();
    queue.work(handlers, { concurrency: 2 });
    await queue.idle();
    expect(await queue.enqueue(job('a', { delivery: 'z' }))).toBe('duplicate-job');
    expect(calls.run).toEqual(['a#1']);
  });

  it('marking a draft ready asks again for a commit already seen', async () => {
    expect(reviewJobId(job('a', { action: 'ready_for_review', delivery: 'r1' }))).toBe('o/r#1@a~r1');
    expect(reviewJobId(job('a'))).toBe('o/r#1@a');
  });

  it('drops a waiting job when a newer push of its pull request arrives, but not for an older redelivery', async () => {
    const queue = new MemoryQueue({ log: silent });
    await queue.enqueue(job('old', { updatedAt: 1 }));
    await queue.enqueue(job('new', { updatedAt: 2 }));
    await queue.enqueue(job('older-redelivered', { updatedAt: 0 }));
    await queue.enqueue(job('other-pr', { number: 2, updatedAt: 1 }));
    const { calls, handlers } = recorder(async (_job, attempt) => ((await attempt.newerHead()) ? 'superseded' : 'reviewed'));
    queue.work(handlers, { concurrency: 1 });
    await queue.idle();
    expect(calls.run).toEqual(['new#1', 'other-pr#1']);
  });

  it('retries a failing job with back-off, keeps its check run, then reports the failure with the reason', async () => {
    const queue = new MemoryQueue({ log: silent, attempts: 3, retryBaseDelayMs: 5 });
    const seen: (number | undefined)[] = [];
    const { calls, handlers } = recorder(async (_job, attempt) => {
      seen.push(attempt.checkRunId);
      await attempt.recordCheckRun(42);
      throw new Error('GitHub answered 502');
    });
    queue.work(handlers, { concurrency: 1 });
    await queue.enqueue(job('a'));
    await queue.idle();
    expect(calls.run).toEqual(['a#1', 'a#2', 'a#3']);
    expect(seen).toEqual([undefined, 42, 42]);
    expect(calls.failed).toEqual([{ sha: 'a', checkRunId: 42, reason: 'GitHub answered 502' }]);
  });

  it('on close, waits for a review in progress, and abandons it visibly when it does not finish in time', async () => {
    const queue = new MemoryQueue({ log: silent });
    let release!: () => void;
    const { calls, handlers } = recorder(() => new Promise((resolve) => (release = () => resolve('reviewed'))));
    queue.work(handlers, { concurrency: 1 });
    await queue.enqueue(job('slow'));
    await queue.enqueue(job('waiting', { number: 2 }));
    await queue.close(20);
    expect(calls.abandoned).toEqual(['slow']);
    expect(calls.run).toEqual(['slow#1']);
    release();
  });

  it('on close, a review that finishes within the drain time is not abandoned', async () => {
    const queue = new MemoryQueue({ log: silent });
    const { calls, handlers } = recorder(() => new Promise((resolve) => setTimeout(() => resolve('reviewed'), 30)));
    queue.work(handlers, { concurrency: 1 });
    await queue.enqueue(job('quick'));
    await queue.close(5000);
    expect(calls.abandoned).toEqual([]);
  });
});
