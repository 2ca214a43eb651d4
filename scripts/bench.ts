// `npm run bench -- [DIR]`: footgun's speed and memory on a folder of Python files (default
// ~/footgun-corpus, else the project's fixtures). Prints figures; it asserts nothing (targets are
// checked by reading them, never by a timed test).
//
//  1. whole processes, side by side: `footgun check --jobs 1` against a process that only reads and
//     parses the same files with tree-sitter, in turn (A B A B …); the ratio is taken pair by pair
//  2. the ten slowest files (each file analysed in one process, the slowest timed again, best time)
//  3. peak RSS of `footgun check --jobs 1` on COPIES copies of the folder, in every output format
//
// Options: --rounds N (default 5), --copies N (default 3), --no-memory (skip 3).
// The pull-request review time is measured by `npm run loadtest -- --review`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RULES } from '../rules/index.js';
import { analyzeOne } from '../src/analyze-files.js';
import { defaultConfig } from '../src/config/config.js';
import { collectFiles } from '../src/fetch/local-files.js';
import { packageRoot } from '../src/package-info.js';
import { pythonParser } from '../src/parse/parse-python.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    copies: { type: 'string', default: '3' },
    'no-memory': { type: 'boolean', default: false },
    // the child processes this script starts
    'parse-only': { type: 'boolean', default: false },
    'per-file': { type: 'boolean', default: false },
  },
});

const defaultFolder = join(homedir(), 'footgun-corpus');
const folder = resolve(positionals[0] ?? (existsSync(defaultFolder) ? defaultFolder : join(packageRoot(), 'fixtures')));
const config = defaultConfig(RULES);
const self = fileURLToPath(import.meta.url);
const footgunBin = join(packageRoot(), 'bin', 'footgun.js');
const peakRssReporter = join(packageRoot(), 'dist', 'scripts', 'peak-rss.js');

/** The Python files `footgun check` would analyse in the folder, with their bytes. */
function sources(): { path: string; bytes: Buffer }[] {
  return collectFiles([folder], config, folder)
    .files.filter((file) => file.path.endsWith('.py'))
    .map((file) => ({ path: file.path, bytes: readFileSync(file.path) }));
}

/** The yardstick: read and parse every file as `footgun check` does, and nothing else. */
async function parseOnly(): Promise<void> {
  const parser = pythonParser();
  for (const file of sources()) {
    parser.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.bytes));
    // tree-sitter frees its trees in finalizers that run between event-loop turns
    await yieldToEventLoop();
  }
}

/**
 * Every file's analysis time in one process, as CPU time (wall time moves with whatever else the
 * machine runs); the 20 slowest are timed twice more and keep their best time.
 */
async function perFile(): Promise<void> {
  const files = sources();
  const time = (file: { path: string; bytes: Buffer }) => {
    const start = process.cpuUsage();
    analyzeOne({ path: file.path, configPath: file.path, content: file.bytes }, config);
    const spent = process.cpuUsage(start);
    return (spent.user + spent.system) / 1000;
  };
  const times = new Map<string, number>();
  for (const file of files) {
    times.set(file.path, time(file));
    await yieldToEventLoop();
  }
  const slowest = files.sort((a, b) => times.get(b.path)! - times.get(a.path)!).slice(0, 20);
  for (let pass = 0; pass < 2; pass++) {
    for (const file of slowest) {
      times.set(file.path, Math.min(times.get(file.path)!, time(file)));
      await yieldToEventLoop();
    }
  }
  const ranked = slowest.map((file) => ({ path: file.path, ms: times.get(file.path)!, bytes: file.bytes.byteLength })).sort((a, b) => b.ms - a.ms);
  process.stdout.write(JSON.stringify(ranked));
}

interface Run {
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  stdout: string;
  code: number | null;
}

