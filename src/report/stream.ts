import type { FileResult } from '../analyze.js';

/**
 * A report written file by file, so that a run over any number of files holds one file's result
 * at a time: `begin`, then `file` for each result in order, then `end`, each returning the text to write.
 */
export interface ReportWriter {
  begin(): string;
  /** `source`: the file's text, for formats that show the offending line */
  file(result: FileResult, source: string | undefined): string;
  end(): string;
}

/** The whole report at once, for callers that hold every result anyway. */
export function writeAll(writer: ReportWriter, results: readonly FileResult[], source: (path: string) => string | undefined = () => undefined): string {
  return writer.begin() + results.map((result) => writer.file(result, source(result.path))).join('') + writer.end();
}

/**
 * `JSON.stringify(document, null, 2)` written in parts: each array whose only item is one of the
 * `slots` strings (which must occur nowhere else in it: start them with `\u0000`) is cut open there, so its items can be written one at a time by `item`. The text
 * is byte for byte what stringifying the whole document would give.
 */
export class JsonTemplate {
  /** the text before the first slot's items, between the slots, and after the last */
  private readonly parts: string[] = [];
  private readonly indents: string[] = [];
  private readonly counts: number[] = [];
  private next = 0;

  constructor(document: unknown, slots: readonly string[]) {
    let rest = JSON.stringify(document, null, 2);
    for (const slot of slots) {
      const at = rest.indexOf(JSON.stringify(slot));
      const lineStart = rest.lastIndexOf('\n', at);
      const indent = rest.slice(lineStart + 1, at);
      this.parts.push(rest.slice(0, lineStart));
      this.indents.push(indent);
      this.counts.push(0);
      // what follows the slot: a newline, the array's own indent, then `]`
      rest = rest.slice(rest.indexOf(']', at));
    }
    this.parts.push(rest);
  }

  /** The text up to the first slot's items. */
  begin(): string {
    return this.parts[0]!;
  }

  /** One item of the slot being written (items are written slot by slot, in order). */
  item(value: unknown): string {
    const separator = this.counts[this.next]! > 0 ? ',' : '';
    this.counts[this.next]!++;
    const indent = this.indents[this.next]!;
    return `${separator}\n${indent}${stringifyAt(value, indent.length / 2)}`;
  }

  /** Closes the slot being written and gives the text up to the next one's items (or to the end). */
  close(): string {
    const slot = this.next++;
    const closing = this.counts[slot]! > 0 ? `\n${this.indents[slot]!.slice(2)}` : '';
    return closing + this.parts[slot + 1]!;
  }
}

/**
 * `JSON.stringify(value, null, 2)` as it reads `depth` levels deep in a document so stringified:
 * every line after the first indented by the depth. Stringified inside as many arrays, the value
 * comes out indented as it will stand, and the arrays' own lines are cut off (faster than
 * indenting every line of a large value).
 */
export function stringifyAt(value: unknown, depth: number): string {
  let wrapped: unknown = value;
  for (let level = 0; level < depth; level++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  let start = 0;
  let end = text.length;
  for (let level = 0; level < depth; level++) {
    start = text.indexOf('\n', start) + 1;
    end = text.lastIndexOf('\n', end - 1);
  }
  return text.slice(start + 2 * depth, end);
}
