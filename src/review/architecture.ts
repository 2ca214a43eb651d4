import { createHash } from 'node:crypto';
import type { LayerSummary, ModelSummary } from '../analyze.js';
import type { Framework, Shape } from '../ir.js';
import { formatShapeOf } from '../shapes/arithmetic.js';
import { formatCount } from '../text.js';

export interface LayerChange {
  change: 'added' | 'removed' | 'changed';
  /** the layer before the change (removed, changed) */
  before?: LayerSummary;
  /** the layer after the change (added, changed) */
  after?: LayerSummary;
}

/** How a pull request changes one model: a new model, a removed one, or the same model changed. */
export interface ModelChange {
  path: string;
  model: string;
  change: 'added' | 'removed' | 'changed';
  before: ModelSummary | null;
  after: ModelSummary | null;
  /** for a changed model: its layers added, removed or changed (type, output shape, parameters), in order */
  layers: LayerChange[];
}

/**
 * The architecture diff of one file: models matched by name (in order, for several of one name),
 * their layers aligned by name or type, so a layer inserted in the middle is one added layer and
 * not a shift of every layer after it. Models that did not change (moving lines is no change) are left out.
 */
export function diffModels(path: string, before: readonly ModelSummary[], after: readonly ModelSummary[]): ModelChange[] {
  const changes: ModelChange[] = [];
  const remaining = [...before];
  for (const model of after) {
    const index = remaining.findIndex((old) => old.name === model.name && old.framework === model.framework);
    if (index < 0) {
      changes.push({ path, model: model.name, change: 'added', before: null, after: model, layers: [] });
      continue;
    }
    const [old] = remaining.splice(index, 1);
    const layers = diffLayers(old!.layers, model.layers);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const changed = layers.length > 0 || old!.params !== model.params || !same(old!.input, model.input) || !same(old!.outputs, model.outputs) || old!.loss !== model.loss || old!.optimizer !== model.optimizer;
    if (changed) changes.push({ path, model: model.name, change: 'changed', before: old!, after: model, layers });
  }
  for (const old of remaining) changes.push({ path, model: old.name, change: 'removed', before: old, after: null, layers: [] });
  return changes;
}

/** Beyond this many layers on each side (after common ends are set aside), layers are not aligned one by one. */
const MAX_ALIGNED_LAYERS = 2000;

function layerKey(layer: LayerSummary): string {
  return layer.name ?? layer.type;
}

function layerChanged(before: LayerSummary, after: LayerSummary): boolean {
  return before.type !== after.type || before.params !== after.params || JSON.stringify(before.output) !== JSON.stringify(after.output);
}

/** The layers added, removed and changed, by a longest common subsequence of their names or types. */
export function diffLayers(before: readonly LayerSummary[], after: readonly LayerSummary[]): LayerChange[] {
  let start = 0;
  while (start < before.length && start < after.length && layerKey(before[start]!) === layerKey(after[start]!)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && layerKey(before[endBefore - 1]!) === layerKey(after[endAfter - 1]!)) {
    endBefore--;
    endAfter--;
  }
  const pairs: [LayerSummary | undefined, LayerSummary | undefined][] = [];
  for (let i = 0; i < start; i++) pairs.push([before[i], after[i]]);
  pairs.push(...align(before.slice(start, endBefore), after.slice(start, endAfter)));
  for (let i = 0; i < before.length - endBefore; i++) pairs.push([before[endBefore + i], after[endAfter + i]]);
  const changes: LayerChange[] = [];
  for (const [old, current] of pairs) {
    if (old && current) {
      if (layerChanged(old, current)) changes.push({ change: 'changed', before: old, after: current });
    } else if (current) changes.push({ change: 'added', after: current });
    else if (old) changes.push({ change: 'removed', before: old });
  }
  return changes;
}

function align(before: readonly LayerSummary[], after: readonly LayerSummary[]): [LayerSummary | undefined, LayerSummary | undefined][] {
  if (before.length > MAX_ALIGNED_LAYERS || after.length > MAX_ALIGNED_LAYERS) {
    return [...before.map((layer) => [layer, undefined] as [LayerSummary, undefined]), ...after.map((layer) => [undefined, layer] as [undefined, LayerSummary])];
  }
  const n = before.length;
  const m = after.length;
  // suffix[i][j]: length of the longest common subsequence of before[i..] and after[j..]
  const width = m + 1;
  const suffix = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      suffix[i * width + j] = layerKey(before[i]!) === layerKey(after[j]!) ? suffix[(i + 1) * width + j + 1]! + 1 : Math.max(suffix[(i + 1) * width + j]!, suffix[i * width + j + 1]!);
    }
  }
  const pairs: [LayerSummary | undefined, LayerSummary | undefined][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (layerKey(before[i]!) === layerKey(after[j]!)) pairs.push([before[i++], after[j++]]);
    else if (suffix[(i + 1) * width + j]! >= suffix[i * width + j + 1]!) pairs.push([before[i++], undefined]);
    else pairs.push([undefined, after[j++]]);
  }
  while (i < n) pairs.push([before[i++], undefined]);
  while (j < m) pairs.push([undefined, after[j++]]);
  return pairs;
}

