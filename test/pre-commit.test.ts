// .pre-commit-hooks.yaml: pre-commit installs this package (language: node) and runs the hook's entry on the staged files.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { expect, it } from 'vitest';

it('the pre-commit hook runs the footgun command this package installs, on staged Python files and notebooks', () => {
  const [hook] = parse(readFileSync(new URL('../.pre-commit-hooks.yaml', import.meta.url), 'utf8'));
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(hook).toMatchObject({ id: 'footgun', language: 'node', types_or: ['python', 'jupyter'] });
  const [command, subcommand] = hook.entry.split(' ');
  expect(pkg.bin[command]).toBe('bin/footgun.js');
  expect(subcommand).toBe('check');
  // the package pre-commit builds must carry what the command runs
  expect(pkg.files).toEqual(expect.arrayContaining(['bin', 'dist']));
});
