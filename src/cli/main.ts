import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RULES } from '../../rules/index.js';
import type { FileResult } from '../analyze.js';
import { oversizeMessage } from '../analyze.js';
import type { FileJob } from '../analyze-files.js';
import { analyzeEach, defaultWorkerCount } from '../analyze-files.js';
import { groupByFile } from '../analyze-program.js';
import { loadConfig } from '../config/load.js';
import { collectFiles, toPosix } from '../fetch/local-files.js';
import { compactResult, jsonReport } from '../report/json.js';
import { sarifReport } from '../report/sarif.js';
import { RunTally } from '../report/summary.js';
import { textReport } from '../report/text.js';
import { ruleDocUrl, ruleOptions } from '../rules/docs.js';
import { SEVERITY_RANK } from '../rules/rule.js';
import type { Severity } from '../rules/rule.js';
import { readLimit } from '../notebook.js';
import { packageVersion } from '../package-info.js';
import { GitError, reviewCheckout, reviewMarkdown } from './review.js';

const USAGE = `Usage: footgun check [PATH ...] [options]
       footgun review [--base REF] [--format markdown|json]
       footgun rules [--format text|json]

Reviews neural-network model code (Keras and PyTorch, in .py files and Jupyter notebooks)
for architecture mistakes, without running it.

Options for check:
  --format text|json|sarif   output format (default: text)
  --config FILE              configuration file (default: .github/footgun.yml found upward)
  --fail-on LEVEL            exit 1 when a finding reaches error|warning|info; never: always 0 (default: error)
  --jobs N                   worker processes for large inputs (default: the number of CPUs, at most 8)
  --no-color                 plain text output
  -h, --help                 this help
  -v, --version              print the version

footgun review reviews the git checkout's changes since REF (default: the merge base with the
default branch) exactly as the GitHub App reviews a pull request, and prints the review: the
findings the changes introduce, those already there, those they fix, and how the models changed.

footgun rules lists every rule with its default severity and options.

Exit codes: 0 nothing reached --fail-on (review: the check run would pass), 1 something did,
2 usage, git or configuration error.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  isTty: boolean;
}

class UsageError extends Error {}

const FORMATS = ['text', 'json', 'sarif'] as const;
const FAIL_LEVELS = ['error', 'warning', 'info', 'never'] as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`footgun: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      config: { type: 'string' },
      'fail-on': { type: 'string' },
      'no-color': { type: 'boolean' },
      jobs: { type: 'string' },
      base: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'review') return review(values.base, oneOf(values.format ?? 'markdown', ['markdown', 'json'] as const, '--format'), io);
  const format = oneOf(values.format ?? 'text', command === 'rules' ? (['text', 'json'] as const) : FORMATS, '--format');
  if (command === 'rules') return listRules(format as 'text' | 'json', io);
  if (command !== 'check') throw new UsageError(`unknown command '${command}'`);
  const failOn = oneOf(values['fail-on'] ?? 'error', FAIL_LEVELS, '--fail-on');
  const jobs = values.jobs === undefined ? defaultWorkerCount() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer (got '${values.jobs}')`);
  return check(paths.length > 0 ? paths : ['.'], { format, failOn, jobs, configPath: values.config, color: io.isTty && !values['no-color'] && !process.env.NO_COLOR }, io);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

interface CheckOptions {
  format: (typeof FORMATS)[number];
  failOn: (typeof FAIL_LEVELS)[number];
  jobs: number;
  configPath: string | undefined;
  color: boolean;
}

async function check(relativePaths: string[], options: CheckOptions, io: CliIo): Promise<number> {
  const paths = relativePaths.map((path) => resolve(io.cwd, path));
  const loaded = loadConfig(RULES, options.configPath && resolve(io.cwd, options.configPath), paths[0]!);
  if (loaded.problems.length > 0) {
    const where = loaded.path ? relative(io.cwd, loaded.path) || loaded.path : 'config';
    io.stderr(`footgun: invalid configuration in ${where}:\n${loaded.problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.key}: ${p.message}`).join('\n')}\n`);
    return 2;
  }
  const { config, root } = loaded;
  const { files, missing } = collectFiles(paths, config, root);
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.map((path) => relativePaths[paths.indexOf(path)] ?? path).join(', ')}`);
  const displayPath = (file: string) => toPosix(relative(io.cwd, file)) || file;
  // Files are read when they are analysed, and each result is kept compact until every file is
  // done: a finding a file causes in a project module it imports is reported in that module's
  // entry, which may come before it.
  const asJson = options.format === 'json';
  const entries: FileResult[] = [];
  const roots = new Map<string, string>();
  let batch: FileJob[] = [];
  const flush = async () => {
    const jobs = batch;
    batch = [];
    await analyzeEach(jobs, config, options.jobs, (result) => entries.push(compactResult(result, asJson)));
  };
  for (const file of files) {
    const path = displayPath(file.path);
    const size = sourceSize(file.path, readLimit(file.path, config.maxFileBytes));
    if ('error' in size) {
      // reported in its place, after the files before it
      await flush();
      entries.push({ path, error: size.error, findings: [], models: [] });
      continue;
    }
    roots.set(path, file.root);
    batch.push({
      path,
      configPath: file.configPath,
      projectRoot: file.root,
      size: size.bytes,
      get content() {
        return readFileSync(file.path);
      },
    });
  }
  await flush();
  // a finding in a project module a file imports is reported in that module's file
  const results = groupByFile(entries, (projectPath, from) => displayPath(join(roots.get(from.path)!, projectPath)));
  // the text and SARIF reports show or fingerprint the lines of the findings: read again as the report is written
  const source = (result: FileResult) => {
    if (asJson || result.findings.length === 0) return undefined;
    const size = sourceSize(resolve(io.cwd, result.path), config.maxFileBytes);
    return 'error' in size ? undefined : new TextDecoder().decode(readFileSync(resolve(io.cwd, result.path)));
  };
  const report = asJson ? jsonReport() : options.format === 'sarif' ? sarifReport(RULES, packageVersion()) : textReport(options.color);
  const tally = new RunTally();
  io.stdout(report.begin());
  for (const result of results) {
    tally.add(result);
    io.stdout(report.file(result, source(result)));
  }
  io.stdout(`${report.end()}\n`);
  if (options.failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[options.failOn as Severity];
  const summary = tally.summary;
  const reached = (['error', 'warning', 'info'] as const).some((severity) => SEVERITY_RANK[severity] >= threshold && summary[severity] > 0);
  return reached ? 1 : 0;
}

function review(base: string | undefined, format: 'markdown' | 'json', io: CliIo): number {
  let local;
  try {
    local = reviewCheckout(io.cwd, base);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    io.stderr(`footgun: ${error.message}\n`);
    return 2;
  }
  io.stdout(format === 'json' ? `${JSON.stringify(local.plan, null, 2)}\n` : reviewMarkdown(local));
  return local.plan.conclusion === 'failure' ? 1 : 0;
}

/** The file's size, unless it is over the size limit or cannot be read. */
function sourceSize(file: string, maxBytes: number): { bytes: number } | { error: string } {
  try {
    const size = statSync(file).size;
    if (size > maxBytes) return { error: oversizeMessage(size, maxBytes) };
    accessSync(file, constants.R_OK);
    return { bytes: size };
  } catch (error) {
    return { error: `cannot read: ${(error as Error).message}` };
  }
}

function listRules(format: 'text' | 'json', io: CliIo): number {
  if (format === 'json') {
    const rules = RULES.map((rule) => ({ id: rule.meta.id, severity: rule.meta.severity, summary: rule.meta.summary, options: ruleOptions(rule), docs: ruleDocUrl(rule.meta.id) }));
    io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...RULES.map((rule) => rule.meta.id.length));
  const indent = ' '.repeat(width + 11);
  for (const rule of RULES) {
    io.stdout(`${rule.meta.id.padEnd(width)}  ${rule.meta.severity.padEnd(7)}  ${rule.meta.summary}\n`);
    for (const option of ruleOptions(rule)) io.stdout(`${indent}${option.name}: ${JSON.stringify(option.default)}${option.description ? ` — ${option.description}` : ''}\n`);
  }
  io.stdout(`\nSet a rule's severity and options in .github/footgun.yml, e.g.\n  rules:\n    pool-too-large: { severity: warning, max_size: 4 }\nEach rule's page: ${ruleDocUrl('<id>')}\n`);
  return 0;
}
