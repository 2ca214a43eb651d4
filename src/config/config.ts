import picomatch from 'picomatch';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Shape, Task } from '../ir.js';
import type { AnyRule, Severity } from '../rules/rule.js';
import { isFileRule } from '../rules/rule.js';
import { closestMatch } from '../text.js';

export interface RuleSetting {
  severity: Severity | 'off';
  options: Record<string, unknown>;
}

export interface TaskOverride {
  paths: string[];
  task: Task;
}

/** The input of models whose code does not show it (a PyTorch model without a sample input). */
export interface InputOverride {
  paths: string[];
  /** one sample, without the batch axis, in the framework's own layout */
  shape: number[];
  /** only the model footgun reports under this name */
  model?: string;
}

/** How the GitHub App (and `footgun review`) turns findings into a review. */
export interface ReviewSettings {
  /** review draft pull requests too */
  drafts: boolean;
  /** findings below this are check-run annotations only, not inline comments */
  comment_min_severity: Severity;
  /** the check run fails when a finding reaches this; never: it never fails */
  fail_on: Severity | 'never';
  /** inline comments per review, highest severity first; the rest go to the summary */
  max_comments: number;
  /**
   * Which new findings the review reports (reviewdog's filter modes): `added` those on added or
   * modified lines (or caused by one), `diff_context` also those on the diff's context lines,
   * `file` every new finding of a changed file, `all` also the findings already there.
   */
  filter: ReviewFilter;
  /** the check run also fails on findings that were there before the pull request */
  fail_on_existing: boolean;
}

export const REVIEW_FILTERS = ['added', 'diff_context', 'file', 'all'] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

export const DEFAULT_REVIEW: ReviewSettings = { drafts: false, comment_min_severity: 'warning', fail_on: 'error', max_comments: 30, filter: 'added', fail_on_existing: false };

export interface Config {
  include: string[];
  exclude: string[];
  rules: Record<string, RuleSetting>;
  tasks: TaskOverride[];
  inputs: InputOverride[];
  /** files larger than this are skipped with a message */
  maxFileBytes: number;
  review: ReviewSettings;
}

export interface ConfigProblem {
  /** dotted path of the key at fault, e.g. `rules.large-kernel` */
  key: string;
  message: string;
  line?: number;
}

const SEVERITIES = ['off', 'info', 'warning', 'error'] as const;
const TASKS = ['regression', 'binary', 'multiclass', 'multilabel'] as const;

export const DEFAULT_INCLUDE = ['**/*.py', '**/*.ipynb'];
export const DEFAULT_MAX_FILE_KB = 1024;

export function defaultConfig(rules: readonly AnyRule[]): Config {
  return {
    include: DEFAULT_INCLUDE,
    exclude: [],
    rules: Object.fromEntries(rules.map((rule) => [rule.meta.id, { severity: rule.meta.severity, options: defaultOptions(rule) }])),
    tasks: [],
    inputs: [],
    maxFileBytes: DEFAULT_MAX_FILE_KB * 1024,
    review: { ...DEFAULT_REVIEW },
  };
}

function defaultOptions(rule: AnyRule): Record<string, unknown> {
  return rule.meta.options.parse({}) as Record<string, unknown>;
}

/** The schema of `.github/footgun.yml`, built from the rules so every rule option is checked. */
export function configSchema(rules: readonly AnyRule[]) {
  const ruleEntries = Object.fromEntries(
    rules.map((rule) => {
      const options = rule.meta.options as unknown as z.ZodObject;
      const shape = isFileRule(rule) ? {} : options.partial().shape;
      return [rule.meta.id, z.union([z.enum(SEVERITIES), z.strictObject({ severity: z.enum(SEVERITIES).optional(), ...shape })]).optional()];
    }),
  );
  return z.strictObject({
    include: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
    rules: z.strictObject(ruleEntries).optional(),
    tasks: z.array(z.strictObject({ paths: z.array(z.string()).min(1), task: z.enum(TASKS) })).optional(),
    inputs: z.array(z.strictObject({ paths: z.array(z.string()).min(1), shape: z.array(z.number().int().positive()).min(1).max(4), model: z.string().min(1).optional() })).optional(),
    max_file_kb: z.number().int().positive().optional(),
    review: z
      .strictObject({
        drafts: z.boolean().optional(),
        comment_min_severity: z.enum(['info', 'warning', 'error']).optional(),
        fail_on: z.enum(['info', 'warning', 'error', 'never']).optional(),
        max_comments: z.number().int().min(0).max(100).optional(),
        filter: z.enum(REVIEW_FILTERS).optional(),
        fail_on_existing: z.boolean().optional(),
      })
      .optional(),
  });
}

/** Reads a footgun.yml text. Problems are returned, never thrown; the config falls back to the defaults. */
export function parseConfig(text: string, rules: readonly AnyRule[]): { config: Config; problems: ConfigProblem[] } {
  const config = defaultConfig(rules);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      config,
      problems: document.errors.map((error) => ({
        key: '(yaml)',
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
        line: lineCounter.linePos(error.pos[0]).line,
      })),
    };
  }
  return configFromData(document.toJS() ?? {}, rules, (path) => {
    const node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  });
}

