import { availableParallelism } from 'node:os';
import { IN_PROGRESS_AFTER_MS } from '../app/review-pull-request.js';

export type Role = 'all' | 'web' | 'worker';

/** footgun's own server settings (Probot reads its own: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, LOG_LEVEL, GHE_HOST, …). */
export interface ServerSettings {
  role: Role;
  redisUrl?: string;
  host: string;
  port: number;
  webhookPath: string;
  /** analysis processes per worker instance */
  analysisProcesses: number;
  /** reviews in progress at once per worker instance */
  concurrency: number;
  /** how long SIGTERM waits for reviews in progress */
  drainMs: number;
  /** Redis: how long before a dead worker's job is taken by another */
  jobLockMs: number;
  /** a file whose analysis takes longer is reported as an error */
  fileTimeoutMs: number;
  /** how long a review runs before its check run shows it in progress (a faster one creates it completed) */
  inProgressAfterMs: number;
}

export class SettingsError extends Error {}

/** Reads the settings from the environment; a wrong value is an error that names the variable. */
export function readSettings(env: NodeJS.ProcessEnv): ServerSettings {
  const role = (env.FOOTGUN_ROLE ?? 'all') as Role;
  if (!['all', 'web', 'worker'].includes(role)) throw new SettingsError(`FOOTGUN_ROLE must be all, web or worker (got '${role}')`);
  const redisUrl = env.REDIS_URL || undefined;
  if (role !== 'all' && !redisUrl) throw new SettingsError(`FOOTGUN_ROLE=${role} needs REDIS_URL: web and worker instances share their jobs through Redis`);
  const analysisProcesses = integer(env, 'FOOTGUN_ANALYSIS_PROCESSES', Math.min(8, availableParallelism()), 1);
  return {
    role,
    redisUrl,
    host: env.HOST || '0.0.0.0',
    port: integer(env, 'PORT', 3000, 0),
    webhookPath: env.WEBHOOK_PATH || '/api/github/webhooks',
    analysisProcesses,
    concurrency: integer(env, 'FOOTGUN_CONCURRENCY', Math.max(4, 2 * analysisProcesses), 1),
    drainMs: integer(env, 'FOOTGUN_DRAIN_SECONDS', 25, 0) * 1000,
    jobLockMs: integer(env, 'FOOTGUN_JOB_LOCK_SECONDS', 30, 2) * 1000,
    fileTimeoutMs: integer(env, 'FOOTGUN_FILE_TIMEOUT_SECONDS', 60, 1) * 1000,
    inProgressAfterMs: integer(env, 'FOOTGUN_IN_PROGRESS_AFTER_MS', IN_PROGRESS_AFTER_MS, 0),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new SettingsError(`${name} must be a whole number of at least ${min} (got '${text}')`);
  return value;
}
