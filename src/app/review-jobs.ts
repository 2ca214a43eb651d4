import type { Logger, Probot, ProbotOctokit } from 'probot';
import type { FileResult } from '../analyze.js';
import type { FileJob } from '../analyze-files.js';
import type { Config } from '../config/config.js';
import { withRetries } from '../fetch/github.js';
import type { JobHandlers } from '../queue/queue.js';
import type { ReviewJob } from '../queue/review-job.js';
import { describeJob, headShaOf } from '../queue/review-job.js';
import type { Metrics } from '../server/metrics.js';
import { refOf } from './app.js';
import { CHECK_NAME, endUnfinishedReview, loadRepositoryConfig, reviewPullRequest } from './review-pull-request.js';

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface ReviewWorkerOptions {
  /** the App: its installation clients (`app.auth(installationId)`) make the review's requests */
  app: Probot;
  log: Logger;
  /** analyses one file; the App passes its pool of worker processes */
  analyze?(job: FileJob, config: Config): Promise<FileResult>;
  metrics?: Metrics;
  /** how long a review runs before its check run shows it in progress (see reviewPullRequest) */
  inProgressAfterMs?: number;
}

/**
 * The worker side of the App: a queued job becomes a review with the installation's client. A job
 * whose pull request has a newer head by the time it starts is dropped before any request.
 */
export function reviewJobHandlers({ app, log, analyze, metrics, inProgressAfterMs }: ReviewWorkerOptions): JobHandlers {
  const auth = async (job: ReviewJob) => (await app.auth(job.installationId)) as Octokit;
  return {
    async run(job, attempt) {
      if (attempt.resumed && attempt.checkRunId === undefined) {
        // the worker that died may have started the check run without recording it
        const started = await startedCheckRun(await auth(job), job);
        if (started !== undefined) await attempt.recordCheckRun((attempt.checkRunId = started));
      }
      const newer = await attempt.newerHead();
      if (newer !== undefined) {
        log.info(`superseded: ${describeJob(job)} dropped before review (the head moved to ${newer.slice(0, 7)})`);
        metrics?.jobs.inc({ outcome: 'superseded' });
        // an earlier attempt (a worker that died) had started its check run
        if (attempt.checkRunId !== undefined) {
          await endUnfinishedReview(await auth(job), job.repository, headShaOf(job), attempt.checkRunId, { conclusion: 'neutral', title: 'Superseded by a newer commit', summary: `The pull request's head moved to ${newer} before this commit's review was done.` });
        }
        return 'superseded';
      }
      log.info(`reviewing ${describeJob(job)} (attempt ${attempt.number}${attempt.checkRunId ? `, check run ${attempt.checkRunId} from an earlier attempt` : ''})`);
      const stopTimer = metrics?.jobDuration.startTimer();
      try {
        const octokit = await auth(job);
        const pull = job.kind === 'pull' ? job.pull : refOf((await withRetries(() => octokit.rest.pulls.get({ ...job.repository, pull_number: job.number }))).data);
        await reviewPullRequest(
          {
            octokit,
            log: log.child({ delivery: job.deliveryId, attempt: attempt.number }),
            loadConfig: () => loadRepositoryConfig(octokit, job.repository),
            analyze,
            job: { checkRunId: attempt.checkRunId, recordCheckRun: attempt.recordCheckRun, retriesLeft: attempt.retriesLeft, newerHead: attempt.newerHead },
            inProgressAfterMs,
          },
          job.repository,
          pull,
        );
        metrics?.jobs.inc({ outcome: 'reviewed' });
        return 'reviewed';
      } catch (error) {
        metrics?.jobs.inc({ outcome: attempt.retriesLeft > 0 ? 'retried' : 'failed' });
        throw error;
      } finally {
        stopTimer?.();
      }
    },

    async failed(job, checkRunId, reason) {
      await endUnfinishedReview(await auth(job), job.repository, headShaOf(job), checkRunId, {
        conclusion: 'failure',
        title: 'footgun could not finish the review',
        summary: `footgun gave up on this commit after its retries: ${reason}\n\nRe-run this check to try again.`,
      });
    },

    async abandoned(job, checkRunId) {
      metrics?.jobs.inc({ outcome: 'abandoned' });
      await endUnfinishedReview(await auth(job), job.repository, headShaOf(job), checkRunId, {
        conclusion: 'cancelled',
        title: 'footgun stopped before finishing',
        summary: 'The footgun server reviewing this commit was shut down before the review was done. Re-run this check to review it.',
      });
    },
  };
}

/** footgun's check run in progress on the job's commit, if one is there. */
async function startedCheckRun(octokit: Octokit, job: ReviewJob): Promise<number | undefined> {
  const { data } = await withRetries(() => octokit.rest.checks.listForRef({ ...job.repository, ref: headShaOf(job), check_name: CHECK_NAME, status: 'in_progress', filter: 'latest' }));
  return data.check_runs[0]?.id;
}
