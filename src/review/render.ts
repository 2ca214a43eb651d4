import type { Finding } from '../analyze.js';
import { ruleDocUrl } from '../rules/docs.js';
import type { ChangedFile, PlacedFinding, ReviewInput } from './build-review.js';
import { marker } from './fingerprint.js';

/** GitHub rejects comment and review bodies longer than this. */
export const MAX_BODY = 65_536;

const SEVERITY_LABEL = { error: '🛑 error', warning: '⚠️ warning', info: 'ℹ️ info' } as const;

export function truncate(text: string, limit: number, note: string): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - note.length - 2);
  return `${cut.slice(0, cut.lastIndexOf('\n') > 0 ? cut.lastIndexOf('\n') : cut.length)}\n${note}`;
}

/** Where a finding is, for a reader: `line 17`, or `cell 3, line 2` in a notebook. */
export function lineText(finding: { line: number; notebook?: { cell: number; line: number }; path?: string }): string {
  return finding.notebook ? `cell ${finding.notebook.cell}, line ${finding.notebook.line}` : `${finding.path === undefined ? '' : `\`${finding.path}\` `}line ${finding.line}`;
}

/** `net.py:17`, or `net.ipynb` cell 3, line 2 */
export function locationText(path: string, finding: { line: number; notebook?: { cell: number; line: number } }): string {
  return finding.notebook ? `\`${path}\` ${lineText(finding)}` : `\`${path}:${finding.line}\``;
}

/** The line with the finding's mechanical fix applied, when the comment sits on the line the fix changes. */
export function suggestedLine(placed: Pick<PlacedFinding, 'finding' | 'file' | 'anchor' | 'anchorFile'>): string | undefined {
  const { finding, file } = placed;
  const fix = finding.fix;
  const line = placed.anchor ?? finding.line;
  if (!fix || (placed.anchorFile !== undefined && placed.anchorFile !== file) || line !== finding.line || fix.range.line !== finding.line || fix.range.endLine !== finding.line) return undefined;
  const text = file.source?.split('\n')[finding.line - 1]?.replace(/\r$/, '');
  if (text === undefined) return undefined;
  return text.slice(0, fix.range.column - 1) + fix.replacement + text.slice(fix.range.endColumn - 1);
}

/** A reported line's code, short, for a comment that sits on another line (notebook lines are JSON: left out). */
function codeOf(file: ChangedFile, finding: Finding): string {
  if (finding.notebook) return '';
  const code = file.source?.split('\n')[finding.line - 1]?.trim();
  if (!code) return '';
  return ` (\`${code.length > 80 ? `${code.slice(0, 79)}…` : code.replace(/`/g, "'")}\`)`;
}

/**
 * One inline review comment: the rule and severity, the explanation with the fix, a suggestion, the
 * docs. A finding caused by this line but reported on another names that line as related.
 */
export function commentBody(placed: PlacedFinding): string {
  const { finding, fingerprint, file } = placed;
  const suggestion = suggestedLine(placed);
  const parts = [`**footgun** · \`${finding.rule}\` · ${SEVERITY_LABEL[finding.severity]}`, '', finding.message];
  const related = finding.related.map((item) => `- ${lineText(item)}: ${item.message}`);
  const elsewhere = placed.anchorFile !== undefined && placed.anchorFile !== file;
  if (placed.anchor !== undefined && (placed.anchor !== finding.line || elsewhere)) related.unshift(`- ${elsewhere ? `\`${file.path}\` ` : ''}${lineText(finding)}${codeOf(file, finding)}: where it shows; the change on this line causes it`);
  if (related.length > 0) parts.push('', ...related);
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

/** A finding as a list item; new ones carry their fingerprint so a later push does not repeat them. */
export function listItem(path: string, finding: Finding, fingerprint?: string): string {
  return `- ${locationText(path, finding)} · \`${finding.rule}\` · ${finding.severity}: ${finding.message}${fingerprint ? ` ${marker(fingerprint)}` : ''}`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The findings of a review, by what the pull request did to them. */
export interface Counted {
  fresh: readonly { finding: Finding }[];
  existing: readonly unknown[];
  fixed: readonly unknown[];
}

export function countBySeverity(findings: readonly { finding: Finding }[]) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const { finding } of findings) counts[finding.severity]++;
  return counts;
}

/** `1 new error, 2 new warnings · 2 already there · 1 fixed` */
export function headline(findings: Counted): string {
  const counts = countBySeverity(findings.fresh);
  const fresh = [counts.error && `${counts.error} new error${counts.error === 1 ? '' : 's'}`, counts.warning && `${counts.warning} new warning${counts.warning === 1 ? '' : 's'}`, counts.info && `${counts.info} new info`].filter(Boolean).join(', ');
  const parts = [fresh || (findings.existing.length > 0 ? 'No new problems' : 'No problems found')];
  if (findings.existing.length > 0) parts.push(`${findings.existing.length} already there`);
  if (findings.fixed.length > 0) parts.push(`${findings.fixed.length} fixed`);
  return parts.join(' · ');
}


export interface BodyItems {
  /** new findings GitHub cannot anchor (`review.filter: file` or `all`) */
  outsideDiff: PlacedFinding[];
  /** new findings over `review.max_comments` */
  overflow: PlacedFinding[];
  /** findings already there: counted, and listed with `review.filter: all` */
  existing: PlacedFinding[];
  listExisting: boolean;
  fixed: { file: { path: string }; finding: Finding }[];
}

/** The review's body: what is new, what the review could not anchor, what the change fixed, and how the models changed. */
export function reviewBody(fresh: PlacedFinding[], items: BodyItems, architecture: string, input: ReviewInput): string {
  const files = input.files.length;
  const parts = [`**footgun**: ${headline({ fresh, existing: items.existing, fixed: items.fixed })} in ${plural(files, 'changed file')}. The check run lists every finding and each model's layers and shapes.`];
  if (items.outsideDiff.length > 0) parts.push('', '**New, on lines this pull request did not change**', '', ...items.outsideDiff.map((p) => listItem(p.file.path, p.finding, p.fingerprint)));
  if (items.overflow.length > 0) parts.push('', `**More new findings** (over the ${input.settings.max_comments}-comment limit, \`review.max_comments\`)`, '', ...items.overflow.map((p) => listItem(p.file.path, p.finding, p.fingerprint)));
  if (items.fixed.length > 0) parts.push('', '**Fixed by this pull request**', '', ...items.fixed.map((p) => fixedItem(p.file.path, p.finding)));
  if (items.listExisting && items.existing.length > 0) parts.push('', `<details><summary>${plural(items.existing.length, 'finding')} already there before this pull request</summary>`, '', ...items.existing.map((p) => listItem(p.file.path, p.finding)), '', '</details>');
  if (architecture) parts.push('', '**Architecture changes**', '', architecture);
  return truncate(parts.join('\n'), MAX_BODY - 200, '…(more in the check run)');
}

/** A fixed finding: where it was before the change. */
export function fixedItem(path: string, finding: Finding): string {
  return `- ✅ \`${path}\` (${lineText(finding)} before) · \`${finding.rule}\`: ${finding.message}`;
}
