// The source-facts stage: what rules about the program's syntax need to know about one parsed file
// (classes and their bases, methods and what they assign to `self`, imports, calls), read on demand.
//
// Reading the tree crosses into native code for every node (see parse/py-node.ts), so facts are
// found in the code-only text first and the tree is read only where a fact needs its structure:
// statements come from the tree, their contents from the text at the same offsets.
import type { SourceRange } from '../ir.js';
import type { PyDocument } from '../parse/py-node.js';
import { codeOnly, readAssignment, targetElements } from './code-text.js';
import type { ClassFact, FunctionFact } from './definitions.js';
import { readClass, readFunction } from './definitions.js';
import type { ClassFramework } from './framework-classes.js';
import { frameworkOfLibraryClass, ROOT_CLASSES, TORCH_NN_NON_MODULES } from './framework-classes.js';
import { ImportTable } from './imports.js';
import type { ModeStep } from './mode-steps.js';
import { modeSteps, runsWithoutGrad } from './mode-steps.js';
import type { Binding, ScopeFact } from './scopes.js';
import { functionAt, functionScope, moduleScope, nodePathAt, readBindings } from './scopes.js';
import type { Statement } from './statements.js';
import { headerEnd, moduleStatements, walkStatements } from './statements.js';

export type { ClassFact, FunctionFact } from './definitions.js';
export type { ClassFramework } from './framework-classes.js';
export type { ModeStep } from './mode-steps.js';
export type { Binding, ScopeFact } from './scopes.js';
export type { Statement } from './statements.js';

export interface ClassFamily {
  framework: ClassFramework | null;
  /**
   * Every base up to the framework's root is a class of this file, the root itself or a base that
   * adds no attributes (`object`, `ABC`): everything an instance can hold is in sight.
   */
  basesKnown: boolean;
  /** the classes of this file it inherits from, nearest first */
  ancestors: ClassFact[];
}

/** Bases that give an instance no attributes of their own. */
const PLAIN_BASES = /^(?:object|(?:abc\.)?ABC|(?:typing\.)?(?:Generic|Protocol)(?:\[.*\])?)$/;

const NO_FAMILY: ClassFamily = { framework: null, basesKnown: false, ancestors: [] };

export class SourceFacts {
  private codeText: string | undefined;
  private importTable: ImportTable | undefined;
  private definitions: { classes: ClassFact[]; functions: FunctionFact[] } | undefined;
  private readonly families = new Map<ClassFact, ClassFamily>();
  private readonly selfAssignmentCache = new Map<FunctionFact, SelfAssignment[]>();
  private foreignAttributes: Set<string> | undefined;
  private readonly plainAssignments = new Map<ClassFact, Set<string>>();
  private rebindings: { name: string; offset: number }[] | undefined;
  private readonly scopes = new Map<number, ScopeFact>();
  private readonly scopeBindings = new Map<ScopeFact, Binding[]>();
  private readonly modeStepCache = new Map<string, ModeStep[]>();

  constructor(readonly doc: PyDocument) {}

  get text(): string {
    return this.doc.text;
  }

  /** The source with strings and comments blanked: searches in it find only code. */
  get code(): string {
    this.codeText ??= codeOnly(this.doc.text);
    return this.codeText;
  }

  get imports(): ImportTable {
    this.importTable ??= new ImportTable(this.code);
    return this.importTable;
  }

  /** Classes defined at module level (also under `if`, `try` and `with`), in source order. */
  get classes(): readonly ClassFact[] {
    return this.readDefinitions().classes;
  }

  /** Functions defined at module level (also under `if`, `try` and `with`), in source order. */
  get functions(): readonly FunctionFact[] {
    return this.readDefinitions().functions;
  }

