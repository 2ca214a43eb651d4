import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { FileResult } from './analyze.js';
import { analyzeSource } from './analyze.js';
import type { Config } from './config/config.js';
import { Project } from './extract/program.js';
import { localProjectFiles } from './fetch/local-files.js';
import { analyzeNotebook, isNotebook } from './notebook.js';

export interface FileJob {
  /** the path shown in reports */
  path: string;
  /** the path the configuration's globs and tasks are matched against (repository-relative) */
  configPath: string;
  content: Uint8Array | string;
  /** the folder `configPath` is relative to, when the project modules the file imports are read from disk (the CLI) */
  projectRoot?: string;
  /**
   * The project files the file's imports may read, when the front end fetched them (the App), by
   * path relative to the repository: their text, or null for a file that exists but was not read.
   */
  projectFiles?: Record<string, string | null>;
  /** the content's size in bytes, when it is known without reading the content */
  size?: number;
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
  const results: FileResult[] = [];
  await analyzeEach(jobs, config, workers, (result) => results.push(result));
  return results;
}

/**
 * As analyzeFiles, but hands each result to `onResult` in the order of the jobs as soon as it and
 * those before it are done, and keeps none: memory stays flat whatever the number of files. A
 * job's `content` is read only when the file is analysed, so it may be a getter that reads the file.
 */
export async function analyzeEach(jobs: readonly FileJob[], config: Config, workers: number, onResult: (result: FileResult) => void): Promise<void> {
  const bytes = jobs.reduce((sum, job) => sum + (job.size ?? contentSize(job.content)), 0);
  const threads = Math.min(workers, jobs.length);
  if (threads <= 1 || bytes < PARALLEL_MIN_BYTES) return analyzeInline(jobs, config, onResult);
  return analyzeInWorkers(jobs, config, threads, onResult);
}

function contentSize(content: Uint8Array | string): number {
  return typeof content === 'string' ? content.length : content.byteLength;
}

async function analyzeInline(jobs: readonly FileJob[], config: Config, onResult: (result: FileResult) => void): Promise<void> {
  for (const job of jobs) {
    onResult(analyzeOne(job, config));
    // tree-sitter frees its native trees in finalizers that run between event-loop turns
    await yieldToEventLoop();
  }
}

/** The project read from disk last in this process, by root: an imported file is parsed once for every file that imports it. */
const projects = new Map<string, { project: Project; config: Config }>();

export function analyzeOne(job: FileJob, config: Config): FileResult {
  try {
    if (isNotebook(job.path)) return { ...analyzeNotebook(job.configPath, job.content, config), path: job.path };
    const project = job.projectRoot !== undefined ? localProject(job.projectRoot, config) : job.projectFiles ? fetchedProject(job.projectFiles) : undefined;
    const program = project && { project, path: job.configPath };
    return { ...analyzeSource(job.configPath, job.content, config, undefined, program), path: job.path };
  } catch (error) {
    return failedFile(job, (error as Error).message);
  }
}

function localProject(root: string, config: Config): Project {
  const known = projects.get(root);
  if (known?.config === config) return known.project;
  const project = new Project(localProjectFiles(root, config.maxFileBytes));
  // files come project by project: the parsed modules of the previous one are not needed again
  projects.clear();
  projects.set(root, { project, config });
  return project;
}

function fetchedProject(files: Record<string, string | null>): Project {
  return new Project({ exists: (path) => Object.hasOwn(files, path), read: (path) => files[path] ?? undefined });
}

interface WorkerReply {
  index: number;
  result: FileResult;
}

async function analyzeInWorkers(jobs: readonly FileJob[], config: Config, processes: number, onResult: (result: FileResult) => void): Promise<void> {
  const pool = new AnalysisPool({ processes });
  const done = new Map<number, FileResult>();
  let next = 0;
  try {
    await Promise.all(
      jobs.map(async (job, index) => {
        done.set(index, await pool.analyze(job, config));
        for (let result = done.get(next); result; result = done.get(next)) {
          done.delete(next++);
          onResult(result);
        }
      }),
    );
  } finally {
    pool.close();
  }
}

