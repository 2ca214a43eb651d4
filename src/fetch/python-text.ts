/** A project file's text, or undefined when it is not text (binary, not UTF-8). */
export function pythonText(content: string | Uint8Array): string | undefined {
  if (typeof content === 'string') return content.includes('\u0000') ? undefined : content;
  try {
    return pythonText(new TextDecoder('utf-8', { fatal: true }).decode(content));
  } catch {
    return undefined;
  }
}
