import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProbotOctokit } from 'probot';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueHealth, ReviewQueue } from '../queue/queue.js';

/** The figures an operator watches, in Prometheus' text format at `/metrics` (one registry per process). */
export class Metrics {
  readonly registry = new Registry();
  readonly deliveries = new Counter({ name: 'footgun_webhook_deliveries_total', help: 'Webhook deliveries by outcome (queued, duplicate-delivery, duplicate-job, unavailable)', labelNames: ['event', 'outcome'], registers: [this.registry] });
  readonly jobs = new Counter({ name: 'footgun_review_jobs_total', help: 'Review job attempts by outcome (reviewed, superseded, retried, failed, abandoned)', labelNames: ['outcome'], registers: [this.registry] });
  readonly jobDuration = new Histogram({ name: 'footgun_review_job_duration_seconds', help: 'Time one review job attempt takes', buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300], registers: [this.registry] });
  readonly githubRequests = new Counter({ name: 'footgun_github_requests_total', help: 'GitHub API requests by method and HTTP status', labelNames: ['method', 'status'], registers: [this.registry] });
  readonly rateLimitRemaining = new Gauge({ name: 'footgun_github_rate_limit_remaining', help: 'x-ratelimit-remaining of the latest GitHub response (per installation token)', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports the queue's depth at each scrape. */
  watch(queue: ReviewQueue): void {
    const depth = new Gauge({
      name: 'footgun_queue_jobs',
      help: 'Review jobs in the queue by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const health: QueueHealth = await queue.health();
        depth.reset();
        for (const [state, count] of Object.entries(health.depth)) depth.set({ state }, count);
      },
    });
  }

  /** Counts one GitHub response (or failure) and keeps the rate limit it reports. */
  recordGithubResponse(method: string, status: number | undefined, headers: Record<string, string | number | undefined> | undefined): void {
    this.githubRequests.inc({ method, status: status === undefined ? 'none' : String(status) });
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    if (headers?.['x-ratelimit-remaining'] !== undefined && Number.isFinite(remaining)) this.rateLimitRemaining.set(remaining);
  }

  /** `GET /metrics` */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    if (request.method !== 'GET' || new URL(request.url ?? '/', 'http://localhost').pathname !== '/metrics') return false;
    const body = await this.registry.metrics();
    response.writeHead(200, { 'content-type': this.registry.contentType }).end(body);
    return true;
  }
}

/** `GET /healthz`: 200 when the queue is usable, 503 with the reason when not; the queue depth either way. */
export async function handleHealth(queue: ReviewQueue, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  if (request.method !== 'GET' || new URL(request.url ?? '/', 'http://localhost').pathname !== '/healthz') return false;
  const health = await queue.health();
  response.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: health.ok ? 'ok' : 'unavailable', queue: queue.kind, detail: health.detail, depth: health.depth }));
  return true;
}

/** An Octokit plugin that feeds every GitHub request into the metrics. */
export function githubRequestMetrics(metrics: Metrics) {
  return (octokit: Pick<InstanceType<typeof ProbotOctokit>, 'hook'>): void => {
    octokit.hook.wrap('request', async (request, options) => {
      try {
        const response = await request(options);
        metrics.recordGithubResponse(options.method, response.status, response.headers as Record<string, string | number | undefined>);
        return response;
      } catch (error) {
        const failure = error as { status?: number; response?: { headers?: Record<string, string | number | undefined> } };
        metrics.recordGithubResponse(options.method, failure.status, failure.response?.headers);
        throw error;
      }
    });
  };
}
