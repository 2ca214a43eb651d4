import type { Finding } from '../analyze.js';
import { identityOf } from './fingerprint.js';
import type { PatchLines } from './diff.js';

export interface Classification {
  /** for each head finding, in order: introduced by the change, or already there before it */
  status: ('new' | 'existing')[];
  /** findings of the old version that the new one no longer has */
  fixed: Finding[];
}

/**
 * Tells the findings a change introduced from those that were already there, by identity
 * (`identityOf`), never by line: a block moved down 30 lines keeps its findings. When a version
 * has more findings of one identity than the other, the ones on lines the change touched are the
 * new (or fixed) ones: a head finding on an unchanged line is matched first, and so is a base
 * finding on a line the change kept.
 */
export function classifyFindings(head: { findings: readonly Finding[]; source: string | undefined }, base: { findings: readonly Finding[]; source: string | undefined }, lines: PatchLines): Classification {
  const headLines = head.source?.split('\n') ?? [];
  const baseLines = base.source?.split('\n') ?? [];
  const unmatched = new Map<string, Finding[]>();
  const baseOrder = [...base.findings].sort((a, b) => Number(lines.removed.has(a.line)) - Number(lines.removed.has(b.line)));
  for (const finding of baseOrder) {
    const key = identityOf(finding, baseLines);
    const list = unmatched.get(key);
    if (list) list.push(finding);
    else unmatched.set(key, [finding]);
  }
  const status: ('new' | 'existing')[] = new Array(head.findings.length);
  const headOrder = head.findings.map((finding, index) => ({ finding, index })).sort((a, b) => Number(lines.added.has(a.finding.line)) - Number(lines.added.has(b.finding.line)));
  for (const { finding, index } of headOrder) {
    const match = unmatched.get(identityOf(finding, headLines));
    status[index] = match && match.length > 0 ? (match.shift(), 'existing') : 'new';
  }
  const fixed = [...unmatched.values()].flat().sort((a, b) => a.line - b.line || a.column - b.column);
  return { status, fixed };
}

/**
 * Where a new finding belongs in a review: its own line when the change touched it, else the
 * nearest changed line it depends on (the layer upstream whose change broke it), else nowhere.
 */
export function causeLine(finding: Finding, added: ReadonlySet<number>): number | undefined {
  if (added.has(finding.line)) return finding.line;
  return finding.trace?.find((line) => added.has(line));
}
