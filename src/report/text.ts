import type { FileResult } from '../analyze.js';
import type { Severity } from '../rules/rule.js';
import { isNotebook, NotebookError, readNotebook } from '../notebook.js';
import type { ReportWriter } from './stream.js';
import { writeAll } from './stream.js';
import { RunTally } from './summary.js';

/** A notebook's cells as lines, to show a finding's code; none when the file cannot be read as one. */
function notebookCells(text: string): string[][] | undefined {
  try {
    return readNotebook(text).cells;
  } catch (error) {
    if (error instanceof NotebookError) return undefined;
    throw error;
  }
}

export interface TextOptions {
  color: boolean;
  /** the source of each file, to show the offending line */
  source: (path: string) => string | undefined;
}

const COLORS = { red: 31, yellow: 33, blue: 34, dim: 2, bold: 1, cyan: 36 } as const;

/** ESLint/Ruff-style text: findings grouped by file, each with its source line and a caret. */
export function toText(results: readonly FileResult[], options: TextOptions): string {
  return writeAll(textReport(options.color), results, options.source);
}

/** The text report written file by file; `source` gives each file's text to show the offending line. */
export function textReport(color: boolean): ReportWriter {
  const paint = (name: keyof typeof COLORS, text: string) => (color ? `\x1b[${COLORS[name]}m${text}\x1b[0m` : text);
  const severityColor: Record<Severity, keyof typeof COLORS> = { error: 'red', warning: 'yellow', info: 'blue' };
  const tally = new RunTally();
  return {
    begin: () => '',
    file(result, source) {
      tally.add(result);
      if (result.findings.length === 0 && !result.error) return '';
      const out: string[] = [];
      out.push(paint('bold', result.path));
      if (result.error) out.push(`  ${paint('yellow', 'note')}  ${result.error}`);
      const lines = source?.split('\n');
      const cells = source !== undefined && isNotebook(result.path) ? notebookCells(source) : undefined;
      for (const finding of result.findings) {
        // in a notebook, the cell, its line and column: the file's own lines are JSON
        const at = finding.notebook ?? finding;
        const position = finding.notebook ? `cell ${finding.notebook.cell}, line ${at.line}:${at.column}` : `${at.line}:${at.column}`.padEnd(7);
        out.push(`  ${paint('dim', position)} ${paint(severityColor[finding.severity], finding.severity.padEnd(7))} ${paint('cyan', finding.rule)}  ${finding.message}`);
        const line = (finding.notebook ? cells?.[finding.notebook.cell - 1]?.[finding.notebook.line - 1] : lines?.[finding.line - 1])?.replace(/\r$/, '');
        if (line !== undefined) {
          const gutter = String(at.line).padStart(6);
          const width = at.endLine === at.line ? Math.max(1, at.endColumn - at.column) : Math.max(1, line.length - at.column + 1);
          out.push(paint('dim', `${gutter} | `) + line.replace(/\t/g, ' '));
          out.push(paint('dim', `${' '.repeat(6)} | `) + ' '.repeat(at.column - 1) + paint(severityColor[finding.severity], '^'.repeat(width)));
        }
        for (const related of finding.related) {
          const where = related.notebook ? `cell ${related.notebook.cell}, line ${related.notebook.line}` : `${related.path ? `${related.path} ` : ''}line ${related.line}`;
          out.push(paint('dim', `          ${where}: ${related.message}`));
        }
      }
      out.push('');
      return `${out.join('\n')}\n`;
    },
    end() {
      const summary = tally.summary;
      const problems = summary.error + summary.warning + summary.info;
      const counts = `${summary.error} error${summary.error === 1 ? '' : 's'}, ${summary.warning} warning${summary.warning === 1 ? '' : 's'}, ${summary.info} info`;
      const scope = `${summary.files} file${summary.files === 1 ? '' : 's'}, ${summary.models} model${summary.models === 1 ? '' : 's'}${summary.skipped ? `, ${summary.skipped} skipped` : ''}`;
      return problems === 0 ? paint('bold', `No problems found (${scope}).`) : paint('bold', `${problems} problem${problems === 1 ? '' : 's'} (${counts}) in ${scope}.`);
    },
  };
}
