import { closingBracket, enclosingCall, splitTopLevel } from '../src/facts/code-text.js';
import type { SourceFacts } from '../src/facts/source-facts.js';
import { LOOPS } from '../src/facts/statements.js';
import type { FileContext } from '../src/rules/rule.js';
import { defineFileRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineFileRule({
  meta: {
    id: 'layer-class-rebound',
    severity: 'error',
    summary: 'A layer class name rebound to an instance (`Dense = Dense(64)`), or a layer instance called with constructor arguments (`fc(128, 10)`).',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags `Dense = Dense(64)` (a layer class name rebound to an instance of it) when the name is called again afterwards, and calls of a layer instance with what only a constructor takes: a number as the first argument (`self.fc(128)`, `layer(10, 5)`) or a constructor keyword such as `units=`, `in_features=` or `kernel_size=`.',
      whyIsThisBad: "After `Dense = Dense(64)` the name is a layer, not the class: the next `Dense(10)` applies that layer to the number 10 instead of building a new layer, and fails (or, inside a function, the first line already raises UnboundLocalError). A layer instance takes tensors; numbers and constructor keywords in its call mean a new layer was meant.",
      example: 'Dense = Dense(64, activation="relu")\nx = Dense(inputs)\noutputs = Dense(10)(x)',
      useInstead: 'hidden = Dense(64, activation="relu")\nx = hidden(inputs)\noutputs = Dense(10)(x)',
    },
  },
  check({ facts, report }) {
    classRebound(facts, report);
    instanceCalledLikeClass(facts, report);
  },
});

type Reporter = FileContext['report'];

function classRebound(facts: SourceFacts, report: Reporter): void {
  for (const { name, offset } of facts.selfRebindings) {
    if (!/^[A-Z]/.test(name)) continue;
    const statement = facts.statementsAt(offset).at(-1);
    const scope = facts.scopeAt(offset);
    const bindings = facts.bindings(scope).filter((binding) => binding.name === name);
    const rebinding = bindings.find((binding) => binding.kind === 'assign' && binding.statement?.start === statement?.start);
    if (!rebinding || !statement || !isLayerClass(facts, name, bindings.filter((b) => b !== rebinding))) continue;
    const range = facts.rangeOf(offset, offset + name.length);
    const previous = bindings.filter((binding) => binding.statement === undefined || binding.statement.start < statement.start);
    if (scope.fn && previous.length === 0 && !bindings.some((b) => b !== rebinding)) {
      report({ range, message: `Assigning to ${name} makes it a local name of ${scope.fn.name}(), so ${name}(…) on the right reads that local before it is set and raises UnboundLocalError. Name the layer after what it does: hidden = ${name}(…).` });
      continue;
    }
    const loop = [...rebinding.enclosing].reverse().find((s) => LOOPS.has(s.node.type));
    const nextBinding = bindings.find((binding) => binding.statement && binding.statement.start > statement.start);
    const later = new RegExp(`(?<![\\w.])${name}\\s*\\(`).exec(facts.code.slice(statement.end, nextBinding?.statement?.start ?? scope.end));
    const where = later ? `${name}(…) at line ${facts.lineOf(statement.end + later.index)}` : loop ? `${name}(…) on the next pass of the loop at line ${facts.lineOf(loop.start)}` : undefined;
    if (!where) continue;
    report({
      range,
      message: `${name} now names a layer instance, not the ${name} class: ${where} applies that layer to its arguments instead of building a new ${name}, and fails. Name the layer after what it does: hidden = ${name}(…).`,
    });
  }
}

