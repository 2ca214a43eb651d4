import { createHash } from 'node:crypto';
import type { Finding } from '../analyze.js';

/**
 * What a finding says, without where: line numbers in the message ("the loss at line 29", "the
 * loop at line 3", "cell 4, line 2") move when code moves, the facts do not.
 */
export function factsOf(message: string): string {
  return message.replace(/\b(?:cell \d+, )?line \d+/g, 'line');
}

/**
 * What a finding is about within a file, independent of line numbers: its rule, model and the
 * layer (by name, or by type: a layer's rank among its type shifts when one is inserted before
 * it). A finding about no model (a syntax error) is about the code of its line.
 */
export function subjectOf(finding: Finding, sourceLines: readonly string[]): string {
  const subject = finding.layer !== undefined ? `layer ${finding.layer.replace(/#\d+$/, '')}` : finding.model !== null ? 'model' : `code ${normalisedCode(sourceLines[finding.line - 1])}`;
  return [finding.rule, finding.model ?? '', subject].join('\u0000');
}

/** A finding's identity within a file: what it is about (`subjectOf`) and the facts of its message. */
export function identityOf(finding: Finding, sourceLines: readonly string[]): string {
  return `${subjectOf(finding, sourceLines)}\u0000${factsOf(finding.message)}`;
}

function normalisedCode(line: string | undefined): string {
  return (line ?? '').replace(/#.*$/, '').replace(/\s+/g, ' ').trim();
}

/**
 * Each finding's fingerprint across pushes and versions: the file and the finding's identity,
 * never its line number. Findings with the same identity in one file are told apart by their order.
 * Review comments carry it, and SARIF results carry it as `partialFingerprints`.
 */
export function fingerprints(path: string, findings: readonly Finding[], source: string | undefined): string[] {
  const lines = source?.split('\n') ?? [];
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const key = `${path}\u0000${identityOf(finding, lines)}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 16);
  });
}

const MARKER = /<!-- footgun:finding ([0-9a-f]{16}) -->/;

export function marker(fingerprint: string): string {
  return `<!-- footgun:finding ${fingerprint} -->`;
}

/** The fingerprint hidden in a comment footgun wrote, if it is one. */
export function readMarker(body: string): string | undefined {
  return MARKER.exec(body)?.[1];
}
