// The documentation must say what the code does: rule pages are generated from the rule files,
// the README lists every rule, and the example config is valid.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { parseConfig } from '../src/config/config.js';
import { ruleMarkdown } from '../src/rules/docs.js';
import { packageRoot } from '../src/package-info.js';

const root = packageRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('documentation', () => {
  for (const rule of RULES) {
    it(`rules/${rule.meta.id}.md is up to date (run npm run docs)`, () => {
      const path = join(root, 'rules', `${rule.meta.id}.md`);
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path, 'utf8')).toBe(ruleMarkdown(rule));
    });
  }

  it('every rule has a file of its own named after its id', () => {
    for (const rule of RULES) expect(existsSync(join(root, 'rules', `${rule.meta.id}.ts`))).toBe(true);
  });

  it('the README lists every rule with its default severity', () => {
    for (const rule of RULES) expect(readme).toMatch(new RegExp(`\\| \\[\`${rule.meta.id}\`\\]\\(rules/${rule.meta.id}\\.md\\) \\| ${rule.meta.severity} \\|`));
  });

  it('the README opens with the install-and-run command and the test command, and .ci/run runs that test command', () => {
    const blocks = [...readme.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks[0]).toMatch(/^npm ci && npx footgun check fixtures\/seed/);
    expect(blocks[1]).toBe('npm test');
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/\nnpm ci\nnpm test\n$/);
  });

  it('the example configuration in .github/footgun.yml is valid', () => {
    expect(parseConfig(readFileSync(join(root, '.github', 'footgun.yml'), 'utf8'), RULES).problems).toEqual([]);
  });
});

describe('app.yml', () => {
  const manifest = readFileSync(join(root, 'app.yml'), 'utf8');
  it('subscribes to the events the App handles and asks for the minimal permissions', () => {
    expect(manifest).toMatch(/default_events:\n {2}- pull_request\n {2}- check_run\n {2}- check_suite\n/);
    expect(manifest).toMatch(/default_permissions:\n {2}pull_requests: write\n {2}checks: write\n {2}contents: read\n {2}metadata: read\n/);
  });
});
