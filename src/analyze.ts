import { RULE_IDS, RULES } from '../rules/index.js';
import type { Config } from './config/config.js';
import { configuredInput, configuredTask } from './config/config.js';
import { extractModels } from './extract/index.js';
import type { Project } from './extract/program.js';
import { SourceFacts } from './facts/source-facts.js';
import type { Framework, Model, ModelKind, Role, Shape, SourceRange, Task } from './ir.js';
import { parsePython } from './parse/parse-python.js';
import type { Finding } from './rules/engine.js';
import { checkFile, checkModel, findingPlace, makeFinding } from './rules/engine.js';
import type { AnyRule, Severity } from './rules/rule.js';
import { SEVERITY_RANK } from './rules/rule.js';
import { isSuppressed, readSuppressions } from './rules/suppressions.js';
import { assignTask } from './rules/task.js';
import { inferShapes } from './shapes/infer.js';

export type { Finding } from './rules/engine.js';

export interface LayerSummary {
  type: string;
  /** `name=` in Keras, the attribute it is assigned to in PyTorch */
  name?: string;
  /** the project file of `line`, when that is not the model's file */
  path?: string;
  line: number;
  output: Shape | null;
  params: number | null;
}

export interface ModelSummary {
  name: string;
  /** the project file that defines it, when that is not the file analysed (a module the file imports) */
  path?: string;
  framework: Framework;
  kind: ModelKind;
  /** 'model', or 'component' for a block used inside another module */
  role: Role;
  /** why: 'compiled at line 12', 'used by Block at line 40', 'nothing else in the file uses it' */
  roleReason: string;
  line: number;
  input: Shape | null;
  /** the shape of each of the model's outputs */
  outputs: (Shape | null)[];
  layers: LayerSummary[];
  params: number | null;
  /** in the framework's words: `sparse_categorical_crossentropy` for Keras, `nn.CrossEntropyLoss` for PyTorch */
  loss: string | null;
  optimizer: string | null;
  task: Task | null;
  /** the shape of the features the program feeds the model (the first `fit`, `predict` or forward pass on data), batch axis first */
  x: Shape | null;
  /** the shape of the targets its output is trained against */
  y: Shape | null;
  /** what footgun assumed to read the model */
  notes?: string[];
}

export interface FileResult {
  path: string;
  /** why the file could not be analysed (binary, too large, not UTF-8), or what went wrong inside footgun */
  error: string | null;
  findings: Finding[];
  models: ModelSummary[];
}

const BINARY_SNIFF_BYTES = 8000;

/**
 * The analysis core: source text and configuration in, findings and model summaries out.
 * No I/O, so the CLI, the GitHub App and tests share it unchanged. Given the file's project
 * (`program.path` is the file's path in it), the project modules the file imports are read as part
 * of its program, and a finding in one of them carries that file's `path` (analyze-program.ts
 * groups them by file).
 */
