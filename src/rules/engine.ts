import type { Config } from '../config/config.js';
import type { Layer, Model, SourceRange, Task } from '../ir.js';
import { ModelGraph } from './model-graph.js';
import type { AnyRule, Fix, ModelRule, Report, Severity } from './rule.js';
import { isFileRule } from './rule.js';

export interface Finding {
  rule: string;
  severity: Severity;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  model: string | null;
  related: { line: number; message: string }[];
  fix?: Fix;
}

interface Occurrence {
  finding: Finding;
  layer?: Layer;
}

/** Rule options with their defaults filled in, parsed once per configuration. */
const parsedOptions = new WeakMap<object, unknown>();

/** Runs every enabled model rule on one model. */
export function checkModel(model: Model, rules: readonly AnyRule[], config: Config, declaredTask: Task | null): Finding[] {
  const graph = new ModelGraph(model);
  const occurrences: Occurrence[] = [];
  for (const rule of rules) {
    if (isFileRule(rule)) continue;
    const setting = config.rules[rule.meta.id];
    if (!setting || setting.severity === 'off') continue;
    if (rule.meta.frameworks && !rule.meta.frameworks.includes(model.framework)) continue;
    const severityOverride = setting.severity !== rule.meta.severity ? setting.severity : undefined;
    let options = parsedOptions.get(setting);
    if (options === undefined) {
      options = (rule as ModelRule<unknown>).meta.options.parse(setting.options);
      parsedOptions.set(setting, options);
    }
    (rule as ModelRule<unknown>).check({
      model,
      graph,
      options,
      declaredTask,
      report(report: Report) {
        const range = report.range ?? report.layer?.range;
        if (!range) return;
        occurrences.push({
          finding: makeFinding(rule.meta.id, severityOverride ?? report.severity ?? rule.meta.severity, range, report, model.name),
          layer: report.layer,
        });
      },
    });
  }
  return mergeLoopPasses(occurrences);
}

export function makeFinding(rule: string, severity: Severity, range: SourceRange, report: Pick<Report, 'message' | 'related' | 'fix'>, model: string | null): Finding {
  return {
    rule,
    severity,
    line: range.line,
    column: range.column,
    endLine: range.endLine,
    endColumn: range.endColumn,
    message: report.message,
    model,
    related: (report.related ?? []).map((r) => ({ line: r.range.line, message: r.message })),
    ...(report.fix ? { fix: { range: plainRange(report.fix.range), replacement: report.fix.replacement } } : {}),
  };
}

/** A copy of a (lazily computed) source range as plain data, safe to serialise or send to another thread. */
function plainRange(range: SourceRange): SourceRange {
  return { line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn };
}

/**
 * A loop unrolled four times yields the same finding four times on one line. They become one
 * finding that says in which passes it happens.
 */
function mergeLoopPasses(occurrences: Occurrence[]): Finding[] {
  const groups = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const { finding } = occurrence;
    const key = `${finding.rule}:${finding.line}:${finding.column}`;
    const group = groups.get(key);
    if (group) group.push(occurrence);
    else groups.set(key, [occurrence]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    if (group.length === 1) return first.finding;
    const passes = [...new Set(group.map((o) => o.layer?.loop?.at(-1)?.index).filter((i): i is number => i !== undefined))].sort((a, b) => a - b);
    const loop = first.layer?.loop?.at(-1);
    if (!loop || passes.length < 2) return first.finding;
    const where = passes.length === loop.count ? `every pass of the loop at line ${loop.loopLine}` : `passes ${listing(passes.map((p) => String(p + 1)))} of the loop at line ${loop.loopLine}`;
    return { ...first.finding, message: `${first.finding.message} (${where})` };
  });
}

export function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
