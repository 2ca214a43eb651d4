// Corpus report: how much of a folder of real model code footgun reads, and what it says about it.
// Usage: npm run corpus -- DIR [--json FILE] [--single-files]
// Each file is read with the project modules it imports (DIR is the project root), unless
// --single-files reads each file on its own.
// Prints files, models by role (models, and the components they are built from), layers of the
// models with a known output shape, models and components with a known parameter count, the files
// that get a warning or error (with their first finding), the slowest files and the time taken.
// It asserts nothing; it is not part of `npm test`.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { RULES } from '../rules/index.js';
import type { FileResult } from '../src/analyze.js';
import { analyzeSource } from '../src/analyze.js';
import { groupByFile } from '../src/analyze-program.js';
import { defaultConfig } from '../src/config/config.js';
import { Project } from '../src/extract/program.js';
import { localProjectFiles } from '../src/fetch/local-files.js';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const folder = args.find((arg, index) => !arg.startsWith('--') && (jsonAt < 0 || index !== jsonAt + 1));
if (!folder || !existsSync(folder) || !statSync(folder).isDirectory()) {
  console.error(`usage: npm run corpus -- DIR [--json FILE]\n${folder ? `${folder} is not a folder` : 'no folder given'} (the development corpus: ../shared/corpus/README.md)`);
  process.exit(2);
}

function pythonFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return pythonFiles(path);
      return entry.name.endsWith('.py') ? [path] : [];
    });
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;
}

const config = defaultConfig(RULES);
const paths = pythonFiles(folder);
const project = args.includes('--single-files') ? undefined : new Project(localProjectFiles(folder, config.maxFileBytes));
const analysed: (FileResult & { ms: number; bytes: number })[] = [];
const started = process.hrtime.bigint();
for (const path of paths) {
  const text = readFileSync(path, 'utf8');
  const start = process.hrtime.bigint();
  const file = relative(folder, path);
  const result = analyzeSource(file, text, config, undefined, project && { project, path: file });
  analysed.push({ ...result, ms: Number(process.hrtime.bigint() - start) / 1e6, bytes: Buffer.byteLength(text) });
  // tree-sitter frees its native trees in finalizers that run between event-loop turns
  await yieldToEventLoop();
}
const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
// a finding in an imported module counts once, in that module's file
const results = groupByFile(analysed, (path) => path) as typeof analysed;

const models = results.flatMap((result) => result.models);
const byRole = new Map<string, number>();
for (const model of models) {
  const role = model.role;
  byRole.set(role, (byRole.get(role) ?? 0) + 1);
}
// a model's layers include those of the components it uses: count them once, in the models
const wholeModels = models.filter((model) => model.role === 'model');
const components = models.filter((model) => model.role === 'component');
const layers = wholeModels.flatMap((model) => model.layers);
const shaped = layers.filter((layer) => layer.output !== null).length;
const counted = wholeModels.filter((model) => model.params !== null).length;
const countedComponents = components.filter((model) => model.params !== null).length;
// every network of every file, as footgun counted before it told models from components
const everyLayer = models.flatMap((model) => model.layers);
const everyShaped = everyLayer.filter((layer) => layer.output !== null).length;
const everyCounted = models.filter((model) => model.params !== null).length;
const noisy = results.filter((result) => result.findings.some((finding) => finding.severity !== 'info'));
const failed = results.filter((result) => result.error !== null);
const bySeverity = { error: 0, warning: 0, info: 0 };
const byRule = new Map<string, number>();
for (const finding of results.flatMap((result) => result.findings)) {
  bySeverity[finding.severity]++;
  if (finding.severity !== 'info') byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
}
const megabytes = results.reduce((sum, result) => sum + result.bytes, 0) / (1024 * 1024);

const row = (label: string, text: string) => console.log(`${label.padEnd(34)}${text}`);
row('files', `${results.length} (${megabytes.toFixed(2)} MB)${failed.length > 0 ? `, ${failed.length} with an error` : ''}`);
row('models', `${models.length} (${[...byRole].map(([role, count]) => `${count} ${role}`).join(', ')})`);
row('layers with a known output shape', `${shaped} of ${layers.length} (${percent(shaped, layers.length)}), in the models`);
row('models with a known param count', `${counted} of ${wholeModels.length} (${percent(counted, wholeModels.length)}); components ${countedComponents} of ${components.length} (${percent(countedComponents, components.length)})`);
row('in every network', `layers shaped ${everyShaped} of ${everyLayer.length} (${percent(everyShaped, everyLayer.length)}), param count ${everyCounted} of ${models.length} (${percent(everyCounted, models.length)})`);
row('findings', `${bySeverity.error} errors, ${bySeverity.warning} warnings, ${bySeverity.info} info`);
row('files with a warning or error', `${noisy.length} of ${results.length} (${percent(noisy.length, results.length)})${byRule.size > 0 ? `: ${[...byRule].sort((a, b) => b[1] - a[1]).map(([rule, count]) => `${rule} ${count}`).join(', ')}` : ''}`);
for (const result of noisy) {
  const first = result.findings.find((finding) => finding.severity !== 'info')!;
  console.log(`  ${result.path}:${first.line} ${first.severity} ${first.rule}: ${first.message.slice(0, 160)}`);
}
for (const result of failed) console.log(`  ${result.path}: ${result.error}`);
row('time', `${(totalMs / 1000).toFixed(2)} s (${(results.length / (totalMs / 1000)).toFixed(0)} files/s, ${(megabytes / (totalMs / 1000)).toFixed(2)} MB/s)`);
console.log('slowest files:');
for (const result of [...results].sort((a, b) => b.ms - a.ms).slice(0, 10)) console.log(`  ${result.ms.toFixed(0).padStart(6)} ms  ${result.path} (${(result.bytes / 1024).toFixed(0)} KB)`);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results.map(({ ms, bytes, ...result }) => ({ ...result, ms, bytes }))));
