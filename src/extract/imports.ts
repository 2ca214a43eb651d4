// Import statements: every imported name becomes an external path (`nn.Conv2d` → `torch.nn.Conv2d`),
// which the framework front ends recognise when it is called.
import type { PyNode } from '../parse/py-node.js';
import type { Scope } from './scope.js';

/** `import torch.nn as nn`, `import keras`. */
export function bindImport(node: PyNode, scope: Scope, importedRoots: Set<string>): void {
  for (const child of node.namedChildren) {
    if (child.type === 'dotted_name') {
      const first = child.text.split('.')[0]!;
      importedRoots.add(first);
      scope.set(first, { kind: 'external', path: first });
    } else if (child.type === 'aliased_import') {
      const [dotted, alias] = child.namedChildren;
      if (dotted && alias) {
        importedRoots.add(dotted.text.split('.')[0]!.trim());
        scope.set(alias.text, { kind: 'external', path: dotted.text.replace(/\s+/g, '') });
      }
    }
  }
}

/** `from torch import nn`, `from keras.layers import Dense as D`. */
export function bindImportFrom(node: PyNode, scope: Scope, importedRoots: Set<string>): void {
  const [moduleNode, ...names] = node.namedChildren;
  if (!moduleNode) return;
  const module = moduleNode.text.replace(/\s+/g, '');
  importedRoots.add(module.split('.')[0]!);
  for (const name of names) {
    if (name.type === 'dotted_name') {
      scope.set(name.text, { kind: 'external', path: `${module}.${name.text}` });
    } else if (name.type === 'aliased_import') {
      const [original, alias] = name.namedChildren;
      if (original && alias) scope.set(alias.text, { kind: 'external', path: `${module}.${original.text}` });
    }
  }
}
