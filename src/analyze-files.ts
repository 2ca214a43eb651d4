import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { FileResult } from './analyze.js';
import { analyzeSource } from './analyze.js';
import type { Config } from './config/config.js';
import { analyzeNotebook, isNotebook } from './notebook.js';

export interface FileJob {
  /** the path shown in reports */
  path: string;
  /** the path the configuration's globs and tasks are matched against (repository-relative) */
  configPath: string;
  content: Uint8Array | string;
}

/** Below this much source, starting worker processes costs more than it saves. */
export const PARALLEL_MIN_BYTES = 512 * 1024;
const MAX_WORKERS = 8;

export function defaultWorkerCount(): number {
  return Math.min(MAX_WORKERS, availableParallelism());
}

/**
 * Analyses many files, in worker processes when there is enough work to share; the results come
 * back in the order of the jobs and are the same either way. One file failing never stops the rest.
 * Processes, not threads: tree-sitter parses in several threads of one process contend (measured:
 * two threads took 1.7× one thread's time for the same work each), separate processes do not.
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
    const analyze = isNotebook(job.path) ? analyzeNotebook : analyzeSource;
    return { ...analyze(job.configPath, job.content, config), path: job.path };
  } catch (error) {
    return { path: job.path, error: `footgun failed on this file: ${(error as Error).message}`, findings: [], models: [] };
  }
}

interface WorkerReply {
  index: number;
  result: FileResult;
}

async function analyzeInWorkers(jobs: readonly FileJob[], config: Config, processes: number): Promise<FileResult[]> {
  const results: FileResult[] = new Array(jobs.length);
  let next = 0;
  const script = fileURLToPath(new URL(`./analysis-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  // Each lane runs one worker process at a time; a worker that dies takes only its current file with it.
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      await new Promise<void>((resolve) => {
        const worker: ChildProcess = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
        let current = -1;
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          worker.kill();
          resolve();
        };
        const send = () => {
          if (next >= jobs.length) return finish();
          current = next++;
          worker.send({ index: current, job: jobs[current] });
        };
        worker.on('message', (reply: WorkerReply) => {
          results[reply.index] = reply.result;
          current = -1;
          send();
        });
        const failed = (reason: string) => {
          if (current >= 0) {
            const job = jobs[current]!;
            results[current] = { path: job.path, error: `footgun failed on this file: ${reason}`, findings: [], models: [] };
          }
          finish();
        };
        worker.once('error', (error) => failed(error.message));
        worker.once('exit', (code, signal) => failed(`the worker process stopped (${signal ?? `exit code ${code}`})`));
        worker.send({ config });
        send();
      });
    }
  };
  await Promise.all(Array.from({ length: processes }, lane));
  return results;
}