export function shapeText(framework: Framework, shape: Shape | null): string {
  return shape ? formatShapeOf(framework, shape) : '?';
}

function count(value: number | null): string {
  return value === null ? '?' : formatCount(value);
}

/** `1,199,882 → 2,399,754 (+100.0%)` */
export function paramsChange(before: number | null, after: number | null): string {
  if (before === after) return count(after);
  let percent = '';
  if (before !== null && after !== null && before !== 0) {
    const change = (Math.abs(after - before) / before) * 100;
    percent = ` (${after >= before ? '+' : '−'}${change < 0.1 ? '<0.1' : change.toFixed(1)}%)`;
  }
  return `${count(before)} → ${count(after)}${percent}`;
}

function beforeAfter(before: string, after: string): string {
  return before === after ? after : `${before} → ${after}`;
}

function layerLabel(layer: LayerSummary): string {
  return layer.name ? `${layer.type} \`${layer.name}\`` : layer.type;
}

/** A model's layers with output shapes and parameter counts: what reviewers cannot see without running the code. */
export function modelTable(path: string, model: ModelSummary): string {
  const shape = (s: Shape | null) => shapeText(model.framework, s);
  const head = `**${model.name}** in \`${path}:${model.line}\` · ${model.framework} ${model.kind} · input ${shape(model.input)} · ${count(model.params)} parameters${model.loss ? ` · loss ${model.loss}` : ''}${model.optimizer ? ` · ${model.optimizer}` : ''}${model.task ? ` · ${model.task}` : ''}`;
  const rows = model.layers.map((layer) => `| ${layer.line} | ${layerLabel(layer)} | ${shape(layer.output)} | ${count(layer.params)} |`);
  const notes = (model.notes ?? []).map((note) => `> ${note}`);
  return [head, ...(notes.length > 0 ? ['', ...notes] : []), '', '| line | layer | output shape | parameters |', '|---:|---|---|---:|', ...rows].join('\n');
}

/** One model's change as Markdown: before → after, and the layers that changed. */
export function modelChangeMarkdown(change: ModelChange): string {
  if (change.change === 'added') return `🆕 new model · ${modelTable(change.path, change.after!)}`;
  const before = change.before!;
  if (change.change === 'removed') return `➖ removed model · **${before.name}** from \`${change.path}\` (line ${before.line} before) · ${before.framework} ${before.kind} · ${count(before.params)} parameters`;
  const after = change.after!;
  const shape = (s: Shape | null) => shapeText(after.framework, s);
  const outputs = (model: ModelSummary) => (model.outputs.length === 0 ? '?' : model.outputs.map(shape).join(', '));
  const facts = [
    `parameters ${paramsChange(before.params, after.params)}`,
    `input ${beforeAfter(shape(before.input), shape(after.input))}`,
    `output ${beforeAfter(outputs(before), outputs(after))}`,
  ];
  if (before.loss || after.loss) facts.push(`loss ${beforeAfter(before.loss ?? 'none', after.loss ?? 'none')}`);
  if (before.optimizer || after.optimizer) facts.push(`optimizer ${beforeAfter(before.optimizer ?? 'none', after.optimizer ?? 'none')}`);
  const lines = [`✏️ **${after.name}** in \`${change.path}:${after.line}\` · ${after.framework} ${after.kind}`, '', ...facts.map((fact) => `- ${fact}`)];
  if (change.layers.length > 0) {
    lines.push('', '| | line | layer | output shape | parameters |', '|---|---:|---|---|---:|');
    for (const layer of change.layers) {
      if (layer.change === 'added') lines.push(`| added | ${layer.after!.line} | ${layerLabel(layer.after!)} | ${shape(layer.after!.output)} | ${count(layer.after!.params)} |`);
      else if (layer.change === 'removed') lines.push(`| removed | ${layer.before!.line} (before) | ${layerLabel(layer.before!)} | ${shape(layer.before!.output)} | ${count(layer.before!.params)} |`);
      else {
        const { before: old, after: current } = layer as Required<LayerChange>;
        const type = old.type === current.type ? layerLabel(current) : `${layerLabel(old)} → ${layerLabel(current)}`;
        lines.push(`| changed | ${current.line} | ${type} | ${beforeAfter(shape(old.output), shape(current.output))} | ${paramsChange(old.params, current.params)} |`);
      }
    }
  }
  return lines.join('\n');
}

/**
 * What the architecture changes amount to, without line numbers or guesses (the task): a review
 * is posted again for the architecture only when this differs from the last review's.
 */
export function architectureFingerprint(changes: readonly ModelChange[]): string {
  const layer = (l: LayerSummary | undefined) => l && [l.type, l.name ?? null, l.output, l.params];
  const model = (m: ModelSummary | null) => m && [m.framework, m.kind, m.input, m.outputs, m.params, m.loss, m.optimizer, m.layers.map(layer)];
  const essence = changes.map((c) => [c.path, c.model, c.change, model(c.before), model(c.after), c.layers.map((l) => [l.change, layer(l.before), layer(l.after)])]);
  return createHash('sha256').update(JSON.stringify(essence)).digest('hex').slice(0, 16);
}

export function architectureMarkdown(changes: readonly ModelChange[]): string {
  return changes.map(modelChangeMarkdown).join('\n\n');
}
