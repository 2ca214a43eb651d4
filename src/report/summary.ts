import type { FileResult } from '../analyze.js';
import type { Severity } from '../rules/rule.js';

export interface RunSummary {
  files: number;
  models: number;
  error: number;
  warning: number;
  info: number;
  /** files that could not be analysed */
  skipped: number;
}

export function summarise(results: readonly FileResult[]): RunSummary {
  const summary: RunSummary = { files: results.length, models: 0, error: 0, warning: 0, info: 0, skipped: 0 };
  for (const result of results) {
    summary.models += result.models.filter((model) => model.role === 'model').length;
    if (result.error && result.findings.length === 0 && result.models.length === 0) summary.skipped++;
    for (const finding of result.findings) summary[finding.severity as Severity]++;
  }
  return summary;
}
