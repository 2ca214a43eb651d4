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
        // `trace` serves reviews (where a change caused a finding); it is not part of the contract
        findings: result.findings.map(({ trace: _trace, ...finding }) => finding),
        models: result.models,
      })),
      summary,
    },
    null,
    2,
  );
}
