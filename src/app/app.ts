import type { ApplicationFunction, Context } from 'probot';
import type { ReviewQueue } from '../queue/queue.js';
import type { ReviewJob } from '../queue/review-job.js';
import { describeJob } from '../queue/review-job.js';
import type { Metrics } from '../server/metrics.js';
import type { PullRequestRef, Repository } from './review-pull-request.js';

export interface FootgunAppOptions {
  queue: ReviewQueue;
  metrics?: Metrics;
}

/**
 * The GitHub App's webhook side: a thin layer that turns deliveries into review jobs and answers
 * at once; workers take the jobs (`runReviewJobs`). Pull requests are reviewed when opened, pushed
 * to, reopened or marked ready; a re-run of the check reviews the pull requests of its commit
 * again. When the queue cannot take a job the handler throws a 503, so GitHub records the delivery
 * as failed and it can be redelivered.
 */
export function footgunApp({ queue, metrics }: FootgunAppOptions): ApplicationFunction {
  const enqueue = async (context: Context, job: ReviewJob) => {
    let outcome;
    try {
      outcome = await queue.enqueue(job);
    } catch (error) {
      metrics?.deliveries.inc({ event: context.name, outcome: 'unavailable' });
      context.log.error(`delivery ${context.id} for ${describeJob(job)} not accepted: ${(error as Error).message}`);
      throw error;
    }
    metrics?.deliveries.inc({ event: context.name, outcome });
    if (outcome === 'queued') context.log.info(`review of ${describeJob(job)} queued (delivery ${context.id})`);
    else context.log.info(`delivery ${context.id} for ${describeJob(job)} ignored: ${outcome === 'duplicate-delivery' ? 'this delivery was already received' : 'this review is already queued or done'}`);
  };

  return (app) => {
    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], async (context) => {
      const { pull_request: pr, repository, action } = context.payload;
      await enqueue(context, {
        kind: 'pull',
        action,
        installationId: installationOf(context),
        repository: { owner: repository.owner.login, repo: repository.name },
        deliveryId: context.id,
        receivedAt: Date.now(),
        pull: refOf(pr),
        updatedAt: Date.parse(pr.updated_at) || Date.now(),
      });
    });

    app.on(['check_run.rerequested', 'check_suite.rerequested'], async (context) => {
      const payload = context.payload as { repository: { owner: { login: string }; name: string }; check_run?: CheckPayload; check_suite?: CheckPayload };
      const repository: Repository = { owner: payload.repository.owner.login, repo: payload.repository.name };
      const check = (payload.check_run ?? payload.check_suite)!;
      if (check.pull_requests.length === 0) context.log.info("re-run requested for a commit with no pull request in this repository (a fork's?); nothing to review");
      for (const { number } of check.pull_requests) {
        await enqueue(context, { kind: 'rerun', installationId: installationOf(context), repository, deliveryId: context.id, receivedAt: Date.now(), number, headSha: check.head_sha });
      }
    });
  };
}

interface CheckPayload {
  head_sha: string;
  pull_requests: { number: number }[];
}

function installationOf(context: Context): number {
  const installation = (context.payload as { installation?: { id: number } }).installation;
  if (!installation) throw Object.assign(new Error('the delivery names no installation: footgun reviews only as an installed GitHub App'), { status: 400 });
  return installation.id;
}

interface RepoRef {
  name: string;
  owner: { login: string } | null;
}

export interface PullRequestPayload {
  number: number;
  draft?: boolean;
  head: { sha: string; repo: RepoRef | null };
  base: { sha: string; repo: RepoRef };
}

/** The commit to review and where it lives: a fork's head repository, or the base when the fork is gone. */
export function refOf(pr: PullRequestPayload): PullRequestRef {
  const head = pr.head.repo?.owner ? pr.head.repo : pr.base.repo;
  return { number: pr.number, draft: pr.draft === true, headSha: pr.head.sha, baseSha: pr.base.sha, headOwner: head.owner?.login ?? '', headRepo: head.name };
}
