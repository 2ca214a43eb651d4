import type { Config } from '../config/config.js';
import type { SourceFacts } from '../facts/source-facts.js';
import type { Layer, Model, SourceRange, Task } from '../ir.js';
import { lineRef } from './line-ref.js';
import { ModelGraph } from './model-graph.js';
import type { AnyRule, Fix, ModelRule, Report, Severity } from './rule.js';
import { isFileRule } from './rule.js';

export interface Finding {
  rule: string;
  severity: Severity;
  /** the project file the finding is in, when it is not the file analysed but a module it imports */
  path?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  model: string | null;
  /**
   * The layer the finding is about, as it is known within its model: its name (`name=` in Keras,
   * the attribute in PyTorch) or its type and rank among the layers of that type (`Conv2D#2`).
   * Part of the finding's identity across versions of a file, where line numbers are not.
   */
  layer?: string;
  related: { line: number; message: string; notebook?: { cell: number; line: number }; path?: string }[];
  /** in a notebook, where the finding is in its cell (`line` and `column` are the notebook file's) */
  notebook?: { cell: number; line: number; column: number; endLine: number; endColumn: number };
  /**
   * Other lines whose code the finding depends on, nearest first: where its layer is built or
   * applied, the related lines, and for a shape error the layers that feed it. A review places a
   * finding that a change caused elsewhere on the changed line.
   */
  trace?: number[];
  fix?: Fix;
}

interface Occurrence {
  finding: Finding;
  layer?: Layer;
}

/** Rule options with their defaults filled in, parsed once per configuration. */
const parsedOptions = new WeakMap<object, unknown>();

/** Runs every enabled model rule on one model of the analysed file (`file`, the path its messages name it by). */
export function checkModel(model: Model, rules: readonly AnyRule[], config: Config, declaredTask: Task | null, file: string): Finding[] {
  const graph = new ModelGraph(model);
  const paths = layerPaths(model);
  const occurrences: Occurrence[] = [];
  for (const rule of rules) {
    if (isFileRule(rule)) continue;
    const setting = config.rules[rule.meta.id];
    if (!setting || setting.severity === 'off') continue;
    if (rule.meta.frameworks && !rule.meta.frameworks.includes(model.framework)) continue;
    if (model.role === 'component' && rule.meta.scope === 'model') continue;
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
      lineRef: (target, from) => lineRef(target, from, file),
      report(report: Report) {
        const range = report.range ?? report.layer?.range;
        if (!range) return;
        const finding = makeFinding(rule.meta.id, severityOverride ?? report.severity ?? rule.meta.severity, range, report, model.name);
        if (report.layer) finding.layer = paths.get(report.layer);
        const trace = traceLines(model, finding, report.layer);
        if (trace.length > 0) finding.trace = trace;
        occurrences.push({ finding, layer: report.layer });
      },
    });
  }
  return mergeLoopPasses(occurrences);
}

