import type { ClassFact, FunctionFact, SourceFacts } from '../src/facts/source-facts.js';
import { rootHasAttribute } from '../src/facts/framework-classes.js';
import { defineFileRule, NO_OPTIONS } from '../src/rules/rule.js';
import { closestMatch } from '../src/text.js';

export default defineFileRule({
  meta: {
    id: 'forward-uses-unset-attribute',
    severity: 'error',
    summary: '`forward()` (Keras: `call()`) uses a `self.` attribute that no method of the class assigns, often because `__init__` is misspelt.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags `self.fc` in the `forward()` of an `nn.Module` subclass (the `call()` of a Keras `Layer` or `Model` subclass) when no method of the class, of its parents in the file or of its subclasses in the file assigns `self.fc`, nor does `nn.Module` or Keras provide it. Attributes assigned in any method count (Keras layers create weights in `build()`), as do class attributes, properties, `register_buffer('fc', …)` and assignments from outside (`model.fc = …`). When the attribute is assigned in a method named like `__init__` but misspelt (`__int__`, `___init___`, `_init_`), that method is reported with the fix. A class with parents footgun cannot see, or that sets attributes dynamically (`setattr`, `__getattr__`), is left alone.",
      whyIsThisBad: "Python never calls a misspelt `__init__`, and an attribute stored under another name is not there: the first call of the model raises `AttributeError: 'Net' object has no attribute 'fc'`, after the data pipeline and the model construction have already run.",
      example: 'class Net(nn.Module):\n    def __int__(self):\n        super().__init__()\n        self.fc = nn.Linear(784, 10)\n\n    def forward(self, x):\n        return self.fc(x)',
      useInstead: 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(784, 10)\n\n    def forward(self, x):\n        return self.fc(x)',
    },
  },
  check({ facts, report }) {
    for (const cls of facts.classes) {
      const family = facts.familyOf(cls);
      if (!family.framework) continue;
      const forward = cls.methods.get(family.framework.startsWith('keras') ? 'call' : 'forward');
      if (!forward?.selfName) continue;
      const firstUses = new Map<string, { start: number; end: number }>();
      for (const reference of facts.selfReferences(forward)) if (!firstUses.has(reference.attribute)) firstUses.set(reference.attribute, reference);
      const misspelt = cls.methods.has('__init__') ? undefined : [...cls.methods.values()].find((method) => isMisspeltInit(method.name) && !mentionedElsewhere(facts, method));
      const relatives = [cls, ...family.ancestors, ...facts.descendantsOf(cls)];
      const inherited = (name: string) => (family.basesKnown ? rootHasAttribute(family.framework!, name) : undefined) !== false;
      // attributes the classes' text plainly assigns need no closer look
      const suspects = [...firstUses.keys()].filter((name) => misspelt || (!inherited(name) && !relatives.some((relative) => relative.members.has(name) || facts.plainlyAssignedAttributes(relative).has(name))));
      if (suspects.length === 0 || relatives.some((relative) => setsAttributesDynamically(facts, relative))) continue;
      const assigners = new Map<string, FunctionFact[]>();
      for (const relative of relatives) {
        for (const method of relative.methods.values()) {
          for (const { attribute } of facts.selfAssignments(method)) {
            const methods = assigners.get(attribute) ?? [];
            if (!methods.includes(method)) methods.push(method);
            assigners.set(attribute, methods);
          }
        }
      }
      const existsOtherwise = (name: string) => relatives.some((relative) => relative.members.has(name)) || facts.hasStringLiteral(name) || facts.attributesAssignedElsewhere.has(name);
      const forwardName = `${forward.name}()`;

      if (misspelt) {
        const lost = [...firstUses.entries()].filter(([name]) => assigners.get(name)?.every((method) => method === misspelt) && !existsOtherwise(name) && rootHasAttribute(family.framework!, name) !== true);
        if (lost.length > 0) {
          const [name, use] = lost[0]!;
          report({
            range: facts.rangeOf(misspelt.nameOffset, misspelt.nameOffset + misspelt.name.length),
            message: `'${misspelt.name}' is not '__init__', so Python never calls it: ${forwardName} uses self.${name} (line ${facts.lineOf(use.start)}), which only '${misspelt.name}' assigns, and raises "AttributeError: '${cls.name}' object has no attribute '${name}'". Rename the method to __init__.`,
            fix: { range: facts.rangeOf(misspelt.nameOffset, misspelt.nameOffset + misspelt.name.length), replacement: '__init__' },
          });
          continue;
        }
      }

      if (!family.basesKnown) continue;
      for (const name of suspects) {
        const use = firstUses.get(name)!;
        if (assigners.has(name) || inherited(name) || existsOtherwise(name)) continue;
        const guess = closestMatch(name, [...assigners.keys(), ...cls.members].filter((candidate) => candidate !== name));
        const suggestion = guess ? ` Did you mean self.${guess}?` : ' Assign it in __init__ (or in build() for a Keras layer).';
        report({
          range: facts.rangeOf(use.start, use.end),
          message: `${forwardName} uses self.${name}, but no method of ${cls.name} assigns it and ${libraryOf(family.framework)} does not provide it: calling the model raises "AttributeError: '${cls.name}' object has no attribute '${name}'".${suggestion}`,
        });
      }
    }
  },
});

function libraryOf(framework: string): string {
  return framework === 'torch' ? 'nn.Module' : framework === 'keras-model' ? 'keras.Model' : 'keras.layers.Layer';
}

const INIT_LIKE = new Set(['init', 'int', 'innit', 'inti', 'intit', 'initt', 'iinit', 'ini', 'nit', 'inits']);

/** `__int__`, `___init___`, `_init_`, `__init`, `init__`: not `__init__`, nor a plain helper name such as `init` or `_init`. */
function isMisspeltInit(name: string): boolean {
  if (name.length > 12 || !name.includes('_')) return false;
  const parts = /^(_*)([a-z]+)(_*)$/i.exec(name);
  if (!parts || name === '__init__' || !INIT_LIKE.has(parts[2]!.toLowerCase())) return false;
  const [, leading, , trailing] = parts;
  return leading!.length >= 2 || trailing!.length >= 1;
}

/** Whether the file mentions a method's name anywhere but its own `def`: something may call it. */
function mentionedElsewhere(facts: SourceFacts, method: FunctionFact): boolean {
  const mentions = facts.code.match(new RegExp(`(?<![\\w])${method.name}(?![\\w])`, 'g'))?.length ?? 0;
  return mentions > 1;
}

const DYNAMIC_ATTRIBUTES = /\bsetattr\s*\(|\bvars\s*\(\s*self\s*\)|__dict__|__getattr__|__getattribute__|__setattr__|\b(?:add_module|register_module|register_buffer|register_parameter)\s*\(\s*(?!['"])/;

/** Whether a class sets or finds attributes by computed names, which the code does not spell out. */
function setsAttributesDynamically(facts: SourceFacts, cls: ClassFact): boolean {
  return DYNAMIC_ATTRIBUTES.test(facts.code.slice(cls.start, cls.end));
}
