import type { Finding } from '../analyze.js';
import type { ModelChange } from './architecture.js';
import { architectureMarkdown, modelTable } from './architecture.js';
import type { PlacedFinding, ReviewInput } from './build-review.js';
import type { Counted } from './render.js';
import { countBySeverity, fixedItem, headline, listItem, plural, truncate } from './render.js';

/** GitHub rejects check-run summaries longer than this. */
export const MAX_SUMMARY = 65_535;

export interface SummaryFindings extends Counted {
  fresh: PlacedFinding[];
  existing: PlacedFinding[];
  fixed: { file: { path: string }; finding: Finding }[];
  architecture: ModelChange[];
}

export function checkSummary(input: ReviewInput, findings: SummaryFindings, conclusion: 'success' | 'failure' | 'neutral'): { title: string; summary: string } {
  const title = conclusion === 'neutral' ? 'No Python model code changed' : headline(findings);
  const parts: string[] = [];
  if (input.fileListTruncated) parts.push('> GitHub lists only the first 3,000 files of a pull request; files after those were not reviewed.', '');
  const imported = input.imported ?? [];
  if (input.files.length > 0) {
    parts.push('New findings are those this pull request introduces; the check fails on them only' + (input.settings.fail_on_existing ? ' and, with `review.fail_on_existing`, on those already there.' : '.'), '');
    parts.push('| file | new errors | new warnings | new info | already there | fixed | models |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const file of [...input.files, ...imported]) {
      const counts = countBySeverity(findings.fresh.filter((p) => p.file === file));
      const existing = findings.existing.filter((p) => p.file === file).length;
      const fixed = findings.fixed.filter((p) => p.file === file).length;
      parts.push(`| \`${file.path}\`${imported.includes(file) ? ' (not changed; imported)' : ''} | ${counts.error} | ${counts.warning} | ${counts.info} | ${existing} | ${fixed} | ${file.result.models.filter((model) => model.role === 'model').length} |`);
    }
  }
  const skipped = [...input.files, ...imported].filter((file) => file.result.error);
  if (skipped.length > 0) parts.push('', '**Not fully analysed**', '', ...skipped.map((file) => `- \`${file.path}\`: ${file.result.error}`));
  const baseUnknown = [...input.files, ...imported].filter((file) => !file.result.error && (file.base === undefined || (file.base !== null && file.base.result.error)));
  if (baseUnknown.length > 0) {
    parts.push('', `footgun could not analyse the version before this pull request of ${baseUnknown.map((file) => `\`${file.path}\`${file.base?.result.error ? ` (${file.base.result.error})` : ''}`).join(', ')}: every finding there counts as new.`);
  }
  const noPatch = input.files.filter((file) => file.patch === undefined && file.result.findings.length > 0);
  if (noPatch.length > 0) parts.push('', `GitHub gave no diff for ${noPatch.map((file) => `\`${file.path}\``).join(', ')} (too large, renamed or binary), so no line of it is known to be changed: its findings are not inline comments.`);
  if ((input.importNotes ?? []).length > 0) parts.push('', '**Files the changed files import**', '', ...input.importNotes!.map((note) => `- ${note}`));
  if (findings.fresh.length > 0) {
    parts.push('', `<details><summary>${plural(findings.fresh.length, 'new finding')} (each is an annotation too)</summary>`, '', ...findings.fresh.map((p) => listItem(p.file.path, p.finding)), '', '</details>');
  }
  if (findings.fixed.length > 0) parts.push('', '### Fixed by this pull request', '', ...findings.fixed.map((p) => fixedItem(p.file.path, p.finding)));
  if (findings.existing.length > 0) {
    parts.push('', `<details><summary>${plural(findings.existing.length, 'finding')} already there before this pull request</summary>`, '', ...findings.existing.map((p) => listItem(p.file.path, p.finding)), '', '</details>');
  }
  if (findings.architecture.length > 0) parts.push('', '### Architecture changes', '', architectureMarkdown(findings.architecture));
  // a new model's full table is in the architecture changes already
  const shown = new Set(findings.architecture.map((change) => change.after));
  const tables = input.files.flatMap((file) => file.result.models.filter((model) => model.role === 'model' && !shown.has(model)).map((model) => modelTable(file.path, model)));
  if (tables.length > 0) parts.push('', findings.architecture.length > 0 ? '### Other models' : '### Models', '', ...tables.flatMap((table) => [table, '']));
  return { title, summary: truncate(parts.join('\n') || 'Nothing to review.', MAX_SUMMARY, '…(summary truncated: GitHub allows 65,535 characters)') };
}
