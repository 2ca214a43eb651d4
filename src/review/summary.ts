import type { ModelSummary } from '../analyze.js';
import type { PlacedFinding, ReviewInput } from './build-review.js';
import { truncate } from './render.js';
import { formatCount } from '../text.js';

/** GitHub rejects check-run summaries longer than this. */
export const MAX_SUMMARY = 65_535;

function shape(output: (number | null)[] | null): string {
  return output ? `(${output.map((d) => (d === null ? 'None' : d)).join(', ')})` : '?';
}

function count(value: number | null): string {
  return value === null ? '?' : formatCount(value);
}

/** A model's layers with output shapes and parameter counts: what reviewers cannot see without running the code. */
export function modelTable(path: string, model: ModelSummary): string {
  const head = `**${model.name}** in \`${path}:${model.line}\` · ${model.framework} ${model.kind} · input ${shape(model.input)} · ${count(model.params)} parameters${model.loss ? ` · loss ${model.loss}` : ''}${model.optimizer ? ` · ${model.optimizer}` : ''}${model.task ? ` · ${model.task}` : ''}`;
  const rows = model.layers.map((layer) => `| ${layer.line} | ${layer.type} | ${shape(layer.output)} | ${count(layer.params)} |`);
  return [head, '', '| line | layer | output shape | parameters |', '|---:|---|---|---:|', ...rows].join('\n');
}

export function checkSummary(input: ReviewInput, placed: PlacedFinding[], conclusion: 'success' | 'failure' | 'neutral'): { title: string; summary: string } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const p of placed) counts[p.finding.severity]++;
  const total = counts.error + counts.warning + counts.info;
  const title =
    conclusion === 'neutral' ? 'No Python model code changed' : total === 0 ? 'No problems found' : `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`;
  const parts: string[] = [];
  if (input.fileListTruncated) parts.push('> GitHub lists only the first 3,000 files of a pull request; files after those were not reviewed.', '');
  if (input.files.length > 0) {
    parts.push('| file | errors | warnings | info | models |', '|---|---:|---:|---:|---:|');
    for (const file of input.files) {
      const fileCounts = { error: 0, warning: 0, info: 0 };
      for (const finding of file.result.findings) fileCounts[finding.severity]++;
      parts.push(`| \`${file.path}\` | ${fileCounts.error} | ${fileCounts.warning} | ${fileCounts.info} | ${file.result.models.length} |`);
    }
  }
  const skipped = input.files.filter((file) => file.result.error);
  if (skipped.length > 0) parts.push('', '**Not fully analysed**', '', ...skipped.map((file) => `- \`${file.path}\`: ${file.result.error}`));
  const noPatch = input.files.filter((file) => file.patch === undefined && file.result.findings.length > 0);
  if (noPatch.length > 0) parts.push('', `GitHub gave no diff for ${noPatch.map((file) => `\`${file.path}\``).join(', ')} (too large, renamed or binary), so its findings are annotations only.`);
  const models = input.files.flatMap((file) => file.result.models.map((model) => modelTable(file.path, model)));
  if (models.length > 0) parts.push('', '### Models', '', ...models.flatMap((table) => [table, '']));
  return { title, summary: truncate(parts.join('\n') || 'Nothing to review.', MAX_SUMMARY, '…(summary truncated: GitHub allows 65,535 characters)') };
}
