// What a scope does with one model variable that can change or depend on its train/eval mode, in
// program order: built, loaded, put in eval or train mode, called (under no_grad or not), handed
// to a function, trained (a backward pass), inside loops and branches.
import { closingBracket, enclosingCall, readAssignment, splitTopLevel } from './code-text.js';
import type { FunctionFact } from './definitions.js';
import type { SourceFacts } from './source-facts.js';
import type { Statement } from './statements.js';
import { DEFINITIONS, LOOPS, blocksOf, headerEnd, statementsOf } from './statements.js';

export type ModeStep =
  | { kind: 'construct'; offset: number; callee: string }
  | { kind: 'load' | 'eval' | 'train' | 'unknown' | 'backward'; offset: number }
  | { kind: 'forward'; offset: number; noGrad: boolean }
  | { kind: 'call'; offset: number; fn: FunctionFact; param: string }
  | { kind: 'loop'; offset: number; body: ModeStep[] }
  | { kind: 'branch'; offset: number; arms: ModeStep[][] };

/** Functions that take a model without changing or using its mode. */
const NEUTRAL_CALLEES = new Set(['print', 'len', 'str', 'repr', 'type', 'id', 'isinstance', 'hasattr', 'getattr', 'summary', 'torch.save', 'torch.compile', 'torch.nn.DataParallel', 'torch.nn.parallel.DistributedDataParallel', 'torch.nn.parallel.DataParallel']);

