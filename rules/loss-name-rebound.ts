import { isTorchLossClass, isTorchLossFunction } from '../src/facts/framework-classes.js';
import type { Binding, SourceFacts } from '../src/facts/source-facts.js';
import { LOOPS } from '../src/facts/statements.js';
import { defineFileRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineFileRule({
  meta: {
    id: 'loss-name-rebound',
    severity: 'error',
    summary: 'The loss function is overwritten by its own result (`criterion = criterion(out, y)`), so the next call calls a tensor.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags `criterion = criterion(output, target)` where `criterion` holds a loss (`nn.CrossEntropyLoss()`, `F.cross_entropy`, a Keras loss object, or a parameter named like one) and is called again afterwards: on the next pass of the loop around it, or later in the same function. `criterion = criterion.to(device)` keeps the loss and is not flagged.',
      whyIsThisBad: "After the first call the name holds the loss value, a tensor, not the loss function any more. The second batch calls the tensor and fails with `TypeError: 'Tensor' object is not callable`, after the first step has already run, which makes the cause easy to miss.",
      example: 'criterion = nn.CrossEntropyLoss()\nfor x, y in loader:\n    criterion = criterion(model(x), y)\n    criterion.backward()',
      useInstead: 'criterion = nn.CrossEntropyLoss()\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()',
    },
  },
  check({ facts, report }) {
    for (const { name, offset } of facts.selfRebindings) {
      const scope = facts.scopeAt(offset);
      const bindings = facts.bindings(scope).filter((binding) => binding.name === name);
      const rebinding = bindings.find((binding) => binding.statement?.start === facts.statementsAt(offset).at(-1)?.start && binding.kind === 'assign');
      if (!rebinding?.statement) continue;
      const loss = [...bindings].reverse().find((binding) => binding !== rebinding && (binding.statement === undefined || binding.statement.start < rebinding.statement!.start));
      const lossName = loss && lossHeldBy(facts, loss);
      if (!lossName) continue;
      const nextCall = callAgain(facts, rebinding, name, bindings);
      if (!nextCall) continue;
      const range = facts.rangeOf(offset, offset + name.length);
      report({
        range,
        message: `${name} held ${lossName}; from here it holds the loss value (a tensor), so ${nextCall.where} calls the tensor and fails with "TypeError: 'Tensor' object is not callable". Keep the result under another name: loss = ${name}(…).`,
        related: [{ range: facts.rangeOf(nextCall.offset, nextCall.offset + name.length), message: 'called again here' }],
      });
    }
  },
});

const LOSS_PARAMETER = /^(?:criterion|criteria|loss_(?:fn|func|fcn|function|module|obj)|lossfn|loss_criterion)$/;

/** What a binding of the name holds, when it is a loss: its constructor or function as written. */
function lossHeldBy(facts: SourceFacts, binding: Binding): string | undefined {
  if (binding.kind === 'parameter') return LOSS_PARAMETER.test(binding.name) ? 'the loss passed in' : undefined;
  if (binding.kind !== 'assign') return undefined;
  const call = /^([A-Za-z_][\w.]*)\s*\(/.exec(binding.value)?.[1];
  if (call) {
    const qualified = facts.imports.resolve(call);
    const local = !call.includes('.') ? facts.classNamed(call) : undefined;
    if (isTorchLossClass(qualified) || /^keras\.losses\.[A-Z]\w*$/.test(qualified) || (local && /Loss$/.test(local.name) && facts.familyOf(local).framework)) return `the loss ${call}(…)`;
    return undefined;
  }
  const reference = /^([A-Za-z_][\w.]*)$/.exec(binding.value)?.[1];
  const qualified = reference && facts.imports.resolve(reference);
  if (qualified && (isTorchLossFunction(qualified) || /^keras\.losses\.[a-z]\w*$/.test(qualified))) return `the loss function ${reference}`;
  return undefined;
}

/**
 * Where the name is called again after the rebinding: the same statement on the next pass of a
 * loop around it that binds the name nowhere else, or a later call before anything rebinds it.
 */
function callAgain(facts: SourceFacts, rebinding: Binding, name: string, bindings: Binding[]): { where: string; offset: number } | undefined {
  const statement = rebinding.statement!;
  const loop = [...rebinding.enclosing].reverse().find((s) => LOOPS.has(s.node.type));
  if (loop) {
    const rebuiltInLoop = bindings.some((binding) => binding !== rebinding && binding.statement && binding.statement.start >= loop.start && binding.statement.start < loop.end);
    if (!rebuiltInLoop) return { where: `the next pass of the loop at line ${facts.lineOf(loop.start)}`, offset: rebinding.valueOffset };
  }
  const scope = facts.scopeAt(statement.start);
  const nextBinding = bindings.find((binding) => binding.statement && binding.statement.start > statement.start);
  const code = facts.code.slice(statement.end, nextBinding?.statement?.start ?? scope.end);
  const call = new RegExp(`(?<![\\w.])${name}\\s*\\(`).exec(code);
  if (!call) return undefined;
  const offset = statement.end + call.index;
  return { where: `the call at line ${facts.lineOf(offset)}`, offset };
}
