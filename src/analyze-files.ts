import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { FileResult } from './analyze.js';
import { analyzeSource } from './analyze.js';
import type { Config } from './config/config.js';

export interface FileJob {
  /** the path shown in reports */
  path: string;
  /** the path the configuration's globs and tasks are matched against (repository-relative) */
  configPath: string;
  content: Uint8Array | string;
}

/** Below this much source, starting worker threads costs more than it saves. */
const PARALLEL_MIN_BYTES = 512 * 1024;
const MAX_WORKERS = 8;

export function defaultWorkerCount(): number {
  return Math.min(MAX_WORKERS, availableParallelism());
}

/**
 * Analyses many files, in worker threads when there is enough work to share; the results come
 * back in the order of the jobs and are the same either way. One file failing never stops the rest.
 */
export async function analyzeFiles(jobs: readonly FileJob[], config: Config, workers = defaultWorkerCount()): Promise<FileResult[]> {
  const bytes = jobs.reduce((sum, job) => sum + (typeof job.content === 'string' ? job.content.length : job.content.byteLength), 0);
  const threads = Math.min(workers, jobs.length);
  if (threads <= 1 || bytes < PARALLEL_MIN_BYTES) return analyzeInline(jobs, config);
  return analyzeInWorkers(jobs, config, threads);
}

async function analyzeInline(jobs: readonly FileJob[], config: Config): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const job of jobs) {
    results.push(analyzeOne(job, config));
    // tree-sitter frees its native trees in finalizers that run between event-loop turns
    await yieldToEventLoop();
  }
  return results;
}

export function analyzeOne(job: FileJob, config: Config): FileResult {
  try {
    return { ...analyzeSource(job.configPath, job.content, config), path: job.path };
  } catch (error) {
    return { path: job.path, error: `footgun failed on this file: ${(error as Error).message}`, findings: [], models: [] };
  }
}

interface WorkerReply {
  index: number;
  result: FileResult;
}

async function analyzeInWorkers(jobs: readonly FileJob[], config: Config, threads: number): Promise<FileResult[]> {
  const results: FileResult[] = new Array(jobs.length);
  let next = 0;
  const workerUrl = new URL(`./analysis-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  // Each lane runs one worker at a time; a worker that dies takes only its current file with it.
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      await new Promise<void>((resolve) => {
        const worker = new Worker(workerUrl, { workerData: { config } });
        let current = -1;
        const send = () => {
          if (next >= jobs.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          current = next++;
          worker.postMessage({ index: current, job: jobs[current] });
        };
        worker.on('message', (reply: WorkerReply) => {
          results[reply.index] = reply.result;
          current = -1;
          send();
        });
        worker.once('error', (error) => {
          if (current >= 0) {
            const job = jobs[current]!;
            results[current] = { path: job.path, error: `footgun failed on this file: ${error.message}`, findings: [], models: [] };
          }
          void worker.terminate().then(() => resolve());
        });
        send();
      });
    }
  };
  await Promise.all(Array.from({ length: threads }, lane));
  return results;
}
