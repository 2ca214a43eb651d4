// The GitHub Action's entry point (action.yml): the App's review of one pull request, run in the
// pull request's own workflow with its GITHUB_TOKEN. A token that may not write (a fork's pull
// request gets a read-only one) gets a clear message, and the review goes to the job log as
// annotations and to the job summary instead.
import { appendFileSync, readFileSync } from 'node:fs';
import { Probot, ProbotOctokit } from 'probot';
import { AnalysisPool } from '../analyze-files.js';
import type { PullRequestPayload } from '../app/app.js';
import { refOf } from '../app/app.js';
import { loadRepositoryConfig, reviewPullRequest } from '../app/review-pull-request.js';
import { ReadOnlyFallback } from './read-only-fallback.js';

const REVIEWED_EVENTS = ['pull_request', 'pull_request_target'];

async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (!REVIEWED_EVENTS.includes(eventName)) {
    console.log(`footgun reviews pull requests; this workflow ran on '${eventName || 'an unknown event'}'. Use 'on: pull_request', or 'sarif: true' to analyse the whole checkout.`);
    return 0;
  }
  const token = env.FOOTGUN_TOKEN || env.GITHUB_TOKEN;
  if (!token) {
    console.log('::error::footgun needs a token: pass `token: ${{ github.token }}` (the default) or set GITHUB_TOKEN.');
    return 2;
  }
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as { pull_request: PullRequestPayload; repository: { name: string; owner: { login: string } } };
  const repository = { owner: event.repository.owner.login, repo: event.repository.name };
  const fallback = new ReadOnlyFallback();
  const probot = new Probot({ githubToken: token, baseUrl: env.GITHUB_API_URL || 'https://api.github.com', logLevel: (env.LOG_LEVEL as 'info') || 'info', Octokit: ProbotOctokit.plugin(fallback.plugin) });
  const octokit = await probot.auth();
  const pool = new AnalysisPool();
  try {
    await reviewPullRequest({ octokit, log: probot.log, loadConfig: () => loadRepositoryConfig(octokit, repository), analyze: (job, config) => pool.analyze(job, config) }, repository, refOf(event.pull_request));
  } finally {
    pool.close();
  }
  const check = fallback.checkRun;
  if (fallback.refusal) {
    console.log(`::warning title=footgun could not post its review::GitHub refused a write with this token (${fallback.refusal}). A fork's pull request gets a read-only GITHUB_TOKEN; give the workflow 'permissions: checks: write, pull-requests: write', or use 'sarif: true' with github/codeql-action/upload-sarif. The review follows as annotations in this log and in the job summary.`);
    for (const line of fallback.annotationCommands()) console.log(line);
  }
  if (env.GITHUB_STEP_SUMMARY && check.summary) {
    appendFileSync(env.GITHUB_STEP_SUMMARY, `## footgun: ${check.title ?? check.conclusion ?? ''}\n\n${check.summary}\n${fallback.refusal && fallback.reviewBody ? `\n### The review footgun would have posted\n\n${fallback.reviewBody}\n` : ''}`);
  }
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `conclusion=${check.conclusion ?? ''}\n`);
  console.log(`footgun: ${check.conclusion ?? 'no conclusion'}${check.title ? ` (${check.title})` : ''}`);
  return check.conclusion === 'failure' ? 1 : 0;
}

main(process.env).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.log(`::error::footgun failed: ${error.message}`);
    process.exit(1);
  },
);
