import { closingBracket, enclosingCall, splitTopLevel } from '../src/facts/code-text.js';
import { isTorchLossClass, isTorchLossFunction } from '../src/facts/framework-classes.js';
import type { SourceFacts } from '../src/facts/source-facts.js';
import type { FileContext, Fix } from '../src/rules/rule.js';
import { defineFileRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineFileRule({
  meta: {
    id: 'deprecated-api',
    severity: 'info',
    summary: 'A deprecated PyTorch or Keras spelling (`Variable`, `nn.init.xavier_uniform`, `size_average=`, `nb_epoch=`, Keras `lr=`): use the current one.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags spellings that PyTorch and Keras deprecated and names the current one: `torch.autograd.Variable` (tensors track gradients since PyTorch 0.4), `F.upsample*` (`F.interpolate`), the `nn.init` functions without the trailing underscore (`xavier_uniform_`), `nn.utils.clip_grad_norm` (`clip_grad_norm_`), `size_average=`/`reduce=` on losses (`reduction=`), and in Keras `nb_epoch=` (`epochs=`), `fit_generator` and friends (`fit`), and an optimizer's `lr=` (`learning_rate=`) and `decay=` (a learning-rate schedule). `F.sigmoid` and `F.tanh` are not flagged: PyTorch 2 made them plain aliases of `torch.sigmoid` and `torch.tanh` again.",
      whyIsThisBad: "Deprecated spellings print warnings on every run, and the newer releases remove them: Keras 3 rejects `lr=` and `nb_epoch=` and has no `fit_generator`, and ignores `decay=`, so the optimizer quietly trains without the decay you asked for. The current spelling works on every release still supported.",
      example: "criterion = nn.CrossEntropyLoss(size_average=False)\nnn.init.xavier_uniform(self.fc.weight)\nmodel.fit(x, y, nb_epoch=10)\noptimizer = keras.optimizers.Adam(lr=1e-3)",
      useInstead: "criterion = nn.CrossEntropyLoss(reduction='sum')\nnn.init.xavier_uniform_(self.fc.weight)\nmodel.fit(x, y, epochs=10)\noptimizer = keras.optimizers.Adam(learning_rate=1e-3)",
    },
  },
  check(context) {
    deprecatedFunctions(context.facts, context.report);
    deprecatedKeywords(context.facts, context.report);
  },
});

type Reporter = FileContext['report'];

const INIT_FUNCTIONS = ['uniform', 'normal', 'constant', 'eye', 'dirac', 'xavier_uniform', 'xavier_normal', 'kaiming_uniform', 'kaiming_normal', 'orthogonal', 'sparse'];

/** Deprecated functions by qualified name: the current spelling, and whether the new name is a drop-in rename of the last part. */
const FUNCTIONS: Record<string, { why: string; rename?: string }> = {
  'torch.autograd.Variable': { why: 'Variable is deprecated since PyTorch 0.4: tensors track gradients themselves and Variable(x) just returns x. Use x directly, and torch.tensor(…, requires_grad=True) or x.requires_grad_() where it needs a gradient.' },
  'torch.autograd.variable.Variable': { why: 'Variable is deprecated since PyTorch 0.4: tensors track gradients themselves and Variable(x) just returns x. Use x directly, and torch.tensor(…, requires_grad=True) or x.requires_grad_() where it needs a gradient.' },
  'torch.nn.functional.upsample': { why: 'nn.functional.upsample is deprecated: use F.interpolate, which takes the same arguments.', rename: 'interpolate' },
  'torch.nn.functional.upsample_nearest': { why: "nn.functional.upsample_nearest is deprecated: use F.interpolate(x, size, scale_factor, mode='nearest')." },
  'torch.nn.functional.upsample_bilinear': { why: "nn.functional.upsample_bilinear is deprecated: use F.interpolate(x, size, scale_factor, mode='bilinear', align_corners=True) (the same results)." },
  'torch.nn.utils.clip_grad_norm': { why: 'nn.utils.clip_grad_norm is deprecated in favour of the in-place nn.utils.clip_grad_norm_, which does the same.', rename: 'clip_grad_norm_' },
  'torch.nn.utils.clip_grad.clip_grad_norm': { why: 'nn.utils.clip_grad_norm is deprecated in favour of the in-place nn.utils.clip_grad_norm_, which does the same.', rename: 'clip_grad_norm_' },
};
for (const name of INIT_FUNCTIONS) {
  FUNCTIONS[`torch.nn.init.${name}`] = { why: `nn.init.${name} is deprecated since PyTorch 0.4 in favour of nn.init.${name}_, which initialises the tensor in place the same way.`, rename: `${name}_` };
}

