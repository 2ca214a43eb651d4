import type { Finding } from '../analyze.js';
import { SEVERITY_RANK } from '../rules/rule.js';
import { identityOf, subjectOf } from './fingerprint.js';
import type { PatchLines } from './diff.js';

export interface Classification {
  /** for each head finding, in order: introduced by the change, or already there before it */
  status: ('new' | 'existing')[];
  /** findings of the old version that the new one no longer has */
  fixed: Finding[];
}

/**
 * Tells the findings a change introduced from those that were already there, by identity
 * (`identityOf`), never by line: a block moved down 30 lines keeps its findings. A finding whose
 * facts changed but not what it is about (`subjectOf`: the rule, model and layer), at the same
 * severity or a lower one, was there too: a first convolution narrowed from 512 to 256 filters is
 * still too wide, not fixed and wide again. When a version has more findings of one identity than
 * the other, the ones on lines the change touched are the new (or fixed) ones: a head finding on
 * an unchanged line is matched first, and so is a base finding on a line the change kept.
 */
export function classifyFindings(head: { findings: readonly Finding[]; source: string | undefined }, base: { findings: readonly Finding[]; source: string | undefined }, lines: PatchLines): Classification {
  const headLines = head.source?.split('\n') ?? [];
  const baseLines = base.source?.split('\n') ?? [];
  const status: ('new' | 'existing')[] = new Array(head.findings.length).fill('new');
  let unmatchedBase = [...base.findings].sort((a, b) => Number(lines.removed.has(a.line)) - Number(lines.removed.has(b.line)));
  let unmatchedHead = head.findings.map((finding, index) => ({ finding, index })).sort((a, b) => Number(lines.added.has(a.finding.line)) - Number(lines.added.has(b.finding.line)));
  const pass = (key: (finding: Finding, sourceLines: readonly string[]) => string, fits: (head: Finding, base: Finding) => boolean) => {
    const candidates = new Map<string, Finding[]>();
    for (const finding of unmatchedBase) {
      const list = candidates.get(key(finding, baseLines));
      if (list) list.push(finding);
      else candidates.set(key(finding, baseLines), [finding]);
    }
    const matched = new Set<Finding>();
    unmatchedHead = unmatchedHead.filter(({ finding, index }) => {
      const list = candidates.get(key(finding, headLines)) ?? [];
      const at = list.findIndex((old) => fits(finding, old));
      if (at < 0) return true;
      matched.add(list.splice(at, 1)[0]!);
      status[index] = 'existing';
      return false;
    });
    unmatchedBase = unmatchedBase.filter((finding) => !matched.has(finding));
  };
  pass(identityOf, () => true);
  pass(subjectOf, (current, old) => SEVERITY_RANK[current.severity] <= SEVERITY_RANK[old.severity]);
  const fixed = unmatchedBase.sort((a, b) => a.line - b.line || a.column - b.column);
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
