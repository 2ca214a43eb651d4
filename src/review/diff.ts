/** What a unified diff of one file says about its lines. */
export interface PatchLines {
  /** lines of the new version the change adds or modifies */
  added: Set<number>;
  /** lines of the old version the change removes or modifies */
  removed: Set<number>;
  /** lines of the new version a review comment may sit on: the added and context lines of the hunks (GitHub rejects any other with 422) */
  commentable: Set<number>;
}

export function patchLines(patch: string | undefined): PatchLines {
  const lines: PatchLines = { added: new Set(), removed: new Set(), commentable: new Set() };
  if (!patch) return lines;
  let next = 0;
  let previous = 0;
  let inHunk = false;
  for (const text of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      previous = Number(header[1]);
      next = Number(header[2]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const marker = text[0];
    if (marker === '+') {
      lines.added.add(next);
      lines.commentable.add(next++);
    } else if (marker === ' ') {
      lines.commentable.add(next++);
      previous++;
    } else if (marker === '-') lines.removed.add(previous++);
    else if (marker === '\\' || text === '') continue;
    else inHunk = false;
  }
  return lines;
}

/** Lines of the new version of a file that a pull-request review comment may sit on. */
export function commentableLines(patch: string | undefined): Set<number> {
  return patchLines(patch).commentable;
}