export function analyzeSource(path: string, content: string | Uint8Array, config: Config, rules: readonly AnyRule[] = RULES, program?: { project: Project; path: string }): FileResult {
  const result: FileResult = { path, error: null, findings: [], models: [] };
  const decoded = decode(content, config.maxFileBytes);
  if ('error' in decoded) return { ...result, error: decoded.error };
  const text = decoded.text;
  const severityOf = (rule: string): Severity | 'off' => config.rules[rule]?.severity ?? 'off';
  const findings: Finding[] = [];
  const addFileFinding = (rule: string, range: SourceRange, message: string) => {
    const severity = severityOf(rule);
    if (severity !== 'off') findings.push(makeFinding(rule, severity, range, { message }, null));
  };
  try {
    const { doc, syntaxErrors } = parsePython(text);
    for (const problem of syntaxErrors) addFileFinding('syntax-error', problem.range, problem.message);
    const { models, unlistedComponents, notes } = extractModels(doc, program);
    for (const note of notes) addFileFinding('analysis-limit', note.range, note.message);
    const task = configuredTask(config, path);
    const failures: string[] = [];
    for (const model of models) {
      try {
        // the configured input is the model's: a block inside it sees something else
        inferShapes(model, model.role === 'model' ? configuredInput(config, path, model.name) : null);
        const declaredTask = model.role === 'model' ? assignTask(model, task) : null;
        findings.push(...checkModel(model, rules, config, declaredTask, path));
        result.models.push(summarise(model, path));
      } catch (error) {
        failures.push(`footgun failed on model '${model.name}' (line ${model.range.line}): ${errorMessage(error)}`);
      }
    }
    for (const component of unlistedComponents) {
      try {
        inferShapes(component, null);
        findings.push(...checkModel(component, rules, config, null, path));
      } catch (error) {
        failures.push(`footgun failed on '${component.name}' (line ${component.range.line}): ${errorMessage(error)}`);
      }
    }
    const fileChecks = checkFile(new SourceFacts(doc), models, rules, config);
    findings.push(...fileChecks.findings);
    failures.push(...fileChecks.failures);
    if (failures.length > 0) result.error = failures.join('; ');
  } catch (error) {
    result.error = `footgun failed on this file: ${errorMessage(error)}`;
  }
  const suppressions = readSuppressions(text);
  for (const suppression of suppressions) {
    for (const { id, range } of suppression.ruleRanges) {
      if (!RULE_IDS.has(id)) addFileFinding('bad-suppression', range, `'${id}' is not a footgun rule, so this comment silences nothing. Check the id against the rule list (\`footgun rules\`).`);
    }
  }
  const importedSuppressions = new Map<string, ReturnType<typeof readSuppressions>>();
  const suppressionsOf = (file: string | undefined) => {
    if (file === undefined || !program) return suppressions;
    let found = importedSuppressions.get(file);
    if (!found) importedSuppressions.set(file, (found = readSuppressions(program.project.text(file) ?? '')));
    return found;
  };
  result.findings = uniqueInReadingOrder(findings.filter((finding) => finding.rule === 'bad-suppression' || !isSuppressed(suppressionsOf(finding.path), finding.rule, finding.line)));
  return result;
}

function decode(content: string | Uint8Array, maxBytes: number): { text: string } | { error: string } {
  const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
  if (size > maxBytes) return { error: oversizeMessage(size, maxBytes) };
  if (typeof content === 'string') {
    if (content.slice(0, BINARY_SNIFF_BYTES).includes('\u0000')) return { error: 'skipped: binary file (it contains NUL bytes), not Python source' };
    return { text: stripBom(content) };
  }
  const sniff = content.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { error: 'skipped: binary file (it contains NUL bytes), not Python source' };
  try {
    return { text: stripBom(new TextDecoder('utf-8', { fatal: true }).decode(content)) };
  } catch {
    return { error: 'skipped: not valid UTF-8 text; save the file as UTF-8 (PEP 3120) to have it analysed' };
  }
}

export function oversizeMessage(size: number, maxBytes: number): string {
  return `skipped: the file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit (raise max_file_kb in .github/footgun.yml to analyse it)`;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One finding per rule and place (a helper called twice yields its findings once), sorted by
 * position, the more severe first on the same one.
 */
export function uniqueInReadingOrder(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .filter((finding) => {
      const key = findingPlace(finding);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.rule.localeCompare(b.rule));
}

function summarise(model: Model, filePath: string): ModelSummary {
  const torch = model.framework === 'pytorch';
  const path = model.range.path;
  return {
    name: model.name,
    ...(path === undefined ? {} : { path }),
    framework: model.framework,
    kind: model.kind,
    role: model.role,
    roleReason: model.roleReason,
    line: model.range.line,
    input: model.input,
    outputs: model.outputs.map((id) => model.layers[id]?.output ?? null),
    layers: model.layers
      .filter((layer) => layer.kind !== 'input')
      .map((layer) => ({ type: layer.type, ...(layer.name === undefined ? {} : { name: layer.name }), ...(layer.range.path === path ? {} : { path: layer.range.path ?? filePath }), line: layer.range.line, output: layer.output, params: layer.params })),
    params: model.params,
    loss: model.loss.length > 0 ? model.loss.map((loss) => (torch ? (loss.written ?? loss.name) : loss.name)).join(', ') : null,
    optimizer: model.optimizer ? (torch ? (model.optimizer.written ?? model.optimizer.name) : model.optimizer.name) : null,
    task: model.task,
    x: model.data?.find((use) => use.x)?.x?.shape ?? null,
    y: model.data?.find((use) => use.y)?.y?.shape ?? null,
    ...(model.notes ? { notes: model.notes } : {}),
  };
}
