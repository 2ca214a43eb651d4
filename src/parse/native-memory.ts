import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * tree-sitter allocates its syntax trees outside V8's heap and does not report their size, so V8
 * sees a few kilobytes per tree and rarely collects the wrappers whose finalizers free them: a
 * long run over many files grows by hundreds of megabytes. footgun keeps count of the native
 * memory it has caused (about 40 bytes per source character, measured) and asks V8 for a
 * collection once that passes a threshold. The cost is a few milliseconds per 64 MB of trees.
 */
const NATIVE_BYTES_PER_SOURCE_CHAR = 40;
const COLLECT_AFTER_BYTES = 64 * 1024 * 1024;

let pending = 0;
let collector: (() => void) | null | undefined;

function garbageCollector(): (() => void) | null {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  return collector;
}

export function noteNativeTree(sourceLength: number): void {
  pending += sourceLength * NATIVE_BYTES_PER_SOURCE_CHAR;
  if (pending < COLLECT_AFTER_BYTES) return;
  pending = 0;
  garbageCollector()?.();
}
