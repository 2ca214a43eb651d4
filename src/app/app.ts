import type { ApplicationFunction, Context } from 'probot';
import type { PullRequestRef, Repository } from './review-pull-request.js';
import { environmentOf, reviewPullRequest } from './review-pull-request.js';

/** Deliveries already handled: GitHub (or a person) may redeliver the same event. */
const MAX_REMEMBERED_DELIVERIES = 1000;

/**
 * The GitHub App: a thin layer of event handlers over `reviewPullRequest`, which holds the flow.
 * Pull requests are reviewed when opened, pushed to, reopened or marked ready; a re-run of the
 * check reviews the pull requests of its commit again.
 */
const footgun: ApplicationFunction = (app) => {
  const handled = new Set<string>();
  const firstDelivery = (context: Context) => {
    if (handled.has(context.id)) {
      context.log.info(`delivery ${context.id} already handled; ignored`);
      return false;
    }
    handled.add(context.id);
    if (handled.size > MAX_REMEMBERED_DELIVERIES) handled.delete(handled.values().next().value!);
    return true;
  };

  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], async (context) => {
    if (!firstDelivery(context)) return;
    const { pull_request: pr, repository } = context.payload;
    await reviewPullRequest(environmentOf(context), { owner: repository.owner.login, repo: repository.name }, refOf(pr));
  });

  app.on(['check_run.rerequested', 'check_suite.rerequested'], async (context) => {
    if (!firstDelivery(context)) return;
    const payload = context.payload as { repository: { owner: { login: string }; name: string }; check_run?: { pull_requests: { number: number }[] }; check_suite?: { pull_requests: { number: number }[] } };
    const repository: Repository = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const pulls = (payload.check_run ?? payload.check_suite)?.pull_requests ?? [];
    if (pulls.length === 0) context.log.info('re-run requested for a commit with no pull request in this repository (a fork\'s?); nothing to review');
    for (const { number } of pulls) {
      const { data } = await context.octokit.rest.pulls.get({ ...repository, pull_number: number });
      await reviewPullRequest(environmentOf(context), repository, refOf(data));
    }
  });
};

interface RepoRef {
  name: string;
  owner: { login: string } | null;
}

interface PullRequestPayload {
  number: number;
  draft?: boolean;
  head: { sha: string; repo: RepoRef | null };
  base: { sha: string; repo: RepoRef };
}

/** The commit to review and where it lives: a fork's head repository, or the base when the fork is gone. */
function refOf(pr: PullRequestPayload): PullRequestRef {
  const head = pr.head.repo?.owner ? pr.head.repo : pr.base.repo;
  return { number: pr.number, draft: pr.draft === true, headSha: pr.head.sha, baseSha: pr.base.sha, headOwner: head.owner?.login ?? '', headRepo: head.name };
}

export default footgun;
