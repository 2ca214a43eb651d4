import type { ArgValue, FloatOrigin, Layer } from '../src/ir.js';
import type { Report } from '../src/rules/rule.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';
import { torchRejectedFloats } from '../src/shapes/torch.js';

/** PyTorch's own names for the arguments the IR names the Keras way. */
const TORCH_ARGUMENT_NAMES: Record<string, string> = { filters: 'out_channels', units: 'out_features', input_dim: 'num_embeddings', output_dim: 'embedding_dim' };

function torchName(layer: Layer, argument: string): string {
  if (argument === 'units' && layer.kind === 'recurrent') return 'hidden_size';
  return TORCH_ARGUMENT_NAMES[argument] ?? argument;
}

function pythonFloat(value: ArgValue | undefined): string {
  return typeof value === 'number' ? (Number.isInteger(value) ? `${value}.0` : String(value)) : 'a float';
}

/**
 * A float where PyTorch needs an int: `mid_planes = out_planes / 4` is a float under Python 3, and
 * the first layer built from it raises TypeError, so the model never builds. Reported once per
 * division, on the first layer it reaches, with `//` as the fix.
 */
function floatReport(layer: Layer, argument: string, origin: FloatOrigin): Report {
  const given = layer.args[argument];
  const value = pythonFloat(Array.isArray(given) ? given.find((side) => typeof side === 'number') : given);
  const where = origin.range.line === layer.range.line ? '' : ` (line ${origin.range.line})`;
  const source = origin.divide ? `\`${origin.text}\`${where} is a true division, so under Python 3 it gives ${value}` : `\`${origin.text}\`${where} is ${value}`;
  const fix = origin.divide ? ` Use integer division: \`${origin.text.replace(/(?<!\/)\/(?!\/)/, '//')}\`.` : ' Give it an int.';
  return {
    layer,
    message: `${source}, and nn.${layer.type} needs an int for ${torchName(layer, argument)}: PyTorch raises TypeError when it builds this layer (its weights cannot have a float size), so the model never builds.${fix}`,
    ...(origin.divide ? { fix: { range: origin.divide, replacement: '//' } } : {}),
  };
}

function sides(value: ArgValue | undefined): number[] | undefined {
  if (typeof value === 'number') return [value];
  return Array.isArray(value) && value.every((side) => typeof side === 'number') ? (value as number[]) : undefined;
}

function whole(value: ArgValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The order in which the code created a layer (its weight key counts up as layers are made). */
function creation(layer: Layer): number {
  return Number(/\d+/.exec(layer.weightKey)?.[0] ?? 0);
}

/** What the framework says when it builds the layer, and how to write it instead; undefined when it builds. */
function rejection(layer: Layer): string | undefined {
  const args = layer.args;
  const conv = layer.kind === 'conv' || layer.kind === 'conv-transpose' || layer.kind === 'depthwise-conv';
  const strided = sides(args.strides)?.some((side) => side > 1) ?? false;
  if (layer.framework === 'pytorch') {
    if (layer.kind === 'conv' && args.padding === 'same' && strided) {
      return `PyTorch raises "padding='same' is not supported for strided convolutions" when it builds this ${layer.type}. Pad explicitly (padding=kernel_size // 2 for an odd kernel halves the map with stride=2), or keep stride=1 and downsample with pooling.`;
    }
    const groups = whole(args.groups);
    if (conv && groups && groups > 1) {
      for (const [name, channels] of [['in_channels', whole(args.in_channels)], ['out_channels', whole(args.filters)]] as const) {
        if (channels && channels % groups !== 0) return `${name}=${channels} is not divisible by groups=${groups}: PyTorch raises "${name} must be divisible by groups" when it builds this ${layer.type}. Choose a group count that divides both channel counts.`;
      }
    }
    const heads = whole(args.num_heads ?? args.nhead);
    const width = whole(args.embed_dim ?? args.d_model);
    if (heads && width && width % heads !== 0) {
      return `${args.embed_dim === undefined ? 'd_model' : 'embed_dim'}=${width} is not divisible by ${args.num_heads === undefined ? 'nhead' : 'num_heads'}=${heads}: PyTorch stops with "embed_dim must be divisible by num_heads" when it builds this ${layer.type}, since each head takes an equal slice of the embedding. Use a head count that divides the width (${divisorsNear(width, heads)}).`;
    }
    const channelGroups = whole(args.num_groups);
    const channels = whole(args.num_channels);
    if (layer.type === 'GroupNorm' && channelGroups && channels && channels % channelGroups !== 0) {
      return `num_channels=${channels} is not divisible by num_groups=${channelGroups}: PyTorch raises "num_channels must be divisible by num_groups" when it builds this GroupNorm. Use a group count that divides the channels (${divisorsNear(channels, channelGroups)}).`;
    }
    return undefined;
  }
  if ((layer.kind === 'conv' || layer.kind === 'depthwise-conv') && strided && (sides(args.dilation_rate)?.some((side) => side > 1) ?? false)) {
    return `Keras raises "strides > 1 not supported in conjunction with dilation_rate > 1" when it builds this ${layer.type}. Use either a stride or a dilation: downsample in a separate layer.`;
  }
  return undefined;
}

/** The divisors of `n` closest to `wanted`, for a suggestion. */
function divisorsNear(n: number, wanted: number): string {
  const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  return divisors
    .sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || a - b)
    .slice(0, 2)
    .sort((a, b) => a - b)
    .join(' or ');
}

export default defineRule({
  meta: {
    id: 'invalid-arguments',
    scope: 'local',
    severity: 'error',
    summary: 'Layer arguments the framework rejects when it builds the layer.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags argument combinations that raise as soon as the layer is built: PyTorch `padding='same'` with a stride above 1, channels not divisible by `groups`, an attention width (`embed_dim`, `d_model`) not divisible by the number of heads, `GroupNorm` channels not divisible by `num_groups`, a float channel count or kernel size (`out_planes / 4` is a float under Python 3); Keras convolutions with both `strides` and `dilation_rate` above 1.",
      whyIsThisBad: 'The model cannot even be constructed: the script stops with an exception before training starts, often far from where the numbers were chosen (a config file, a constant at the top of the file).',
      example: "nn.Conv2d(64, 128, 3, stride=2, padding='same')\nnn.MultiheadAttention(embed_dim=100, num_heads=8)\nmid_planes = out_planes / 4\nnn.Conv2d(in_planes, mid_planes, 1)",
      useInstead: 'nn.Conv2d(64, 128, 3, stride=2, padding=1)\nnn.MultiheadAttention(embed_dim=100, num_heads=10)\nmid_planes = out_planes // 4\nnn.Conv2d(in_planes, mid_planes, 1)',
    },
  },
  check({ model, report }) {
    const reported = new Set<string>();
    // PyTorch builds modules in the order the code creates them: the first one given the float raises
    const given = [...model.layers, ...model.unwiredModules].filter((layer) => layer.floatArguments);
    const created = given.length > 1 ? given.sort((a, b) => creation(a) - creation(b)) : given;
    for (const layer of created) {
      for (const argument of torchRejectedFloats(layer)) {
        const origin = layer.floatArguments![argument]!;
        const key = `${origin.range.line}:${origin.range.column}`;
        if (reported.has(key)) continue;
        reported.add(key);
        report(floatReport(layer, argument, origin));
      }
    }
    for (const layer of model.layers) {
      const message = rejection(layer);
      if (message) report({ layer, message });
    }
  },
});
