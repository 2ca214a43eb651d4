import { z } from 'zod';
import type { AnyRule, RuleScope } from './rule.js';
import { isFileRule } from './rule.js';

export const PROJECT_URL = 'https://github.com/footgun-dev/footgun';
export const DOCS_BASE_URL = `${PROJECT_URL}/blob/main/rules`;

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE_URL}/${id}.md`;
}

export interface RuleOption {
  name: string;
  default: unknown;
  description: string | undefined;
}

/** A rule's options, with their defaults and what they set. */
export function ruleOptions(rule: AnyRule): RuleOption[] {
  if (isFileRule(rule)) return [];
  const schema = rule.meta.options as unknown as z.ZodObject;
  const defaults = rule.meta.options.parse({}) as Record<string, unknown>;
  return Object.entries(schema.shape).map(([name, option]) => ({ name, default: defaults[name], description: (option as z.ZodType).description }));
}

/** The `.github/footgun.yml` that sets a rule's severity and options (at their defaults). */
export function ruleConfigYaml(rule: AnyRule): string {
  const { id } = rule.meta;
  const options = ruleOptions(rule);
  if (options.length === 0) return ['# .github/footgun.yml', 'rules:', `  ${id}: off            # or info, warning, error`].join('\n');
  const entries: [string, string][] = [[`    severity: ${rule.meta.severity}`, 'off, info, warning or error'], ...options.map((option): [string, string] => [`    ${option.name}: ${JSON.stringify(option.default)}`, option.description ?? ''])];
  const width = Math.max(...entries.map(([entry]) => entry.length)) + 2;
  return ['# .github/footgun.yml', 'rules:', `  ${id}:`, ...entries.map(([entry, comment]) => (comment ? `${entry.padEnd(width)}# ${comment}` : entry))].join('\n');
}

const SCOPE_TEXT: Record<RuleScope, string> = {
  model: 'applies to models only, not to the blocks they are built from',
  local: 'applies to models and to the blocks they are built from',
};

/** A rule's documentation page, in Ruff's sections. `rules/<id>.md` is generated from this. */
export function ruleMarkdown(rule: AnyRule): string {
  const { id, severity, summary, docs, frameworks } = rule.meta;
  const options = ruleOptions(rule);
  const lines = [
    `# ${id}`,
    '',
    `Default severity: **${severity}**${frameworks ? ` · ${frameworks.join(', ')} only` : ''}${isFileRule(rule) ? '' : ` · ${SCOPE_TEXT[rule.meta.scope]}`}`,
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
    ruleConfigYaml(rule),
    '```',
  ];
  if (options.length > 0) lines.push('', `Every key is optional (the values shown are the defaults); \`${id}: off\` turns the rule off.`);
  lines.push('', `Silence one line with \`# footgun: ignore[${id}]\` on it or on the line above.`, '');
  return lines.join('\n');
}
