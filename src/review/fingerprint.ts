import { createHash } from 'node:crypto';
import type { Finding } from '../analyze.js';

/**
 * A finding's identity across pushes: rule, file, model and the code of its line with whitespace
 * normalised, not the line number (which moves when code is added above it). Findings with the
 * same identity in one file are told apart by their order.
 */
export function fingerprints(path: string, findings: readonly Finding[], source: string | undefined): string[] {
  const lines = source?.split('\n') ?? [];
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const code = (lines[finding.line - 1] ?? '').replace(/#.*$/, '').replace(/\s+/g, ' ').trim();
    const key = [finding.rule, path, finding.model ?? '', code].join('\u0000');
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