/** Validates configuration already parsed from YAML (the GitHub App reads it with Probot's `context.config`). */
export function configFromData(data: unknown, rules: readonly AnyRule[], lineOf: (path: PropertyKey[]) => number | undefined = () => undefined): { config: Config; problems: ConfigProblem[] } {
  const config = defaultConfig(rules);
  const result = configSchema(rules).safeParse(data ?? {});
  if (!result.success) {
    return { config, problems: result.error.issues.map((issue) => describeIssue(issue, data, rules, lineOf)) };
  }
  const parsed = result.data;
  if (parsed.review) config.review = { ...config.review, ...parsed.review };
  if (parsed.include) config.include = parsed.include;
  if (parsed.exclude) config.exclude = parsed.exclude;
  if (parsed.tasks) config.tasks = parsed.tasks;
  if (parsed.inputs) config.inputs = parsed.inputs;
  if (parsed.max_file_kb) config.maxFileBytes = parsed.max_file_kb * 1024;
  for (const [id, setting] of Object.entries(parsed.rules ?? {})) {
    if (setting === undefined) continue;
    const current = config.rules[id]!;
    if (typeof setting === 'string') {
      current.severity = setting;
    } else {
      const { severity, ...options } = setting as { severity?: Severity | 'off' } & Record<string, unknown>;
      if (severity) current.severity = severity;
      current.options = { ...current.options, ...options };
    }
  }
  return { config, problems: [] };
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown, rules: readonly AnyRule[], lineOf: (path: PropertyKey[]) => number | undefined): ConfigProblem {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const [first] = issue.keys;
    const keyPath = [...path, first!];
    const known = path.length === 0 ? ['include', 'exclude', 'rules', 'tasks', 'inputs', 'max_file_kb', 'review'] : path[0] === 'rules' && path.length === 1 ? rules.map((r) => r.meta.id) : knownKeys(path, rules);
    const suggestion = closestMatch(first!, known);
    const what = path[0] === 'rules' && path.length === 1 ? 'unknown rule' : 'unknown key';
    return {
      key: keyPath.join('.'),
      message: `${what} '${first}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; known: ${known.join(', ')}`,
      line: lineOf(keyPath),
    };
  }
  const value = path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
  let message = issue.message;
  if (path[0] === 'rules' && path.length === 2 && issue.code === 'invalid_union') message = `expected off, info, warning, error or a mapping with 'severity' and the rule's options; got ${JSON.stringify(value)}`;
  else if (issue.code === 'invalid_value') message = `expected one of ${issue.values.map((v) => String(v)).join(', ')}; got ${JSON.stringify(value)}`;
  else if (issue.code === 'invalid_type') message = `expected ${issue.expected}; got ${JSON.stringify(value)}`;
  return { key: path.join('.') || '(top level)', message, line: lineOf(path) };
}

function knownKeys(path: string[], rules: readonly AnyRule[]): string[] {
  if (path[0] === 'rules' && path.length === 2) {
    const rule = rules.find((r) => r.meta.id === path[1]);
    const options = rule ? Object.keys((rule.meta.options as unknown as z.ZodObject).shape) : [];
    return ['severity', ...options];
  }
  if (path[0] === 'tasks') return ['paths', 'task'];
  if (path[0] === 'inputs') return ['paths', 'shape', 'model'];
  if (path[0] === 'review') return Object.keys(DEFAULT_REVIEW);
  return [];
}

function matcher(patterns: string[]): (path: string) => boolean {
  return picomatch(patterns, { dot: true });
}

const matchers = new WeakMap<Config, { include: (p: string) => boolean; exclude: (p: string) => boolean }>();

function matchersOf(config: Config) {
  let entry = matchers.get(config);
  if (!entry) {
    entry = { include: matcher(config.include), exclude: config.exclude.length ? matcher(config.exclude) : () => false };
    matchers.set(config, entry);
  }
  return entry;
}

/** Whether a repository-relative path (forward slashes) is one footgun should analyse. */
export function isIncluded(config: Config, path: string): boolean {
  const { include, exclude } = matchersOf(config);
  return include(path) && !exclude(path);
}

/** The task the configuration declares for a path, for models whose code does not tell: the first matching entry's. */
export function configuredTask(config: Config, path: string): Task | null {
  for (const override of config.tasks) if (matcher(override.paths)(path)) return override.task;
  return null;
}

/** The input shape (batch axis included) the configuration declares for a model of a path: the first matching entry's, if any. */
export function configuredInput(config: Config, path: string, model: string): Shape | null {
  const override = config.inputs.find((entry) => (entry.model === undefined || entry.model === model) && matcher(entry.paths)(path));
  return override ? [null, ...override.shape] : null;
}
