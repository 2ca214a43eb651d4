import type { ClassFact, FunctionFact, SourceFacts } from '../src/facts/source-facts.js';
import { defineFileRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineFileRule({
  meta: {
    id: 'module-no-super-init',
    severity: 'error',
    summary: 'An `nn.Module` or Keras layer/model class whose `__init__` assigns layers before `super().__init__()`, or never calls it.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags the `__init__` of an `nn.Module` (or LightningModule) subclass that assigns a submodule or an `nn.Parameter` to `self` before calling `super().__init__()`, and the `__init__` of an `nn.Module` or Keras `Layer`/`Model` subclass that never calls it. `super(Net, self).__init__()`, `nn.Module.__init__(self)` and a parent class's `__init__` all count. Plain values (`self.hidden = hidden`) may come first: PyTorch and Keras accept them.",
      whyIsThisBad: "`nn.Module.__init__` creates the registries that hold a module's parameters and submodules. Before it runs, `self.fc = nn.Linear(…)` raises `AttributeError: cannot assign module before Module.__init__() call`; without it at all, creating or calling the model fails with `AttributeError: 'Net' object has no attribute '_parameters'`. Keras raises `RuntimeError: …you forgot to call super().__init__()` when the layer is first called.",
      example: 'class Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(784, 10)\n        super().__init__()',
      useInstead: 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(784, 10)',
    },
  },
  check({ facts, report }) {
    for (const cls of facts.classes) {
      const { framework } = facts.familyOf(cls);
      const init = cls.methods.get('__init__');
      if (!framework || !init?.selfName) continue;
      const superCall = superInitCall(facts, cls, init);
      if (superCall === undefined && isStub(facts, init)) continue;
      const base = `${cls.name}.__init__`;
      // most classes call super().__init__() before any `self.x = …`: the text before it says so
      const assignsEarly = new RegExp(`(?<![\\w.])${init.selfName}\\s*\\.\\s*\\w+[^=\\n]*=`).test(facts.code.slice(init.start, superCall ?? init.end));
      if (assignsEarly && (framework === 'torch' || framework === 'lightning')) {
        const early = facts.selfAssignments(init).find((assignment) => (superCall === undefined || assignment.statement.start < superCall) && facts.builtBy(assignment.value)?.kind.startsWith('torch-'));
        if (early) {
          const built = facts.builtBy(early.value)!;
          const what = built.kind === 'torch-parameter' ? 'parameters' : 'module';
          const when = superCall === undefined ? `${base} never calls super().__init__()` : `super().__init__() only runs at line ${facts.lineOf(superCall)}`;
          report({
            range: facts.rangeOf(early.statement.start, early.valueOffset + built.callee.length),
            message: `self.${early.attribute} is assigned ${what === 'module' ? 'a module' : 'a parameter'} (${built.callee}) before nn.Module.__init__ has run (${when}): PyTorch raises "AttributeError: cannot assign ${what} before Module.__init__() call". Call super().__init__() as the first statement of __init__.`,
          });
          continue;
        }
      }
      if (superCall !== undefined) continue;
      const library = framework === 'torch' || framework === 'lightning' ? 'nn.Module' : framework === 'keras-model' ? 'keras.Model' : 'keras.layers.Layer';
      const consequence = library === 'nn.Module'
        ? `creating or calling ${cls.name} fails with "AttributeError: '${cls.name}' object has no attribute '_parameters'" (or '_backward_hooks')`
        : `Keras raises "RuntimeError: … you forgot to call super().__init__()" when ${cls.name} is first called`;
      report({
        range: facts.rangeOf(init.nameOffset, init.nameOffset + init.name.length),
        message: `${base} never calls super().__init__(), so ${library}.__init__ never sets the object up: ${consequence}. Call super().__init__() as the first statement of __init__.`,
      });
    }
  },
});

/** Where `__init__` first calls a parent's `__init__` (directly, or through a method of the class that does). */
function superInitCall(facts: SourceFacts, cls: ClassFact, init: FunctionFact): number | undefined {
  const parentInit = /\.\s*__init__\s*\(/;
  const code = facts.code.slice(init.start, init.end);
  const direct = parentInit.exec(code);
  const viaMethod = new RegExp(`(?<![\\w.])${init.selfName}\\s*\\.\\s*(\\w+)\\s*\\(`, 'g');
  let first = direct ? direct.index : Infinity;
  for (let match = viaMethod.exec(code); match && match.index < first; match = viaMethod.exec(code)) {
    const method = [cls, ...facts.familyOf(cls).ancestors].map((c) => c.methods.get(match![1]!)).find((m) => m !== undefined);
    if (method && method !== init && parentInit.test(facts.code.slice(method.start, method.end))) first = match.index;
  }
  return first === Infinity ? undefined : init.start + first;
}

/** An `__init__` with no body to speak of (`...`, `pass`, a docstring, `raise NotImplementedError`): a stub or an interface. */
function isStub(facts: SourceFacts, init: FunctionFact): boolean {
  return init.body().every((statement) => /^\s*(?:pass|\.\.\.|raise\b[\s\S]*|['"][\s\S]*)\s*$/.test(facts.code.slice(statement.start, statement.end)));
}