const NO_GRAD = /\b(?:no_grad|inference_mode)\s*\(|\bset_grad_enabled\s*\(\s*False\b/;

/** Whether a function runs under `@torch.no_grad()` or `@torch.inference_mode()`. */
export function runsWithoutGrad(fn: FunctionFact): boolean {
  return fn.decorators.some((decorator) => NO_GRAD.test(`${decorator}(`));
}

/** The mode steps of `name` in a list of statements (a scope's body). */
export function modeSteps(facts: SourceFacts, statements: readonly Statement[], name: string, noGrad: boolean): ModeStep[] {
  const steps: ModeStep[] = [];
  for (const statement of statements) {
    const type = statement.node.type;
    if (DEFINITIONS.has(type)) continue;
    const blocks = blocksOf(statement);
    if (blocks.length === 0) {
      steps.push(...simpleSteps(facts, statement, name, noGrad));
      continue;
    }
    const header = facts.code.slice(statement.start, headerEnd(statement));
    const bodies = blocks.map((block) => statementsOf(block.node, block.end));
    if (LOOPS.has(type)) {
      steps.push({ kind: 'loop', offset: statement.start, body: modeSteps(facts, bodies[0]!, name, noGrad) });
      // a loop's `else` runs after it
      for (const rest of bodies.slice(1)) steps.push(...modeSteps(facts, rest, name, noGrad));
    } else if (type === 'with_statement') {
      if (mentions(header, name)) steps.push({ kind: 'unknown', offset: statement.start });
      steps.push(...modeSteps(facts, bodies[0]!, name, noGrad || NO_GRAD.test(header)));
    } else if (type === 'if_statement') {
      const arms = bodies.map((body) => modeSteps(facts, body, name, noGrad));
      if (!statement.node.namedChildren.some((child) => child.type === 'else_clause')) arms.push([]);
      steps.push({ kind: 'branch', offset: statement.start, arms });
    } else if (type === 'try_statement') {
      const clauses = statement.node.namedChildren.filter((child) => child.type === 'block' || child.type.endsWith('_clause'));
      const finallyIndex = clauses.findIndex((child) => child.type === 'finally_clause');
      const armBodies = finallyIndex === -1 ? bodies : bodies.slice(0, finallyIndex);
      steps.push({ kind: 'branch', offset: statement.start, arms: armBodies.map((body) => modeSteps(facts, body, name, noGrad)) });
      if (finallyIndex !== -1) steps.push(...modeSteps(facts, bodies[finallyIndex]!, name, noGrad));
    } else {
      // match statements and anything else: footgun does not follow them
      if (mentions(facts.code.slice(statement.start, statement.end), name)) steps.push({ kind: 'unknown', offset: statement.start });
    }
  }
  return steps;
}

function mentions(code: string, name: string): boolean {
  return new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(code);
}

/** The steps of one simple statement, in the order of their text. */
function simpleSteps(facts: SourceFacts, statement: Statement, name: string, noGrad: boolean): ModeStep[] {
  const code = facts.code.slice(statement.start, statement.end);
  const backward = /\.\s*backward\s*\(/.exec(code);
  if (!mentions(code, name)) return backward ? [{ kind: 'backward', offset: statement.start + backward.index }] : [];
  const found: ModeStep[] = [];
  const at = (index: number) => statement.start + index;
  const claimed = new Set<number>();

  const assignment = readAssignment(code);
  const rebound = assignment?.targets.some((target) => target.split(',').some((part) => part.trim() === name));
  if (assignment && rebound) {
    claimed.add(new RegExp(`(?<![\\w.])${name}(?!\\w)`).exec(code)!.index);
    const built = facts.builtBy(assignment.value);
    if (built) {
      found.push({ kind: 'construct', offset: at(assignment.valueOffset), callee: built.callee });
      if (/\.\s*eval\s*\(\s*\)\s*$/.test(assignment.value)) found.push({ kind: 'eval', offset: at(assignment.valueOffset + assignment.value.length - 1) });
      return found;
    }
    if (!mentions(assignment.value, name)) return [{ kind: 'unknown', offset: at(0) }];
  }

  const chain = new RegExp(`(?<![\\w.])${name}((?:\\s*\\.\\s*\\w+(?:\\s*\\([^()]*\\))?)*?)\\s*\\.\\s*(eval|train|load_state_dict|apply|modules|children|named_modules|named_children)\\s*\\(`, 'g');
  for (const match of code.matchAll(chain)) {
    claimed.add(match.index);
    const method = match[2]!;
    const open = match.index + match[0].length - 1;
    const args = code.slice(open + 1, Math.max(open + 1, closingBracket(code, open) - 1)).trim();
    let kind: 'load' | 'eval' | 'train' | 'unknown';
    if (method === 'load_state_dict') kind = match[1]!.trim() === '' || /^\s*\.\s*module$/.test(match[1]!) ? 'load' : 'unknown';
    else if (method === 'eval') kind = 'eval';
    else if (method === 'train') kind = args === '' || /^(?:mode\s*=\s*)?True$/.test(args) ? 'train' : /^(?:mode\s*=\s*)?False$/.test(args) ? 'eval' : 'unknown';
    else kind = 'unknown';
    found.push({ kind, offset: at(match.index + match[0].length - method.length - 1) });
  }

  for (const match of code.matchAll(new RegExp(`(?<![\\w.])${name}\\s*\\(`, 'g'))) {
    claimed.add(match.index);
    found.push({ kind: 'forward', offset: at(match.index), noGrad });
  }

  for (const match of code.matchAll(new RegExp(`(?<![\\w.])${name}(?![\\w])`, 'g'))) {
    if (claimed.has(match.index)) continue;
    const after = code.slice(match.index + name.length);
    if (/^\s*[.([]/.test(after)) continue; // an attribute, a call or an item of the model: `model.fc`, `model.parameters()`
    const handed = handedOver(facts, code, match.index, statement.start, name);
    if (handed) found.push(handed);
  }
  if (backward) found.push({ kind: 'backward', offset: at(backward.index) });
  return found.sort((a, b) => a.offset - b.offset);
}

/**
 * The model passed to a function (`evaluate(model, loader)`), or stored where footgun loses sight
 * of it (`net = model`); nothing for a function that leaves its mode alone (`print(model)`).
 */
function handedOver(facts: SourceFacts, code: string, index: number, base: number, name: string): ModeStep | undefined {
  const offset = base + index;
  const call = enclosingCall(code, index);
  if (!call) return { kind: 'unknown', offset };
  const args = splitTopLevel(code.slice(call.open + 1, Math.max(call.open + 1, closingBracket(code, call.open) - 1)));
  const position = args.findIndex((arg) => arg === name || new RegExp(`^\\w+\\s*=\\s*${name}$`).test(arg));
  if (position === -1) return { kind: 'unknown', offset };
  const callee = call.callee.replace(/\s+/g, '');
  if (NEUTRAL_CALLEES.has(facts.imports.resolve(callee))) return undefined;
  const fn = callee.includes('.') ? undefined : facts.functionNamed(callee);
  if (!fn) return { kind: 'unknown', offset };
  const keyword = /^(\w+)\s*=/.exec(args[position]!)?.[1];
  const param = keyword ?? fn.params[position];
  return param ? { kind: 'call', offset, fn, param } : { kind: 'unknown', offset };
}
