// A worker thread of analyzeFiles: analyses the files it is sent with the configuration it was started with.
import { parentPort, workerData } from 'node:worker_threads';
import type { FileJob } from './analyze-files.js';
import { analyzeOne } from './analyze-files.js';
import type { Config } from './config/config.js';

const { config } = workerData as { config: Config };

parentPort!.on('message', ({ index, job }: { index: number; job: FileJob }) => {
  parentPort!.postMessage({ index, result: analyzeOne(job, config) });
});