/** Runs a Node script as a whole process; its peak RSS comes from a preloaded module that reports it on exit. */
function runNode(args: string[], keepStdout = false): Promise<Run> {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'footgun-bench-')), 'peak-rss');
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', peakRssReporter, ...args], { env: { ...process.env, FOOTGUN_PEAK_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    if (keepStdout) chunks.push(chunk);
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number; cpuMs: number };
      rmSync(join(rssFile, '..'), { recursive: true, force: true });
      done({ ms, cpuMs: usage.cpuMs, peakRssMb: usage.maxRssKb / 1024, stdout: Buffer.concat(chunks).toString('utf8'), code });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const row = (label: string, text: string) => console.log(`${label.padEnd(30)}${text}`);
const mb = (bytes: number) => bytes / (1024 * 1024);

async function main(): Promise<void> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`usage: npm run bench -- [DIR] [--rounds N] [--copies N] [--no-memory]\n${folder} is not a folder`);
    process.exit(2);
  }
  const files = sources();
  const bytes = files.reduce((sum, file) => sum + file.bytes.byteLength, 0);
  const rounds = Number(values.rounds);
  row('folder', `${folder}: ${files.length} Python files, ${mb(bytes).toFixed(2)} MB`);

  const check = (folders: string[], format = 'json') => runNode([footgunBin, 'check', '--jobs', '1', '--format', format, '--fail-on', 'never', ...folders]);
  const footgun: Run[] = [];
  const parse: Run[] = [];
  // one unmeasured pair warms the file cache
  await check([folder]);
  await runNode([self, '--parse-only', folder]);
  for (let round = 0; round < rounds; round++) {
    footgun.push(await check([folder]));
    parse.push(await runNode([self, '--parse-only', folder]));
  }
  const failed = footgun.find((run) => run.code !== 0);
  if (failed) throw new Error(`footgun check exited with ${failed.code}`);
  const describe = (runs: Run[]) => {
    const ms = median(runs.map((run) => run.ms));
    const cpuMs = median(runs.map((run) => run.cpuMs));
    return `${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (medians of ${rounds}), ${(files.length / (ms / 1000)).toFixed(0)} files/s, ${(mb(bytes) / (ms / 1000)).toFixed(2)} MB/s, peak RSS ${Math.max(...runs.map((run) => run.peakRssMb)).toFixed(0)} MB`;
  };
  row('footgun check --jobs 1', describe(footgun));
  row('read + tree-sitter parse', describe(parse));
  const ratios = footgun.map((run, index) => run.ms / parse[index]!.ms);
  const cpuRatios = footgun.map((run, index) => run.cpuMs / parse[index]!.cpuMs);
  const spread = (values: number[]) => `${median(values).toFixed(2)}× (median of the ${rounds} pairs; min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)})`;
  row('ratio, wall time', `${spread(ratios)}; target ≤ 3.0×`);
  // on a machine shared with other work, CPU time moves less than wall time
  row('ratio, CPU time', spread(cpuRatios));

  const slowest = JSON.parse((await runNode([self, '--per-file', folder], true)).stdout) as { path: string; ms: number; bytes: number }[];
  console.log('slowest files (CPU time, best of 3 runs in one process; target: none over 150 ms):');
  for (const file of slowest.slice(0, 10)) console.log(`  ${file.ms.toFixed(0).padStart(6)} ms  ${file.path.slice(folder.length + 1)} (${(file.bytes / 1024).toFixed(0)} KB)`);

  if (values['no-memory']) return;
  const copies = Number(values.copies);
  const scratch = mkdtempSync(join(tmpdir(), 'footgun-bench-copies-'));
  try {
    const folders = Array.from({ length: copies }, (_, index) => {
      const copy = join(scratch, `copy-${index + 1}`);
      cpSync(folder, copy, { recursive: true });
      return copy;
    });
    const peaks: string[] = [];
    for (const format of ['text', 'json', 'sarif']) peaks.push(`${format} ${(await check(folders, format)).peakRssMb.toFixed(0)} MB`);
    row(`peak RSS, ${copies} copies`, `${copies * files.length} files, ${mb(copies * bytes).toFixed(1)} MB: ${peaks.join(', ')} (target < 300 MB)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (values['parse-only']) await parseOnly();
else if (values['per-file']) await perFile();
else await main();