export interface AnalysisPoolOptions {
  /** worker processes (default: the CPU count, at most 8) */
  processes?: number;
  /** a file that takes longer is reported as an error, and its process replaced (default: no limit) */
  fileTimeoutMs?: number;
}

interface PendingFile {
  job: FileJob;
  config: Config;
  resolve(result: FileResult): void;
}

interface PoolProcess {
  child: ChildProcess;
  /** the configuration this process holds (sent again only when it changes) */
  config?: Config;
  current?: PendingFile;
  timer?: NodeJS.Timeout;
}

/**
 * Long-lived worker processes that analyse files one at a time each, first come first served, so
 * that analysis never runs on the caller's event loop. A process that dies or overruns the time
 * limit takes only its current file with it (that file gets an error) and is replaced.
 */
export class AnalysisPool {
  readonly size: number;
  private readonly fileTimeoutMs: number | undefined;
  private readonly waiting: PendingFile[] = [];
  private readonly processes = new Set<PoolProcess>();
  private readonly idle: PoolProcess[] = [];
  private closed = false;

  constructor(options: AnalysisPoolOptions = {}) {
    this.size = Math.max(1, options.processes ?? defaultWorkerCount());
    this.fileTimeoutMs = options.fileTimeoutMs;
  }

  analyze(job: FileJob, config: Config): Promise<FileResult> {
    if (this.closed) return Promise.resolve(failedFile(job, 'the analysis pool is shut down'));
    return new Promise((resolve) => {
      this.waiting.push({ job, config, resolve });
      this.dispatch();
    });
  }

  /** Files queued or being analysed. */
  get backlog(): number {
    return this.waiting.length + [...this.processes].filter((worker) => worker.current).length;
  }

  /** Stops every process; files still waiting get an error. */
  close(): void {
    this.closed = true;
    for (const pending of this.waiting.splice(0)) pending.resolve(failedFile(pending.job, 'the analysis pool is shut down'));
    for (const worker of this.processes) this.retire(worker, 'the analysis pool is shut down');
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.processes.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const pending = this.waiting.shift()!;
      worker.current = pending;
      if (worker.config !== pending.config) {
        worker.child.send({ config: pending.config });
        worker.config = pending.config;
      }
      // copied, so that a content getter (one that reads the file) runs now, never while the file waits
      worker.child.send({ index: 0, job: { ...pending.job } });
      if (this.fileTimeoutMs !== undefined) {
        worker.timer = setTimeout(() => this.retire(worker, `analysis took longer than ${Math.round(this.fileTimeoutMs! / 1000)} s and was stopped`), this.fileTimeoutMs);
      }
    }
  }

  private spawn(): PoolProcess {
    // run from the TypeScript sources, the worker inherits this process's loader (its execArgv)
    const script = fileURLToPath(new URL(`./analysis-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
    const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const worker: PoolProcess = { child };
    this.processes.add(worker);
    child.on('message', (reply: WorkerReply) => {
      const pending = worker.current;
      clearTimeout(worker.timer);
      worker.current = undefined;
      pending?.resolve(reply.result);
      if (this.closed) return;
      this.idle.push(worker);
      this.dispatch();
    });
    child.once('error', (error) => this.retire(worker, error.message));
    child.once('exit', (code, signal) => this.retire(worker, `the worker process stopped (${signal ?? `exit code ${code}`})`));
    return worker;
  }

  private retire(worker: PoolProcess, reason: string): void {
    if (!this.processes.delete(worker)) return;
    clearTimeout(worker.timer);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    worker.child.kill(this.closed ? 'SIGTERM' : 'SIGKILL');
    if (worker.current) worker.current.resolve(failedFile(worker.current.job, reason));
    worker.current = undefined;
    if (!this.closed) this.dispatch();
  }
}

function failedFile(job: FileJob, reason: string): FileResult {
  return { path: job.path, error: `footgun failed on this file: ${reason}`, findings: [], models: [] };
}
