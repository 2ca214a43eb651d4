// A worker process of analyzeFiles: receives the configuration, then files, and answers with their results.
import type { FileJob } from './analyze-files.js';
import { analyzeOne } from './analyze-files.js';
import type { Config } from './config/config.js';

let config: Config | undefined;

process.on('message', (message: { config: Config } | { index: number; job: FileJob }) => {
  if ('config' in message) {
    config = message.config;
    return;
  }
  process.send!({ index: message.index, result: analyzeOne(message.job, config!) });
});

process.on('disconnect', () => process.exit(0));
