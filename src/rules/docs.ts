import { z } from 'zod';
import type { AnyRule } from './rule.js';
import { isFileRule } from './rule.js';

export const PROJECT_URL = 'https://github.com/footgun-dev/footgun';
export const DOCS_BASE_URL = `${PROJECT_URL}/blob/main/rules`;

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE_URL}/${id}.md`;
}

/** The options of a rule with their defaults, as `name (default)` lines. */
export function optionLines(rule: AnyRule): string[] {
  if (isFileRule(rule)) return [];
  const schema = rule.meta.options as unknown as z.ZodObject;
  const defaults = rule.meta.options.parse({}) as Record<string, unknown>;
  return Object.keys(schema.shape).map((name) => `\`${name}\` (default ${JSON.stringify(defaults[name])})`);
}

/** A rule's documentation page, in Ruff's sections. `rules/<id>.md` is generated from this. */
export function ruleMarkdown(rule: AnyRule): string {
  const { id, severity, summary, docs, frameworks } = rule.meta;
  const options = optionLines(rule);
  const lines = [
    `# ${id}`,
    '',
    `Default severity: **${severity}**${frameworks ? ` · ${frameworks.join(', ')} only` : ''}`,
    '',
    summary,
    '',
    '## What it does',
    '',
    docs.whatItDoes,
    '',
    '## Why is this bad?',
    '',
    docs.whyIsThisBad,
    '',
    '## Example',
    '',
    '```python',
    docs.example,
    '```',
    '',
    '## Use instead',
    '',
    '```python',
    docs.useInstead,
    '```',
    '',
    '## Configuration',
    '',
    '```yaml',
    '# .github/footgun.yml',
    'rules:',
    `  ${id}: off            # or info, warning, error`,
    '```',
  ];
  if (options.length > 0) {
    lines.push('', 'Options:', '', ...options.map((o) => `- ${o}`));
  }
  lines.push('', `Silence one line with \`# footgun: ignore[${id}]\` on it or on the line above.`, '');
  return lines.join('\n');
}
