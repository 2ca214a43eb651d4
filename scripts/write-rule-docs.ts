// Regenerates rules/<id>.md from the documentation inside each rule file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../rules/index.js';
import { ruleMarkdown } from '../src/rules/docs.js';
import { packageRoot } from '../src/package-info.js';

for (const rule of RULES) {
  const target = join(packageRoot(), 'rules', `${rule.meta.id}.md`);
  writeFileSync(target, ruleMarkdown(rule));
}
console.log(`wrote ${RULES.length} rule docs`);
