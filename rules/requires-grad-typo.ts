import { expressionStart, readAssignment } from '../src/facts/code-text.js';
import { defineFileRule, NO_OPTIONS } from '../src/rules/rule.js';
import { editDistance } from '../src/text.js';

export default defineFileRule({
  meta: {
    id: 'requires-grad-typo',
    severity: 'error',
    summary: '`x.require_grad = …` (a misspelt `requires_grad`), or `requires_grad` set on a module instead of its parameters.',
    options: NO_OPTIONS,
    frameworks: ['pytorch'],
    docs: {
      whatItDoes: "Flags assignments to a misspelling of `requires_grad` (`require_grad`, `requires_grads`, `requires_gard`, `requires_grad_`) and assignments of `requires_grad` to a module: a name bound to `nn.Linear(…)` or a model class of the file, `self.fc` holding a layer, the `layer` of `for layer in model.children()`. A misspelt name the file also reads as its own attribute is left alone.",
      whyIsThisBad: "Tensors and modules accept any new attribute, so both assignments succeed and change nothing: the tensor still has `requires_grad=False` and no gradient flows to it, or the module's parameters keep training when you meant to freeze them. Nothing fails; the model just trains the wrong weights.",
      example: 'for layer in model.children():\n    layer.requires_grad = False\nscale.require_grad = True',
      useInstead: 'for layer in model.children():\n    layer.requires_grad_(False)\nscale.requires_grad = True',
    },
  },
  check({ facts, report }) {
    const assignment = /\.\s*(re[a-z_]*)\s*=(?!=)/gi;
    for (const match of facts.code.matchAll(assignment)) {
      const name = match[1]!;
      const nameStart = match.index + match[0].indexOf(name);
      const nameRange = facts.rangeOf(nameStart, nameStart + name.length);
      if (name !== 'requires_grad') {
        if (!isRequiresGradTypo(name) || (name !== 'requires_grad_' && readsAttribute(facts.code, name))) continue;
        report({
          range: nameRange,
          message: `'${name}' is not 'requires_grad': the assignment only adds a new attribute, so autograd still ${name.endsWith('_') ? 'sees the old flag' : 'does not track this tensor'} and nothing is trained through it. Write requires_grad.`,
          fix: { range: nameRange, replacement: 'requires_grad' },
        });
        continue;
      }
      const objectEnd = match.index;
      const objectStart = expressionStart(facts.code, objectEnd);
      if (objectStart === -1) continue;
      const object = facts.code.slice(objectStart, objectEnd).replace(/\s+/g, '');
      const module = facts.moduleHeldBy(object, objectStart);
      if (!module || module.kind !== 'torch-module') continue;
      const statement = facts.statementsAt(nameStart).at(-1);
      const parsed = statement && readAssignment(facts.code.slice(statement.start, statement.end));
      const value = parsed && parsed.targets.length === 1 && !parsed.augmented ? parsed.value : undefined;
      report({
        range: facts.rangeOf(objectStart, nameStart + name.length),
        message: `${object} is a module, not a tensor: setting requires_grad on it only adds a Python attribute, and its parameters keep requires_grad=True and keep training. Call ${object}.requires_grad_(${value ?? 'False'}) to set it on every parameter.`,
        fix: value !== undefined && statement ? { range: facts.rangeOf(objectStart, statement.start + parsed!.valueOffset + value.length), replacement: `${facts.text.slice(objectStart, objectEnd).trim()}.requires_grad_(${facts.text.slice(statement.start + parsed!.valueOffset, statement.start + parsed!.valueOffset + value.length)})` } : undefined,
      });
    }
  },
});

/** `require_grad`, `requires_grads`, `requires_gard`, `requires_grad_`: close to `requires_grad`, but not it. */
function isRequiresGradTypo(name: string): boolean {
  return name !== 'requires_grad' && editDistance(name.toLowerCase().replace(/_/g, ''), 'requiresgrad') <= 2;
}

/** Whether the code reads `.name` somewhere (not as an assignment target): then it is an attribute of the program's own. */
function readsAttribute(code: string, name: string): boolean {
  return new RegExp(`\\.\\s*${name}\\b(?!\\s*(?:[-+*/%&|^@]|//|\\*\\*|<<|>>)?=(?!=))`).test(code);
}
