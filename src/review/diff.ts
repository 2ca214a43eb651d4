/**
 * Lines of the new version of a file that a pull-request review comment may sit on: the added
 * and context lines of the patch's hunks (GitHub rejects any other line with 422).
 */
export function commentableLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  let next = 0;
  let inHunk = false;
  for (const text of patch.split('\n')) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      next = Number(header[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const marker = text[0];
    if (marker === '+' || marker === ' ') lines.add(next++);
    else if (marker === '\\' || marker === '-') continue;
    else if (text === '') continue;
    else inHunk = false;
  }
  return lines;
}
