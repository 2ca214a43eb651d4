/** Where a string's contents and the string itself end; an unterminated one ends at its line (or the file, for a triple quote). */
export function stringEnd(text: string, start: number, quote: string): { contentEnd: number; end: number } {
  let i = start + quote.length;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (quote.length === 1 && ch === '\n') return { contentEnd: i, end: i };
    if (text.startsWith(quote, i)) return { contentEnd: i, end: i + quote.length };
    i++;
  }
  return { contentEnd: text.length, end: text.length };
}
