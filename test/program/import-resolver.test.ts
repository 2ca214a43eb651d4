import { describe, expect, it } from 'vitest';
import { ImportResolver } from '../../src/extract/import-resolver.js';

const project = new Set(['train.py', 'models/__init__.py', 'models/resnet.py', 'models/blocks.py', 'src/app/main.py', 'src/app/net.py', 'src/lib/layers.py', 'scripts/model.py', 'scripts/run.py', 'utils.py']);
const resolver = new ImportResolver((path) => project.has(path));

describe('resolving imports of the project’s own files', () => {
  it.each([
    ['train.py', 'models.resnet', 0, 'models/resnet.py'],
    ['train.py', 'models', 0, 'models/__init__.py'],
    ['train.py', 'torch.nn', 0, undefined],
    ['models/resnet.py', 'blocks', 1, 'models/blocks.py'],
    ['models/resnet.py', '', 1, 'models/__init__.py'],
    ['models/resnet.py', 'utils', 2, 'utils.py'],
    ['models/resnet.py', 'utils', 3, undefined],
    // a script imports its neighbour (sys.path[0] is the script's folder) before anything above it
    ['scripts/run.py', 'model', 0, 'scripts/model.py'],
    ['src/app/main.py', 'net', 0, 'src/app/net.py'],
    // a src/ layout imported from its root
    ['src/app/main.py', 'lib.layers', 0, 'src/lib/layers.py'],
    ['src/app/main.py', 'utils', 0, 'utils.py'],
  ] as const)('%s: import %s (level %i) → %s', (from, module, level, expected) => {
    expect(resolver.resolveModule({ from, module, level })).toBe(expected);
  });

  it('finds a submodule named in `from package import name`', () => {
    expect(resolver.resolveSubmodule({ from: 'train.py', module: 'models', level: 0 }, 'resnet')).toBe('models/resnet.py');
    expect(resolver.resolveSubmodule({ from: 'models/resnet.py', module: '', level: 1 }, 'blocks')).toBe('models/blocks.py');
    expect(resolver.resolveSubmodule({ from: 'train.py', module: 'models', level: 0 }, 'Net')).toBeUndefined();
  });
});