const KERAS_PACKAGES = ['keras', 'tensorflow', 'tf_keras'];

const KERAS_GENERATOR_METHODS: Record<string, string> = { fit_generator: 'fit', evaluate_generator: 'evaluate', predict_generator: 'predict' };

const DEPRECATED_CALLS = new RegExp(`\\b(?:${['Variable', 'upsample\\w*', 'clip_grad_norm', ...INIT_FUNCTIONS, ...Object.keys(KERAS_GENERATOR_METHODS)].join('|')})(?=\\s*\\()`, 'g');

function deprecatedFunctions(facts: SourceFacts, report: Reporter): void {
  const usesKeras = facts.imports.importsFrom(KERAS_PACKAGES);
  for (const match of facts.code.matchAll(DEPRECATED_CALLS)) {
    const last = match[0];
    const calleeEnd = match.index + last.length;
    const calleeStart = dottedNameStart(facts.code, match.index);
    // a method of a computed value (`f().upsample(…)`) is nothing footgun can name
    if (/\.\s*$/.test(facts.code.slice(Math.max(0, calleeStart - 20), calleeStart))) continue;
    const callee = facts.code.slice(calleeStart, calleeEnd).replace(/\s+/g, '');
    const lastRange = facts.rangeOf(match.index, calleeEnd);
    const generator = KERAS_GENERATOR_METHODS[last];
    if (generator && callee.includes('.')) {
      if (!usesKeras) continue;
      report({ range: lastRange, message: `Model.${last} is deprecated since TensorFlow 2.1 and gone from Keras 3: Model.${generator} takes generators and datasets itself. Call ${generator}(…) with the same arguments (steps_per_epoch and validation_steps keep their names).`, fix: { range: lastRange, replacement: generator } });
      continue;
    }
    const deprecated = FUNCTIONS[facts.imports.resolve(callee)];
    if (!deprecated) continue;
    const range = facts.rangeOf(calleeStart, calleeEnd);
    let fix: Fix | undefined;
    if (deprecated.rename) fix = { range: lastRange, replacement: deprecated.rename };
    else if (last === 'Variable') fix = unwrapVariable(facts, calleeStart, facts.code.indexOf('(', calleeEnd));
    report({ range, message: deprecated.why, fix });
  }
}

/** Where the dotted name that ends with the word at `wordStart` begins: `torch.autograd.` of `torch.autograd.Variable`. */
function dottedNameStart(code: string, wordStart: number): number {
  let start = wordStart;
  for (;;) {
    const prefix = /([A-Za-z_]\w*)\s*\.\s*$/.exec(code.slice(Math.max(0, start - 80), start));
    if (!prefix) return start;
    start -= prefix[0].length;
  }
}

/** `Variable(x)` → `x`, when the call has a single positional argument. */
function unwrapVariable(facts: SourceFacts, start: number, open: number): Fix | undefined {
  const close = closingBracket(facts.code, open);
  if (close === -1) return undefined;
  const args = splitTopLevel(facts.code.slice(open + 1, close - 1));
  if (args.length !== 1 || /^\*|^\w+\s*=[^=]/.test(args[0]!)) return undefined;
  return { range: facts.rangeOf(start, close), replacement: facts.text.slice(open + 1, close - 1).trim() };
}