  private readDefinitions(): { classes: ClassFact[]; functions: FunctionFact[] } {
    if (this.definitions) return this.definitions;
    const classes: ClassFact[] = [];
    const functions: FunctionFact[] = [];
    // most files define no class and no function: the text says so without reading the tree
    if (/^[ \t]*(?:async[ \t]+)?(?:class|def)[ \t]/m.test(this.code)) {
      walkStatements(moduleStatements(this.doc), (statement) => {
        const definition = statement.node.type === 'decorated_definition' ? statement.node.namedChildren.at(-1)?.type : statement.node.type;
        if (definition === 'class_definition') {
          const fact = readClass(statement, this.code);
          if (fact) classes.push(fact);
        } else if (definition === 'function_definition') {
          const fact = readFunction(statement, this.code, false);
          if (fact) functions.push(fact);
        }
      });
    }
    this.definitions = { classes, functions };
    return this.definitions;
  }

  /** The class of this file with that name (the last one, when it is defined twice). */
  classNamed(name: string): ClassFact | undefined {
    return last(this.classes, (cls) => cls.name === name);
  }

  functionNamed(name: string): FunctionFact | undefined {
    return last(this.functions, (fn) => fn.name === name);
  }

  /** Which framework a class belongs to, and whether all its bases are in sight. */
  familyOf(cls: ClassFact): ClassFamily {
    const known = this.families.get(cls);
    if (known) return known;
    this.families.set(cls, NO_FAMILY); // a cycle of bases is no family
    let framework: ClassFramework | null = null;
    let basesKnown = !cls.hasKeywords;
    const ancestors: ClassFact[] = [];
    for (const base of cls.bases) {
      const local = /^[A-Za-z_]\w*$/.test(base) && !this.imports.has(base) ? this.classNamed(base) : undefined;
      if (local && local !== cls) {
        const family = this.familyOf(local);
        framework ??= family.framework;
        basesKnown &&= family.basesKnown;
        ancestors.push(local, ...family.ancestors.filter((a) => !ancestors.includes(a)));
        continue;
      }
      const qualified = this.imports.resolve(base);
      const root = ROOT_CLASSES[qualified];
      if (root) {
        framework ??= root;
        continue;
      }
      const derived = frameworkOfLibraryClass(qualified);
      if (derived) framework ??= derived;
      else if (PLAIN_BASES.test(base)) continue;
      basesKnown = false;
    }
    const family = { framework, basesKnown, ancestors };
    this.families.set(cls, family);
    return family;
  }

  /** The classes of this file that inherit from `cls`. */
  descendantsOf(cls: ClassFact): ClassFact[] {
    return this.classes.filter((other) => other !== cls && this.familyOf(other).ancestors.includes(cls));
  }

  /**
   * The statement-level assignments to attributes of a method's `self`, anywhere in its body
   * (nested blocks and functions included): `self.fc = nn.Linear(…)`, `self.a, self.b = …`,
   * `for self.i in …`.
   */
  selfAssignments(method: FunctionFact): SelfAssignment[] {
    const cached = this.selfAssignmentCache.get(method);
    if (cached) return cached;
    const found: SelfAssignment[] = [];
    const self = method.selfName;
    if (self && new RegExp(`\\b${self}\\s*\\.`).test(this.code.slice(method.start, method.end))) {
      const attribute = new RegExp(`^${self}\\.([A-Za-z_]\\w*)$`);
      walkStatements(method.body(), (statement) => {
        const type = statement.node.type;
        if (type === 'expression_statement') {
          const code = this.code.slice(statement.start, statement.end);
          const assignment = readAssignment(code);
          if (!assignment) return;
          for (const target of assignment.targets) {
            for (const element of targetElements(target)) {
              const name = attribute.exec(element)?.[1];
              if (name) found.push({ attribute: name, statement, value: assignment.value, valueOffset: statement.start + assignment.valueOffset, augmented: assignment.augmented });
            }
          }
        } else if (type === 'for_statement' || type === 'with_statement') {
          const header = this.code.slice(statement.start, headerEnd(statement));
          const bound = new RegExp(`(?:\\bfor\\b|\\bas\\b)[^:]*?\\b${self}\\s*\\.\\s*([A-Za-z_]\\w*)`, 'g');
          for (let match = bound.exec(header); match; match = bound.exec(header)) found.push({ attribute: match[1]!, statement, value: '', valueOffset: statement.start, augmented: false });
        }
      }, true);
    }
    this.selfAssignmentCache.set(method, found);
    return found;
  }