/** Whether a name is a layer class: imported from keras.layers or torch.nn, a layer class of this file, or a bare framework-style name a snippet uses unimported. */
function isLayerClass(facts: SourceFacts, name: string, otherBindings: readonly { kind: string }[]): boolean {
  const local = facts.classNamed(name);
  if (local) return facts.familyOf(local).framework !== null;
  if (facts.imports.has(name)) return /^(?:keras\.layers|torch\.nn)\.[A-Z]\w*$/.test(facts.imports.resolve(name));
  return otherBindings.length === 0 && /^\s*(?:import|from)\s+(?:keras|tensorflow|torch)\b|\bSequential\s*\(/m.test(facts.code);
}

/** Keywords only a layer's constructor takes, never its call. */
const CONSTRUCTOR_KEYWORDS = ['units', 'filters', 'kernel_size', 'in_features', 'out_features', 'in_channels', 'out_channels', 'num_features', 'hidden_size', 'input_size', 'input_dim', 'output_dim', 'input_shape'];
const CONSTRUCTOR_KEYWORD = new RegExp(`\\b(?:${CONSTRUCTOR_KEYWORDS.join('|')})\\s*=(?!=)`, 'g');

function instanceCalledLikeClass(facts: SourceFacts, report: Reporter): void {
  const candidates = new Map<number, string>();
  const addCall = (openOffset: number) => {
    const call = enclosingCall(facts.code, openOffset + 1);
    // `f(x).view(1, …)` calls a method of a computed value, which holds no layer of a name
    if (call && facts.code[call.calleeStart - 1] !== '.' && /^(?:[A-Za-z_]\w*\.)?[a-z_]\w*$/.test(call.callee)) candidates.set(call.calleeStart, call.callee);
  };
  for (const match of facts.code.matchAll(/\([ \t]*[-+]?\d/g)) addCall(match.index);
  let callEnd = -1;
  for (const match of facts.code.matchAll(CONSTRUCTOR_KEYWORD)) {
    if (match.index < callEnd) continue; // another keyword of the call just read
    const call = enclosingCall(facts.code, match.index);
    if (!call) continue;
    addCall(call.open);
    callEnd = closingBracket(facts.code, call.open);
  }
  const assigned = new Map<string, boolean>();
  for (const [start, written] of candidates) {
    const callee = written.replace(/\s+/g, '');
    // a layer is held by a plain name or an attribute of self, never by a module such as `torch` or a builtin such as `range`
    const [head, attribute] = callee.split('.') as [string, string | undefined];
    if ((attribute !== undefined && head !== 'self') || (attribute === undefined && PYTHON_BUILTINS.has(head))) continue;
    const name = attribute ?? head;
    // a function of the file or an imported one is no layer instance
    if (attribute === undefined && (facts.functionNamed(name) || facts.imports.has(name))) continue;
    if (!assigned.has(name)) assigned.set(name, assignedLayer(facts, name));
    if (!assigned.get(name)) continue;
    const open = facts.code.indexOf('(', start + written.length);
    const close = closingBracket(facts.code, open);
    if (close === -1) continue;
    const args = splitTopLevel(facts.code.slice(open + 1, close - 1));
    const numeric = args.length > 0 && /^[-+]?\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?$/i.test(args[0]!);
    const keyword = args.map((arg) => /^(\w+)\s*=[^=]/.exec(arg)?.[1]).find((name) => name !== undefined && CONSTRUCTOR_KEYWORDS.includes(name));
    if (!numeric && !keyword) continue;
    const layer = facts.moduleHeldBy(callee, start);
    // `Dense = Dense(64)` … `Dense(10)` is the rebinding's finding
    if (!layer || layer.callee === callee) continue;
    const what = numeric ? `the number ${args[0]}` : `${keyword}=`;
    report({
      range: facts.rangeOf(start, close),
      message: `${callee} is a ${layer.callee} layer already built, not the class: calling it with ${what} passes that as its input${numeric ? ' instead of a tensor' : ', which only the constructor takes'}, and fails. To build another layer call ${layer.callee}(…); to apply this one, pass it a tensor.`,
    });
  }
}

/** Whether the file assigns a layer to the name, or to `self.name`, anywhere: `fc = nn.Linear(…)`, `self.fc = layers.Dense(…)`. */
function assignedLayer(facts: SourceFacts, name: string): boolean {
  for (const match of facts.code.matchAll(new RegExp(`(?<![\\w.])(?:self[ \\t]*\\.[ \\t]*)?${name}[ \\t]*=[ \\t]*([A-Za-z_][\\w.]*)[ \\t]*\\(`, 'g'))) {
    if (facts.builtBy(`${match[1]}(`)) return true;
  }
  return false;
}

const PYTHON_BUILTINS = new Set(['range', 'print', 'len', 'int', 'float', 'str', 'max', 'min', 'abs', 'round', 'pow', 'sum', 'list', 'tuple', 'dict', 'set', 'enumerate', 'zip', 'isinstance', 'getattr', 'setattr', 'hasattr', 'super', 'sorted', 'divmod', 'bool', 'slice', 'format', 'open', 'iter', 'next', 'map', 'filter', 'any', 'all', 'hex', 'chr', 'ord', 'bin', 'complex', 'type', 'repr']);
