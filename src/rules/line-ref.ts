import type { SourceRange } from '../ir.js';

/**
 * A line that a finding's message names, as its reader finds it from the finding: `line 7` in the
 * finding's own file, `models.py line 7` in another file of the project (a model built in one file
 * and trained in another). Ranges in the analysed file itself carry no path.
 */
export function lineRef(target: SourceRange, from: SourceRange, analysedFile: string): string {
  const file = target.path ?? analysedFile;
  return file === (from.path ?? analysedFile) ? `line ${target.line}` : `${file} line ${target.line}`;
}