  /** Every `self.x` a method mentions (reads and writes), in source order. */
  selfReferences(method: FunctionFact): SelfReference[] {
    const self = method.selfName;
    if (!self) return [];
    const references: SelfReference[] = [];
    const pattern = new RegExp(`(?<![\\w.])${self}\\s*\\.\\s*([A-Za-z_]\\w*)`, 'g');
    const code = this.code.slice(method.start, method.end);
    for (let match = pattern.exec(code); match; match = pattern.exec(code)) {
      const start = method.start + match.index;
      references.push({ attribute: match[1]!, start, end: start + match[0].length });
    }
    return references;
  }

  /**
   * Attribute names a class's text plainly assigns on any object (`self.fc = …`, `self.fc: T = …`,
   * `self.n += 1`): a quick first look that reads no tree. Tuple targets and loop targets are not
   * in it; `selfAssignments` has them.
   */
  plainlyAssignedAttributes(cls: ClassFact): ReadonlySet<string> {
    let names = this.plainAssignments.get(cls);
    if (!names) {
      names = new Set();
      const code = this.code.slice(cls.start, cls.end);
      for (const match of code.matchAll(/\.[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?(?:[-+*/%&|^@]|\/\/|\*\*|<<|>>)?=(?!=)/g)) names.add(match[1]!);
      this.plainAssignments.set(cls, names);
    }
    return names;
  }

  /** Attribute names the file assigns on objects other than `self` (`model.fc = …`, `Net.head = …`). */
  get attributesAssignedElsewhere(): ReadonlySet<string> {
    if (!this.foreignAttributes) {
      this.foreignAttributes = new Set();
      const pattern = /([A-Za-z_][\w.]*|[)\]])\s*\.\s*([A-Za-z_]\w*)\s*(?:[-+*/%&|^@]|\/\/|\*\*|<<|>>)?=(?!=)/g;
      for (let match = pattern.exec(this.code); match; match = pattern.exec(this.code)) {
        if (match[1] !== 'self') this.foreignAttributes.add(match[2]!);
      }
    }
    return this.foreignAttributes;
  }

  /** Whether the text (strings included) has this name as a string literal: `register_buffer('mean', …)`, `getattr(self, 'fc')`. */
  hasStringLiteral(name: string): boolean {
    return this.text.includes(`'${name}'`) || this.text.includes(`"${name}"`);
  }

  /**
   * Statements of the form `name = name(…)` that rebind a name to the result of calling it:
   * where the name starts. (Found from each `= f(` in the code, which is quicker than asking a
   * regular expression to match the name twice.)
   */
  get selfRebindings(): readonly { name: string; offset: number }[] {
    if (!this.rebindings) {
      this.rebindings = [];
      const code = this.code;
      for (const match of code.matchAll(/=[ \t]*([A-Za-z_]\w*)[ \t]*\(/g)) {
        const name = match[1]!;
        // `==`, `<=`, `+=`, `:=`: a comparison or another kind of assignment
        if (/[=!<>:+\-*/%&|^@]/.test(code[match.index - 1] ?? '')) continue;
        let end = match.index;
        while (end > 0 && (code[end - 1] === ' ' || code[end - 1] === '\t')) end--;
        const start = end - name.length;
        if (start < 0 || code.slice(start, end) !== name || /[\w.]/.test(code[start - 1] ?? '')) continue;
        this.rebindings.push({ name, offset: start });
      }
    }
    return this.rebindings;
  }

  /**
   * What a call written as `value` builds, read from its callee: a torch module or parameter, a
   * Keras layer (`nn.Linear(…)`, `nn.Parameter(…)`, `layers.Dense(…)`, a module class of this file).
   */
  builtBy(value: string): BuiltObject | undefined {
    const callee = /^([A-Za-z_][\w.]*)\s*\(/.exec(value)?.[1];
    if (!callee) return undefined;
    const local = callee.includes('.') || this.imports.has(callee) ? undefined : this.classNamed(callee);
    if (local) {
      const framework = this.familyOf(local).framework;
      if (framework === 'torch' || framework === 'lightning') return { kind: 'torch-module', callee };
      if (framework) return { kind: 'keras-layer', callee };
      return undefined;
    }
    const qualified = this.imports.resolve(callee);
    if (/^torch\.nn\.(?:parameter\.)?Parameter$/.test(qualified)) return { kind: 'torch-parameter', callee };
    if (/^torch\.nn\.[A-Z]\w*$/.test(qualified) && !TORCH_NN_NON_MODULES.has(qualified.slice('torch.nn.'.length))) return { kind: 'torch-module', callee };
    if (/^torchvision\.models\.[a-z]\w*$/.test(qualified)) return { kind: 'torch-module', callee };
    if (/^keras\.layers\.[A-Z]\w*$/.test(qualified)) return { kind: 'keras-layer', callee };
    return undefined;
  }

  /**
   * The module (or Keras layer) a name or attribute holds where it is used at `offset`, when the
   * file shows it: `self.fc` that the class assigns `nn.Linear(…)`, `model` last bound to
   * `Net().to(device)`, `model.fc` of such a `Net`, the `layer` of `for layer in model.children()`.
   */
  moduleHeldBy(expression: string, offset: number): BuiltObject | undefined {
    const parts = expression.split('.');
    if (parts.length > 2 || !parts.every((part) => /^[A-Za-z_]\w*$/.test(part))) return undefined;
    const [head, attribute] = parts as [string, string | undefined];
    const scope = this.scopeAt(offset);
    if (attribute !== undefined && head === scope.fn?.selfName) {
      const cls = this.classAt(offset);
      return cls ? this.attributeModule(cls, attribute) : undefined;
    }
    const binding = this.lastBindingBefore(scope, head, offset) ?? (scope.fn && !this.bindings(scope).some((b) => b.name === head) ? this.lastBindingBefore(this.moduleScope, head, offset) : undefined);
    if (!binding) return undefined;
    if (attribute !== undefined) {
      const built = binding.kind === 'assign' ? this.builtBy(binding.value) : undefined;
      const cls = built && !built.callee.includes('.') ? this.classNamed(built.callee) : undefined;
      return cls ? this.attributeModule(cls, attribute) : undefined;
    }
    if (binding.kind === 'assign') return this.builtBy(binding.value);
    if (binding.kind === 'for' && binding.statement) {
      const header = this.code.slice(binding.statement.start, headerEnd(binding.statement));
      if (new RegExp(`^\\s*for\\s+${head}\\s+in\\s+[\\w.]+\\.(?:children|modules)\\(\\s*\\)\\s*:`).test(header) || new RegExp(`^\\s*for\\s+\\(?\\s*\\w+\\s*,\\s*${head}\\s*\\)?\\s+in\\s+[\\w.]+\\.named_(?:children|modules)\\(\\s*\\)\\s*:`).test(header)) {
        return { kind: 'torch-module', callee: header.trim() };
      }
    }
    return undefined;
  }

  /** The name's binding in a scope that comes last before `offset` (a loop's target binds inside the loop; an assignment after its statement). */
  private lastBindingBefore(scope: ScopeFact, name: string, offset: number): Binding | undefined {
    return last(this.bindings(scope), (binding) => binding.name === name && (binding.statement === undefined || (binding.kind === 'for' || binding.kind === 'with' ? binding.statement.start : binding.statement.end) <= offset));
  }

  /** What a class (or a parent of it in this file) assigns to `self.attribute`, when every assignment builds the same kind of module. */
  private attributeModule(cls: ClassFact, attribute: string): BuiltObject | undefined {
    const values = [cls, ...this.familyOf(cls).ancestors].flatMap((c) => [...c.methods.values()]).flatMap((method) => this.selfAssignments(method)).filter((a) => a.attribute === attribute);
    const built = values.map((assignment) => this.builtBy(assignment.value));
    return built.length > 0 && built.every((b) => b !== undefined && b.kind === built[0]!.kind) ? built[0] : undefined;
  }

  /** The function (or the module) whose body holds `offset`. */
  scopeAt(offset: number): ScopeFact {
    const fn = functionAt(this.doc, this.code, offset);
    return fn ? this.scopeOf(fn) : this.moduleScope;
  }

  /** A function's body as a scope. */
  scopeOf(fn: FunctionFact): ScopeFact {
    let scope = this.scopes.get(fn.start);
    if (!scope) {
      scope = functionScope(fn);
      this.scopes.set(fn.start, scope);
    }
    return scope;
  }

  get moduleScope(): ScopeFact {
    let scope = this.scopes.get(-1);
    if (!scope) {
      scope = moduleScope(this.doc);
      this.scopes.set(-1, scope);
    }
    return scope;
  }

  /** The class of this file whose body holds `offset`. */
  classAt(offset: number): ClassFact | undefined {
    return last(this.classes, (cls) => cls.start <= offset && offset < cls.end);
  }

  /** Every simple name the scope binds, in source order (nested functions and classes not entered). */
  bindings(scope: ScopeFact): readonly Binding[] {
    let bindings = this.scopeBindings.get(scope);
    if (!bindings) {
      bindings = readBindings(scope, this.code);
      this.scopeBindings.set(scope, bindings);
    }
    return bindings;
  }

  /**
   * What a scope does with a model variable that depends on or changes its train/eval mode, in
   * program order: built, loaded, `eval()`/`train()`, called (under `no_grad` or not), handed to
   * a function of the file, a backward pass; loops and branches as nested steps.
   */
  modeSteps(scope: ScopeFact, name: string): ModeStep[] {
    const key = `${scope.start}:${name}`;
    let steps = this.modeStepCache.get(key);
    if (!steps) {
      steps = modeSteps(this, scope.statements, name, scope.fn !== undefined && runsWithoutGrad(scope.fn));
      this.modeStepCache.set(key, steps);
    }
    return steps;
  }

  /**
   * The innermost statement that holds `offset`, and the statements around it (outermost first):
   * for `loss.backward()` in a loop in a function, the `def`, the `for`, then the call.
   */
  statementsAt(offset: number): Statement[] {
    const path = nodePathAt(this.doc, offset);
    const statements: Statement[] = [];
    for (let i = 1; i < path.length; i++) {
      const parent = path[i - 1]!.type;
      if (parent === 'block' || parent === 'module') statements.push({ node: path[i]!, start: path[i]!.start, end: path[i]!.end });
    }
    return statements;
  }

  rangeOf(start: number, end: number): SourceRange {
    return this.doc.rangeOf(start, end);
  }

  lineOf(offset: number): number {
    return this.doc.lineOf(offset);
  }
}

export interface SelfReference {
  attribute: string;
  /** the span of `self.attribute` */
  start: number;
  end: number;
}

export interface BuiltObject {
  kind: 'torch-module' | 'torch-parameter' | 'keras-layer';
  /** the callee as written */
  callee: string;
}

export interface SelfAssignment {
  attribute: string;
  statement: Statement;
  /** the assigned expression's code ('' for a loop or `with` target) */
  value: string;
  valueOffset: number;
  augmented: boolean;
}

function last<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return items[i];
  return undefined;
}

