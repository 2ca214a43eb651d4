import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePython, pythonParser } from '../src/parse/parse-python.js';
import type { PyNode } from '../src/parse/py-node.js';
import { fixturePath } from './helpers.js';

const LITERALS = `
x = 0x1F + 0o17 + 0b1010 + 1_000 + 10L + 3j + 1.5 + 1. + .5 + 1e5 + 1.5e-3j + 1_0.0_1E+1_0
nämlich = _private + __dunder__ + x2 + True + False + None + ...
values[...] = print(nämlich)
`;

function pythonFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return pythonFiles(path);
    return entry.name.endsWith('.py') ? [path] : [];
  });
}

/** Every node's end as tree-sitter reports it, keyed by type and start (nested `a + b + c` share one). */
function nativeEnds(text: string): Map<string, number[]> {
  const cursor = pythonParser().parse(text).walk();
  const ends = new Map<string, number[]>();
  for (;;) {
    const key = `${cursor.nodeType}@${cursor.startIndex}`;
    ends.set(key, [...(ends.get(key) ?? []), cursor.endIndex]);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return ends;
  }
}

function allNodes(node: PyNode): PyNode[] {
  return [node, ...node.namedChildren.flatMap(allNodes)];
}

describe('reading the tree', () => {
  const sources = [LITERALS, ...pythonFiles(fixturePath('.')).map((path) => readFileSync(path, 'utf8'))];

  it('gives every node the range tree-sitter gives it, lexed names and numbers included', () => {
    let compared = 0;
    for (const text of sources) {
      const { doc } = parsePython(text);
      if (doc.text !== text) continue;
      const ends = nativeEnds(text);
      for (const node of allNodes(doc.root).slice(1)) {
        const key = `${node.type}@${node.start}`;
        expect(ends.get(key), key).toContain(node.end);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5_000);
    // every fixture of the repository is walked twice (natively and lazily): slow on a busy machine
  }, 60_000);

  it('reads the literals of a line as Python writes them', () => {
    const { doc } = parsePython(LITERALS);
    const texts = allNodes(doc.root).filter((node) => ['integer', 'float', 'identifier'].includes(node.type)).map((node) => node.text);
    expect(texts).toContain('1.5e-3j');
    expect(texts).toContain('1_0.0_1E+1_0');
    expect(texts).toContain('nämlich');
    expect(texts).toContain('10L');
  });
});
