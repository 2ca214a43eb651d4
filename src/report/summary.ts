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

/** The run's counts, kept as results go by. */
export class RunTally {
  readonly summary: RunSummary = { files: 0, models: 0, error: 0, warning: 0, info: 0, skipped: 0 };

  add(result: FileResult): void {
    const summary = this.summary;
    summary.files++;
    summary.models += result.models.filter((model) => model.role === 'model').length;
    if (result.error && result.findings.length === 0 && result.models.length === 0) summary.skipped++;
    for (const finding of result.findings) summary[finding.severity as Severity]++;
  }
}

export function summarise(results: readonly FileResult[]): RunSummary {
  const tally = new RunTally();
  for (const result of results) tally.add(result);
  return tally.summary;
}