/** Runs every enabled file rule that reads the source facts; a rule that fails is named in `failures` and the others still run. */
export function checkFile(facts: SourceFacts, models: readonly Model[], rules: readonly AnyRule[], config: Config): { findings: Finding[]; failures: string[] } {
  const findings: Finding[] = [];
  const failures: string[] = [];
  for (const rule of rules) {
    if (!isFileRule(rule) || !rule.check) continue;
    const setting = config.rules[rule.meta.id];
    if (!setting || setting.severity === 'off') continue;
    const severityOverride = setting.severity !== rule.meta.severity ? setting.severity : undefined;
    try {
      rule.check({
        facts,
        models,
        report(report) {
          findings.push(makeFinding(rule.meta.id, severityOverride ?? report.severity ?? rule.meta.severity, report.range, report, report.model ?? null));
        },
      });
    } catch (error) {
      failures.push(`footgun failed on rule ${rule.meta.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { findings, failures };
}

export function makeFinding(rule: string, severity: Severity, range: SourceRange, report: Pick<Report, 'message' | 'related' | 'fix'>, model: string | null): Finding {
  return {
    rule,
    severity,
    ...(range.path === undefined ? {} : { path: range.path }),
    line: range.line,
    column: range.column,
    endLine: range.endLine,
    endColumn: range.endColumn,
    message: report.message,
    model,
    related: (report.related ?? []).map((r) => ({ line: r.range.line, message: r.message, ...(r.range.path === undefined ? {} : { path: r.range.path }) })),
    ...(report.fix ? { fix: { range: plainRange(report.fix.range), replacement: report.fix.replacement } } : {}),
  };
}

/** A copy of a (lazily computed) source range as plain data, safe to serialise or send to another thread. */
function plainRange(range: SourceRange): SourceRange {
  return { line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn, ...(range.path === undefined ? {} : { path: range.path }) };
}

/** Each layer's path within its model: its name, or its type and rank among the layers of that type. */
function layerPaths(model: Model): Map<Layer, string> {
  const paths = new Map<Layer, string>();
  const ranks = new Map<string, number>();
  for (const layer of [...model.layers, ...model.unwiredModules]) {
    const rank = (ranks.get(layer.type) ?? 0) + 1;
    ranks.set(layer.type, rank);
    paths.set(layer, layer.name ?? `${layer.type}#${rank}`);
  }
  return paths;
}

const MAX_TRACE_LINES = 32;

/** The lines a finding depends on besides its own, nearest first (see `Finding.trace`). */
function traceLines(model: Model, finding: Finding, layer: Layer | undefined): number[] {
  const lines = new Set<number>();
  // lines of the finding's own file only
  const add = (range: { line: number; path?: string } | undefined) => {
    if (range !== undefined && range.path === finding.path && range.line !== finding.line && lines.size < MAX_TRACE_LINES) lines.add(range.line);
  };
  if (layer) {
    add(layer.range);
    add(layer.appliedAt);
  }
  for (const related of finding.related) add(related);
  // a shape error is made upstream: any layer feeding this one may have changed its input
  if (!layer?.shapeError) return [...lines];
  const seen = new Set<number>([layer.id]);
  let frontier = layer.inputs;
  while (frontier.length > 0 && lines.size < MAX_TRACE_LINES) {
    const next: number[] = [];
    for (const id of frontier) {
      if (seen.has(id)) continue;
      seen.add(id);
      const producer = model.layers[id];
      if (!producer) continue;
      add(producer.range);
      add(producer.appliedAt);
      next.push(...producer.inputs);
    }
    frontier = next;
  }
  return [...lines];
}

/** What makes two findings the same one: the rule, and the file and position it reports. */
export function findingPlace(finding: Finding): string {
  return `${finding.path ?? ''}:${finding.rule}:${finding.line}:${finding.column}`;
}

/**
 * A loop unrolled four times yields the same finding four times on one line. They become one
 * finding that says in which passes it happens.
 */
function mergeLoopPasses(occurrences: Occurrence[]): Finding[] {
  const groups = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const { finding } = occurrence;
    const key = findingPlace(finding);
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
    return { ...first.finding, message: `${first.finding.message} (${passesText(passes, loop.count, loop.loopLine)})` };
  });
}

/** Which passes of a loop, short enough to read: runs become ranges, and a long list is counted. */
export function passesText(passes: readonly number[], count: number, loopLine: number): string {
  const loop = `the loop at line ${loopLine}`;
  if (passes.length === count) return `every pass of ${loop}`;
  const runs: [number, number][] = [];
  for (const pass of passes) {
    const last = runs[runs.length - 1];
    if (last && pass === last[1] + 1) last[1] = pass;
    else runs.push([pass, pass]);
  }
  const label = ([from, to]: [number, number]) => (from === to ? String(from + 1) : to === from + 1 ? `${from + 1}, ${to + 1}` : `${from + 1}–${to + 1}`);
  if (runs.length <= 3) return `passes ${listing(runs.map(label))} of ${loop}`;
  return `${passes.length} of the ${count} passes of ${loop} (${label(runs[0]!)}, ${label(runs[1]!)}, …, ${label(runs[runs.length - 1]!)})`;
}

export function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
