import { ruleDocUrl } from '../rules/docs.js';
import type { PlacedFinding, ReviewInput } from './build-review.js';
import { marker } from './fingerprint.js';

/** GitHub rejects comment and review bodies longer than this. */
export const MAX_BODY = 65_536;

const SEVERITY_LABEL = { error: '🛑 error', warning: '⚠️ warning', info: 'ℹ️ info' } as const;

export function truncate(text: string, limit: number, note: string): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - note.length - 2);
  return `${cut.slice(0, cut.lastIndexOf('\n') > 0 ? cut.lastIndexOf('\n') : cut.length)}\n${note}`;
}

/** The line with the finding's mechanical fix applied, when there is one on that line. */
export function suggestedLine(placed: PlacedFinding): string | undefined {
  const { finding, file } = placed;
  const fix = finding.fix;
  if (!fix || fix.range.line !== finding.line || fix.range.endLine !== finding.line) return undefined;
  const line = file.source?.split('\n')[finding.line - 1]?.replace(/\r$/, '');
  if (line === undefined) return undefined;
  return line.slice(0, fix.range.column - 1) + fix.replacement + line.slice(fix.range.endColumn - 1);
}

/** One inline review comment: the rule and severity, the explanation with the fix, a suggestion, the docs. */
export function commentBody(placed: PlacedFinding): string {
  const { finding, fingerprint } = placed;
  const suggestion = suggestedLine(placed);
  const parts = [`**footgun** · \`${finding.rule}\` · ${SEVERITY_LABEL[finding.severity]}`, '', finding.message];
  if (finding.related.length > 0) parts.push('', ...finding.related.map((related) => `- line ${related.line}: ${related.message}`));
  if (suggestion !== undefined) parts.push('', '```suggestion', suggestion, '```');
  parts.push('', `<sub>[What \`${finding.rule}\` checks, and why](${ruleDocUrl(finding.rule)}) · silence it with \`# footgun: ignore[${finding.rule}]\`</sub>`, marker(fingerprint));
  return truncate(parts.join('\n'), MAX_BODY - 100, `…(truncated)\n${marker(fingerprint)}`);
}

const FIXED_PREFIX = '✅ **Fixed**';

export function isMarkedFixed(body: string): boolean {
  return body.startsWith(FIXED_PREFIX);
}

export function fixedCommentBody(body: string, headSha: string): string {
  return truncate(`${FIXED_PREFIX} in ${headSha.slice(0, 7)}: footgun no longer finds this.\n\n<details><summary>Original comment</summary>\n\n${body}\n\n</details>`, MAX_BODY, '…');
}

function listItem(placed: PlacedFinding): string {
  const { finding, file, fingerprint } = placed;
  return `- \`${file.path}:${finding.line}\` · \`${finding.rule}\` · ${finding.severity}: ${finding.message} ${marker(fingerprint)}`;
}

/** The review's body: the counts, then the findings that cannot be inline comments. */
export function reviewBody(all: PlacedFinding[], items: { outsideDiff: PlacedFinding[]; overflow: PlacedFinding[] }, input: ReviewInput): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const placed of all) counts[placed.finding.severity]++;
  const parts = [`**footgun** found ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'} and ${counts.info} info in ${input.files.length} changed Python file${input.files.length === 1 ? '' : 's'}. The check run lists every finding and each model's layers and shapes.`];
  if (items.outsideDiff.length > 0) parts.push('', '**On lines outside this diff**', '', ...items.outsideDiff.map(listItem));
  if (items.overflow.length > 0) parts.push('', `**More findings** (over the ${input.settings.max_comments}-comment limit, \`review.max_comments\`)`, '', ...items.overflow.map(listItem));
  return truncate(parts.join('\n'), MAX_BODY - 100, '…(more findings in the check run)');
}
