import type { FileResult } from '../analyze.js';
import { summarise } from './summary.js';

/** The versioned JSON contract other front ends and evaluation scripts read. */
export function toJson(results: readonly FileResult[]): string {
  const { skipped: _skipped, ...summary } = summarise(results);
  return JSON.stringify(
    {
      version: 1,
      files: results.map((result) => ({
        path: result.path,
        error: result.error,
        findings: result.findings,
        models: result.models,
      })),
      summary,
    },
    null,
    2,
  );
}
