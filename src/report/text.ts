import type { FileResult } from '../analyze.js';
import type { Severity } from '../rules/rule.js';
import { summarise } from './summary.js';

export interface TextOptions {
  color: boolean;
  /** the source of each file, to show the offending line */
  source: (path: string) => string | undefined;
}

const COLORS = { red: 31, yellow: 33, blue: 34, dim: 2, bold: 1, cyan: 36 } as const;

/** ESLint/Ruff-style text: findings grouped by file, each with its source line and a caret. */
export function toText(results: readonly FileResult[], options: TextOptions): string {
  const paint = (color: keyof typeof COLORS, text: string) => (options.color ? `\x1b[${COLORS[color]}m${text}\x1b[0m` : text);
  const severityColor: Record<Severity, keyof typeof COLORS> = { error: 'red', warning: 'yellow', info: 'blue' };
  const out: string[] = [];
  for (const result of results) {
    if (result.findings.length === 0 && !result.error) continue;
    out.push(paint('bold', result.path));
    if (result.error) out.push(`  ${paint('yellow', 'note')}  ${result.error}`);
    const lines = options.source(result.path)?.split('\n');
    for (const finding of result.findings) {
      const position = `${finding.line}:${finding.column}`.padEnd(7);
      out.push(`  ${paint('dim', position)} ${paint(severityColor[finding.severity], finding.severity.padEnd(7))} ${paint('cyan', finding.rule)}  ${finding.message}`);
      const line = lines?.[finding.line - 1]?.replace(/\r$/, '');
      if (line !== undefined) {
        const gutter = String(finding.line).padStart(6);
        const width = finding.endLine === finding.line ? Math.max(1, finding.endColumn - finding.column) : Math.max(1, line.length - finding.column + 1);
        out.push(paint('dim', `${gutter} | `) + line.replace(/\t/g, ' '));
        out.push(paint('dim', `${' '.repeat(6)} | `) + ' '.repeat(finding.column - 1) + paint(severityColor[finding.severity], '^'.repeat(width)));
      }
      for (const related of finding.related) out.push(paint('dim', `          line ${related.line}: ${related.message}`));
    }
    out.push('');
  }
  const summary = summarise(results);
  const problems = summary.error + summary.warning + summary.info;
  const counts = `${summary.error} error${summary.error === 1 ? '' : 's'}, ${summary.warning} warning${summary.warning === 1 ? '' : 's'}, ${summary.info} info`;
  const scope = `${summary.files} file${summary.files === 1 ? '' : 's'}, ${summary.models} model${summary.models === 1 ? '' : 's'}${summary.skipped ? `, ${summary.skipped} skipped` : ''}`;
  out.push(problems === 0 ? paint('bold', `No problems found (${scope}).`) : paint('bold', `${problems} problem${problems === 1 ? '' : 's'} (${counts}) in ${scope}.`));
  return out.join('\n');
}
