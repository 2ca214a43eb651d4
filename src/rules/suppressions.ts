import type { SourceRange } from '../ir.js';

export interface Suppression {
  /** null: every rule */
  rules: string[] | null;
  wholeFile: boolean;
  line: number;
  /** the comment is alone on its line, so it also covers the line below */
  standalone: boolean;
  /** where each named rule id is written, to report unknown ones */
  ruleRanges: { id: string; range: SourceRange }[];
}

const PATTERN = /#\s*footgun:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?/g;

/** Reads `# footgun: ignore[rule, …]` and `# footgun: ignore-file[rule]` comments. */
export function readSuppressions(text: string): Suppression[] {
  const suppressions: Suppression[] = [];
  if (!text.includes('footgun:')) return suppressions;
  const lines = text.split('\n');
  lines.forEach((lineText, index) => {
    if (!lineText.includes('footgun:')) return;
    for (const match of lineText.matchAll(PATTERN)) {
      const list = match[2];
      const ruleRanges: Suppression['ruleRanges'] = [];
      if (list !== undefined) {
        let offset = match.index + match[0].indexOf('[') + 1;
        for (const part of list.split(',')) {
          const id = part.trim();
          const start = offset + part.indexOf(id);
          if (id) ruleRanges.push({ id, range: { line: index + 1, column: start + 1, endLine: index + 1, endColumn: start + id.length + 1 } });
          offset += part.length + 1;
        }
      }
      suppressions.push({
        rules: list === undefined ? null : ruleRanges.map((r) => r.id),
        wholeFile: match[1] === 'ignore-file',
        line: index + 1,
        standalone: lineText.slice(0, match.index).trim() === '',
        ruleRanges,
      });
    }
  });
  return suppressions;
}

/** Whether a finding of `rule` on `line` is silenced: same line, the line above, or the whole file. */
export function isSuppressed(suppressions: readonly Suppression[], rule: string, line: number): boolean {
  return suppressions.some(
    (s) => (s.wholeFile || s.line === line || (s.standalone && s.line === line - 1)) && (s.rules === null || s.rules.includes(rule)),
  );
}
