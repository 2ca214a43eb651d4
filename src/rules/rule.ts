import { z } from 'zod';
import type { SourceFacts } from '../facts/source-facts.js';
import type { Framework, Layer, Model, SourceRange, Task } from '../ir.js';
import type { ModelGraph } from './model-graph.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** Ruff's four sections: what the rule does, why that is bad, an example, and what to write instead. */
export interface RuleDocs {
  whatItDoes: string;
  whyIsThisBad: string;
  example: string;
  useInstead: string;
}

export interface RuleMeta<Options> {
  id: string;
  severity: Severity;
  summary: string;
  docs: RuleDocs;
  /** options with their defaults; the config validates against this schema */
  options: z.ZodType<Options>;
  frameworks?: Framework[];
}

/** A replacement that fixes the finding mechanically (becomes a GitHub suggestion). */
export interface Fix {
  range: SourceRange;
  replacement: string;
}

export interface Related {
  range: SourceRange;
  message: string;
}

export interface Report {
  /** the layer the finding is about; its source range is where the finding goes */
  layer?: Layer;
  /** where the finding goes when it is not a layer's own range (a compile argument) */
  range?: SourceRange;
  message: string;
  severity?: Severity;
  related?: Related[];
  fix?: Fix;
}

export interface ModelContext<Options> {
  model: Model;
  graph: ModelGraph;
  options: Options;
  /** the task from the loss or the configuration only, never guessed from the output layer */
  declaredTask: Task | null;
  /** how the message names the line of `target`, read from the finding at `from`: `line 7`, or `models.py line 7` in another file (see `lineRef`) */
  lineRef(target: SourceRange, from: SourceRange): string;
  report(report: Report): void;
}

/**
 * Which networks a rule looks at. 'model': it is about a model's input, output, loss, task or
 * training, so it applies to models only. 'local': it is about layers and how two of them are
 * wired (shapes, arguments, initialisation, activations between layers), so it applies to
 * components (blocks used inside another module) too.
 */
export type RuleScope = 'model' | 'local';

export interface ModelRule<Options = Record<string, never>> {
  meta: RuleMeta<Options> & { scope: RuleScope };
  check(context: ModelContext<Options>): void;
}

export interface FileReport {
  range: SourceRange;
  message: string;
  severity?: Severity;
  related?: Related[];
  fix?: Fix;
  /** the model the finding is about, when there is one */
  model?: string;
}

export interface FileContext {
  /** what the file's syntax says: classes, methods, assignments, calls */
  facts: SourceFacts;
  /** the models extracted from the file, with their shapes */
  models: readonly Model[];
  report(report: FileReport): void;
}

/**
 * Rules about the file rather than a model. Those with a `check` read the file's source facts;
 * the others are fed by the parser, the extractor and suppressions.
 */
export interface FileRule {
  meta: RuleMeta<Record<string, never>>;
  fileLevel: true;
  check?(context: FileContext): void;
}

export type AnyRule = ModelRule<any> | FileRule;

export function defineRule<Options>(rule: ModelRule<Options>): ModelRule<Options> {
  return rule;
}

export function defineFileRule(rule: Omit<FileRule, 'fileLevel'> & { check(context: FileContext): void }): FileRule {
  return { ...rule, fileLevel: true };
}

export function isFileRule(rule: AnyRule): rule is FileRule {
  return 'fileLevel' in rule;
}

/** The options schema of a rule that has none. */
export const NO_OPTIONS = z.object({});
