import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, Probot } from 'probot';
import { ProbotOctokit, createNodeMiddleware, createProbot } from 'probot';
import { AnalysisPool } from '../analyze-files.js';
import { footgunApp } from '../app/app.js';
import { reviewJobHandlers } from '../app/review-jobs.js';
import { MemoryQueue } from '../queue/memory-queue.js';
import type { ReviewQueue } from '../queue/queue.js';
import { RedisQueue } from '../queue/redis-queue.js';
import { Metrics, githubRequestMetrics, handleHealth } from './metrics.js';
import type { ServerSettings } from './settings.js';

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** the Octokit class Probot builds its clients from (tests turn its retries off) */
  Octokit?: typeof ProbotOctokit;
  /** the first wait before a failed job is tried again */
  retryBaseDelayMs?: number;
}

export interface RunningFootgun {
  /** where the HTTP server listens */
  url: string;
  app: Probot;
  log: Logger;
  queue: ReviewQueue;
  metrics: Metrics;
  /** Stops taking webhooks, then drains the reviews in progress (up to the drain time). */
  stop(): Promise<void>;
}

/**
 * footgun's server in one of its roles: `web` answers webhooks and enqueues reviews, `worker`
 * runs them (analysis in a pool of processes), `all` does both. Every role serves `/healthz` and
 * `/metrics`. Probot reads its own settings (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, LOG_LEVEL,
 * GHE_HOST, REDIS_URL for its shared rate limiting) from the environment.
 */
export async function startFootgun(settings: ServerSettings, options: StartOptions = {}): Promise<RunningFootgun> {
  const metrics = new Metrics();
  const app = createProbot({ env: { LOG_LEVEL: 'info', ...(options.env ?? process.env) }, overrides: { Octokit: (options.Octokit ?? ProbotOctokit).plugin(githubRequestMetrics(metrics)) } });
  await app.ready();
  const log = app.log.child({ name: 'footgun' });
  const queue: ReviewQueue = settings.redisUrl
    ? new RedisQueue({ url: settings.redisUrl, log, lockMs: settings.jobLockMs, retryBaseDelayMs: options.retryBaseDelayMs })
    : new MemoryQueue({ log, retryBaseDelayMs: options.retryBaseDelayMs });
  metrics.watch(queue);

  let pool: AnalysisPool | undefined;
  if (settings.role !== 'web') {
    pool = new AnalysisPool({ processes: settings.analysisProcesses, fileTimeoutMs: settings.fileTimeoutMs });
    const analysisPool = pool;
    queue.work(reviewJobHandlers({ app, log, metrics, analyze: (job, config) => analysisPool.analyze(job, config), inProgressAfterMs: settings.inProgressAfterMs }), { concurrency: settings.concurrency });
  }
  const webhooks = settings.role === 'worker' ? undefined : await createNodeMiddleware(footgunApp({ queue, metrics }), { probot: app, webhooksPath: settings.webhookPath });

  const server = createServer(async (request, response) => {
    try {
      if (await handleHealth(queue, request, response)) return;
      if (await metrics.handle(request, response)) return;
      if (webhooks && (await webhooks(request, response))) return;
      const root = request.method === 'GET' && request.url === '/';
      response.writeHead(root ? 200 : 404, { 'content-type': 'text/plain' }).end(root ? `footgun (${settings.role}): webhooks at ${webhooks ? settings.webhookPath : '(not in this role)'}, /healthz, /metrics\n` : 'not found\n');
    } catch (error) {
      log.error(error as Error);
      if (!response.headersSent) response.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new Error(`port ${settings.port} is already in use: set PORT to another`) : error));
    server.listen(settings.port, settings.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;
  const work = settings.role === 'web' ? '' : `, ${settings.analysisProcesses} analysis process(es), ${settings.concurrency} review(s) at once`;
  log.info(`footgun ${settings.role} listening on ${url}${webhooks ? ` (webhooks at ${settings.webhookPath})` : ''}; queue: ${queue.kind === 'redis' ? 'Redis' : 'in memory'}${work}`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close(settings.drainMs);
      pool?.close();
    })());
  return { url, app, log, queue, metrics, stop };
}
