// Regenerates rules/<id>.md from the documentation inside each rule file.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { ruleMarkdown } from '../src/rules/docs.js';

for (const rule of RULES) {
  const target = fileURLToPath(new URL(`../rules/${rule.meta.id}.md`, import.meta.url));
  writeFileSync(target, ruleMarkdown(rule));
}
console.log(`wrote ${RULES.length} rule docs`);