function deprecatedKeywords(facts: SourceFacts, report: Reporter): void {
  const usesKeras = facts.imports.importsFrom(KERAS_PACKAGES);
  const keywords = usesKeras ? /\b(size_average|reduce|nb_epoch|lr|decay)\s*=(?!=)/g : /\b(size_average|reduce)\s*=(?!=)/g;
  const seenCalls = new Set<number>();
  for (const match of facts.code.matchAll(keywords)) {
    if (facts.code[match.index - 1] === '.') continue;
    const keyword = match[1]!;
    const call = enclosingCall(facts.code, match.index);
    if (!call) continue;
    const callee = facts.imports.resolve(call.callee.replace(/\s+/g, ''));
    const keywordRange = facts.rangeOf(match.index, match.index + keyword.length);
    if (keyword === 'size_average' || keyword === 'reduce') {
      if (!isTorchLoss(callee) || seenCalls.has(call.open)) continue;
      seenCalls.add(call.open);
      reportReduction(facts, report, call.open, call.callee);
    } else if (keyword === 'nb_epoch') {
      if (!/(?:^|\.)fit(?:_generator)?$/.test(callee)) continue;
      report({ range: keywordRange, message: 'nb_epoch was renamed epochs in Keras 2 (Keras 3 rejects nb_epoch). Write epochs=.', fix: { range: keywordRange, replacement: 'epochs' } });
    } else if (/^keras\.optimizers\.(?:legacy\.)?[A-Z]\w*$/.test(callee)) {
      if (keyword === 'lr') {
        report({ range: keywordRange, message: "lr was renamed learning_rate in Keras 2.3; tf.keras warns that it is deprecated and Keras 3 rejects it (ValueError: Argument(s) not recognized). Write learning_rate=.", fix: { range: keywordRange, replacement: 'learning_rate' } });
      } else if (keyword === 'decay' && !callee.includes('.legacy.')) {
        report({ range: keywordRange, message: 'Keras optimizers no longer take decay= (TensorFlow 2.11 rejects it, Keras 3 ignores it with a warning), so the learning rate never decays. Pass a schedule instead: learning_rate=keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay) decays the same way.' });
      }
    }
  }
}

/** PyTorch's loss modules and functional losses: the calls that took `size_average`/`reduce`. */
function isTorchLoss(callee: string): boolean {
  return isTorchLossClass(callee) || isTorchLossFunction(callee);
}

/** One finding per loss call that passes `size_average` and/or `reduce`, with the equivalent `reduction=`. */
function reportReduction(facts: SourceFacts, report: Reporter, open: number, written: string): void {
  const close = closingBracket(facts.code, open);
  if (close === -1) return;
  const args = facts.code.slice(open + 1, close - 1);
  const literal = (name: string): boolean | null | undefined => {
    const value = new RegExp(`(?<![\\w.])${name}\\s*=\\s*(\\w+)`).exec(args)?.[1];
    return value === undefined ? null : value === 'True' ? true : value === 'False' ? false : undefined;
  };
  const sizeAverage = literal('size_average');
  const reduce = literal('reduce');
  // torch.nn._reduction.legacy_get_string: unset means True
  const reduction = sizeAverage === undefined || reduce === undefined ? undefined : reduce === false ? 'none' : sizeAverage === false ? 'sum' : 'mean';
  const first = /(?<![\w.])(size_average|reduce)\s*=/.exec(args)!;
  const start = open + 1 + first.index;
  const both = sizeAverage !== null && reduce !== null;
  const keywordEnd = start + first[0].length + (/^\s*\w+/.exec(args.slice(first.index + first[0].length))?.[0].length ?? 0);
  report({
    range: facts.rangeOf(start, start + first[1]!.length),
    message: `size_average and reduce are deprecated since PyTorch 0.4.1 (every call warns): ${written}(…) takes reduction='mean', 'sum' or 'none'.${reduction ? ` These arguments mean reduction='${reduction}'.` : ''}`,
    fix: reduction && !both ? { range: facts.rangeOf(start, keywordEnd), replacement: `reduction='${reduction}'` } : undefined,
  });
}
