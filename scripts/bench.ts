// Speed and memory benchmark: footgun's analysis against a bare tree-sitter parse of the same files.
// Prints figures; it asserts nothing (targets are checked by reading them, not by a timed test).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { analyzeSource } from '../src/analyze.js';
import { analyzeFiles, defaultWorkerCount } from '../src/analyze-files.js';
import { defaultConfig } from '../src/config/config.js';
import { packageRoot } from '../src/package-info.js';
import { pythonParser } from '../src/parse/parse-python.js';

const TARGET_BYTES = Number(process.env.BENCH_MB ?? 4) * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const fixtures = join(packageRoot(), 'fixtures');

function pythonFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return pythonFiles(path);
    return entry.name.endsWith('.py') ? [path] : [];
  });
}

// The rest of a typical training script: data loading, a custom loop, evaluation, plotting.
const SCRIPT_TAIL = `
import argparse
import matplotlib.pyplot as plt

def parse_args():
    parser = argparse.ArgumentParser(description="train")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    return parser.parse_args()

def load_data(path, batch_size):
    dataset = tf.data.Dataset.from_tensor_slices(np.load(path))
    dataset = dataset.shuffle(10_000).batch(batch_size).prefetch(tf.data.AUTOTUNE)
    return dataset

def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    return loss

def plot_history(history, metric="loss"):
    plt.figure(figsize=(8, 4))
    plt.plot(history.history[metric], label="train")
    plt.plot(history.history["val_" + metric], label="validation")
    plt.xlabel("epoch")
    plt.legend()
    plt.savefig(f"{metric}.png")
`;

function corpus(): { path: string; text: string }[] {
  const sources = pythonFiles(fixtures).map((path) => readFileSync(path, 'utf8'));
  const files: { path: string; text: string }[] = [];
  let bytes = 0;
  for (let i = 0; bytes < TARGET_BYTES; i++) {
    const parts = [sources[i % sources.length]!, sources[(i * 7 + 3) % sources.length]!];
    const text = `${parts.join('\n\n').replace(/\bmodel\b/g, `model_${i}`)}\n${SCRIPT_TAIL}`;
    files.push({ path: `corpus/file_${i}.py`, text });
    bytes += Buffer.byteLength(text);
  }
  return files;
}

function row(label: string, text: string): void {
  console.log(`${label.padEnd(22)}${text}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const files = corpus();
const totalBytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);
const config = defaultConfig(RULES);
const parser = pythonParser();

async function bare(): Promise<void> {
  for (const file of files) {
    parser.parse(file.text);
    await yieldToEventLoop();
  }
}

/**
 * The least any analysis of the tree can do through node-tree-sitter: parse, then visit every node
 * once and read its type. Each visit crosses into native code, so this is the floor under footgun's
 * ratio, printed so that the target can be judged against it.
 */
async function parseAndVisit(): Promise<number> {
  let typeIds = 0;
  for (const file of files) {
    const cursor = parser.parse(file.text).walk();
    for (let more = true; more; ) {
      typeIds += cursor.nodeTypeId;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          more = false;
          break;
        }
      }
    }
    await yieldToEventLoop();
  }
  return typeIds;
}

async function footgun(): Promise<{ findings: number; models: number }> {
  let findings = 0;
  let models = 0;
  for (const file of files) {
    const result = analyzeSource(file.path, file.text, config);
    findings += result.findings.length;
    models += result.models.length;
    // tree-sitter frees trees in finalizers that only run between event-loop turns
    await yieldToEventLoop();
  }
  return { findings, models };
}

async function footgunParallel(): Promise<void> {
  await analyzeFiles(files.map((file) => ({ path: file.path, configPath: file.path, content: file.text })), config);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

if (process.env.BENCH_MEMORY_ONLY) {
  // A fresh process that analyses the corpus once: its peak RSS is the whole-corpus figure.
  await footgun();
  console.log(String(process.resourceUsage().maxRSS / 1024));
} else {
  // Measured first, in a fresh process: Linux carries a parent's peak RSS over into the children
  // it forks, so a child started after the timing rounds would report the parent's peak.
  const peakRssMb = Number(
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env: { ...process.env, BENCH_MEMORY_ONLY: '1' }, encoding: 'utf8' }).trim(),
  );
  const counts = await footgun();
  await bare();
  const bareTimes: number[] = [];
  const visitTimes: number[] = [];
  const footgunTimes: number[] = [];
  const parallelTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bareTimes.push(await timed(bare));
    visitTimes.push(await timed(parseAndVisit));
    footgunTimes.push(await timed(footgun));
    parallelTimes.push(await timed(footgunParallel));
  }
  const bareMs = median(bareTimes);
  const visitMs = median(visitTimes);
  const footgunMs = median(footgunTimes);
  const parallelMs = median(parallelTimes);
  const mb = totalBytes / (1024 * 1024);
  row('corpus', `${files.length} files, ${mb.toFixed(2)} MB, ${counts.models} models, ${counts.findings} findings`);
  row('bare parse', `${bareMs.toFixed(0)} ms (median of ${ROUNDS})`);
  row('parse + visit nodes', `${visitMs.toFixed(0)} ms (median of ${ROUNDS}): ${(visitMs / bareMs).toFixed(2)}× the bare parse, the floor for any reading of the tree`);
  row('footgun, 1 process', `${footgunMs.toFixed(0)} ms (median of ${ROUNDS}): ${(files.length / (footgunMs / 1000)).toFixed(0)} files/s, ${(mb / (footgunMs / 1000)).toFixed(2)} MB/s, ${(footgunMs / bareMs).toFixed(2)}× the bare parse`);
  row(`footgun, ${defaultWorkerCount()} processes`, `${parallelMs.toFixed(0)} ms (median of ${ROUNDS}, as \`footgun check\` runs): ${(files.length / (parallelMs / 1000)).toFixed(0)} files/s, ${(mb / (parallelMs / 1000)).toFixed(2)} MB/s, ${(parallelMs / bareMs).toFixed(2)}× the bare parse (target ≤ 1.6×)`);
  row('peak RSS', `${peakRssMb.toFixed(0)} MB for one pass over the corpus (target < 300 MB)`);
}
