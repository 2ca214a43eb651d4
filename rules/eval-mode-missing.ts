import type { Layer, Model } from '../src/ir.js';
import type { FunctionFact, ModeStep, ScopeFact, SourceFacts } from '../src/facts/source-facts.js';
import { defineFileRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineFileRule({
  meta: {
    id: 'eval-mode-missing',
    severity: 'warning',
    summary: 'A model with Dropout or BatchNorm loaded and used for inference without `model.eval()`, or trained after `model.eval()` without `model.train()`.',
    options: NO_OPTIONS,
    frameworks: ['pytorch'],
    docs: {
      whatItDoes: "Follows a PyTorch model variable through a function (or the script) and the functions of the file it is handed to, when the model contains Dropout or BatchNorm. It flags a model that is loaded (`model.load_state_dict(…)`) and then called under `torch.no_grad()` or `torch.inference_mode()` while still in training mode, and a model that is called in a training loop (a loop with `loss.backward()`) while in eval mode: after `model.eval()` before the loop, or on the second pass of a loop that calls `model.eval()` (or an evaluation function that does) and never `model.train()`. `model.eval()` in a helper the code calls counts; anything footgun cannot follow (an unknown function the model is handed to, a branch that may or may not switch modes) keeps it silent.",
      whyIsThisBad: "Dropout and BatchNorm behave differently in the two modes. Inference in training mode drops random activations and normalises with the statistics of the current batch (and overwrites the running statistics the checkpoint learned), so predictions are noisy and depend on the batch. Training in eval mode turns dropout off and freezes BatchNorm's statistics, so the model overfits or stops adapting, without any error.",
      example: 'model = Net()\nmodel.load_state_dict(torch.load("net.pt"))\nwith torch.no_grad():\n    predictions = model(images)',
      useInstead: 'model = Net()\nmodel.load_state_dict(torch.load("net.pt"))\nmodel.eval()\nwith torch.no_grad():\n    predictions = model(images)',
    },
  },
  check({ facts, models, report }) {
    if (!/load_state_dict|\.\s*eval\s*\(|\.\s*train\s*\(/.test(facts.code)) return;
    for (const { scope, name } of candidates(facts)) {
      const steps = facts.modeSteps(scope, name);
      const model = modelOf(facts, models, scope, name, steps);
      const switching = model && modeDependentLayer(model);
      if (!model || !switching) continue;
      const simulation = new Simulation(facts, name);
      simulation.run(steps, { mode: 'unknown', loaded: false }, hasBackward(steps));
      for (const finding of simulation.findings.values()) {
        report({ range: facts.rangeOf(finding.offset, finding.offset + name.length), message: finding.message(switching), model: model.name });
      }
    }
  },
});

type Mode = 'train' | 'eval' | 'unknown' | 'entry';

interface State {
  mode: Mode;
  /** the weights were loaded on every path here */
  loaded: boolean;
  loadedAt?: number;
  /** where the model was last put in eval mode */
  evalAt?: number;
  evalBy?: string;
}

/** Where a function uses the model in the mode it was handed over in. */
interface EntryUses {
  /** it runs the model under no_grad */
  infers?: number;
  /** it trains the model (a call and a backward pass) */
  trains?: number;
}

/** What a function of the file does with the model handed to it. */
interface Summary extends EntryUses {
  /** the mode it leaves the model in ('entry': unchanged) */
  effect: Mode;
}

interface Finding {
  offset: number;
  message(layer: Layer): string;
}

const MAX_DEPTH = 3;

/** Runs the steps over the model's mode, recording where inference runs in training mode and training runs in eval mode. */
class Simulation {
  readonly findings = new Map<number, Finding>();
  readonly entryUses: EntryUses = {};
  private readonly summaries = new Map<string, Summary>();

  constructor(
    private readonly facts: SourceFacts,
    private readonly name: string,
    private readonly depth = 0,
    private readonly visiting: ReadonlySet<FunctionFact> = new Set(),
  ) {}

  run(steps: readonly ModeStep[], entry: State, training: boolean): State {
    let state = { ...entry };
    for (const step of steps) {
      switch (step.kind) {
        case 'construct':
          state = { mode: 'train', loaded: false };
          break;
        case 'load':
          state = { ...state, loaded: true, loadedAt: step.offset };
          break;
        case 'eval':
          state = { ...state, mode: 'eval', evalAt: step.offset, evalBy: undefined };
          break;
        case 'train':
        case 'unknown':
          state = { ...state, mode: step.kind };
          break;
        case 'backward':
          break;
        case 'forward':
          if (step.noGrad) this.inference(step.offset, state, undefined);
          else if (training) this.training(step.offset, state, undefined);
          break;
        case 'call':
          state = this.call(step, state);
          break;
        case 'loop': {
          const trainingLoop = hasBackward(step.body);
          const first = this.run(step.body, state, trainingLoop);
          const second = this.run(step.body, first, trainingLoop);
          state = join([state, first, second]);
          break;
        }
        case 'branch':
          state = join(step.arms.map((arm) => this.run(arm, state, training)));
          break;
      }
    }
    return state;
  }

  private inference(offset: number, state: State, via: string | undefined): void {
    if (state.mode === 'entry') this.entryUses.infers ??= offset;
    if (state.mode !== 'train' || !state.loaded) return;
    const { facts, name } = this;
    const loaded = state.loadedAt !== undefined ? ` (loaded at line ${facts.lineOf(state.loadedAt)})` : '';
    this.findings.set(offset, {
      offset,
      message: (layer) => `${via ? `${via}() runs ${name} under torch.no_grad()` : `${name} runs under torch.no_grad() here`}, but ${name}${loaded} is still in training mode: nothing calls ${name}.eval() before it. Its ${layer.type} (line ${layer.range.line}) ${describe(layer, 'inference')}, so the predictions are wrong and vary from batch to batch. Call ${name}.eval() before inference.`,
    });
  }

  private training(offset: number, state: State, via: string | undefined): void {
    if (state.mode === 'entry') this.entryUses.trains ??= offset;
    if (state.mode !== 'eval' || (state.evalAt !== undefined && saysFrozenOnPurpose(this.facts, state.evalAt))) return;
    const { facts, name } = this;
    const where = state.evalAt === undefined ? '' : ` by ${state.evalBy ? `${state.evalBy}()` : `${name}.eval()`} at line ${facts.lineOf(state.evalAt)}`;
    this.findings.set(offset, {
      offset,
      message: (layer) => `${via ? `${via}() trains ${name}` : `${name} is trained here`} in eval mode: it was put there${where} and nothing calls ${name}.train() before this step. Its ${layer.type} (line ${layer.range.line}) ${describe(layer, 'training')}. Call ${name}.train() at the start of each training pass.`,
    });
  }

  private call(step: Extract<ModeStep, { kind: 'call' }>, state: State): State {
    const summary = this.summarise(step.fn, step.param);
    if (summary.infers !== undefined) this.inference(step.offset, state, step.fn.name);
    if (summary.trains !== undefined) this.training(step.offset, state, step.fn.name);
    if (summary.effect === 'entry') return state;
    if (summary.effect === 'eval') return { ...state, mode: 'eval', evalAt: step.offset, evalBy: step.fn.name };
    return { ...state, mode: summary.effect };
  }

  /** What a function does with the model handed to it as `param`, followed to a few calls deep. */
  private summarise(fn: FunctionFact, param: string): Summary {
    const key = `${fn.start}:${param}`;
    let summary = this.summaries.get(key);
    if (summary) return summary;
    if (this.depth >= MAX_DEPTH || this.visiting.has(fn)) {
      summary = { effect: 'unknown' };
    } else {
      const scope: ScopeFact = this.facts.scopeOf(fn);
      const steps = this.facts.modeSteps(scope, param);
      const inner = new Simulation(this.facts, param, this.depth + 1, new Set([...this.visiting, fn]));
      const final = inner.run(steps, { mode: 'entry', loaded: false }, hasBackward(steps));
      summary = { ...inner.entryUses, effect: final.mode };
    }
    this.summaries.set(key, summary);
    return summary;
  }
}

function join(states: readonly State[]): State {
  const [first, ...rest] = states as [State, ...State[]];
  const same = rest.every((state) => state.mode === first.mode);
  const evalState = states.find((state) => state.mode === 'eval');
  return {
    mode: same ? first.mode : 'unknown',
    loaded: states.every((state) => state.loaded),
    loadedAt: states.find((state) => state.loadedAt !== undefined)?.loadedAt,
    evalAt: evalState?.evalAt,
    evalBy: evalState?.evalBy,
  };
}

/** Whether a sequence runs a backward pass itself (nested loops are units of their own). */
function hasBackward(steps: readonly ModeStep[]): boolean {
  return steps.some((step) => step.kind === 'backward' || (step.kind === 'branch' && step.arms.some(hasBackward)));
}

/** Where a model variable is put in a mode or loaded, and where it is handed to a function of the file that calls `.eval()`. */
function candidates(facts: SourceFacts): { scope: ScopeFact; name: string }[] {
  const found = new Map<string, { scope: ScopeFact; name: string }>();
  const add = (offset: number, name: string) => {
    const scope = facts.scopeAt(offset);
    found.set(`${scope.start}:${name}`, { scope, name });
  };
  for (const match of facts.code.matchAll(/(?<![\w.])([A-Za-z_]\w*)(?:\s*\.\s*module)?\s*\.\s*(?:load_state_dict|eval|train)\s*\(/g)) {
    if (match[1] !== 'self') add(match.index, match[1]!);
  }
  for (const fn of facts.functions) {
    if (!/\.\s*(?:eval|train)\s*\(/.test(facts.code.slice(fn.start, fn.end))) continue;
    for (const call of facts.code.matchAll(new RegExp(`(?<![\\w.])${fn.name}\\s*\\(([^()]*)\\)`, 'g'))) {
      for (const arg of call[1]!.split(',')) {
        const name = /^\s*(?:\w+\s*=\s*)?([A-Za-z_]\w*)\s*$/.exec(arg)?.[1];
        if (name && name !== 'self') add(call.index, name);
      }
    }
  }
  return [...found.values()];
}

/** The extracted PyTorch model a variable holds: built from a class of the file (or `nn.Sequential`) in the scope or at module level. */
function modelOf(facts: SourceFacts, models: readonly Model[], scope: ScopeFact, name: string, steps: readonly ModeStep[]): Model | undefined {
  const construct = firstConstruct(steps) ?? firstConstruct(scope.fn ? facts.modeSteps(facts.moduleScope, name) : []);
  const torchModels = models.filter((model) => model.framework === 'pytorch');
  if (construct) {
    const cls = construct.callee.includes('.') ? undefined : facts.classNamed(construct.callee);
    if (cls) return torchModels.find((model) => model.range.line === facts.lineOf(cls.nameOffset));
    if (facts.imports.resolve(construct.callee) === 'torch.nn.Sequential') return torchModels.find((model) => model.range.line === facts.lineOf(construct.offset));
    return undefined;
  }
  const named = torchModels.filter((model) => model.name === name);
  return named.length === 1 ? named[0] : undefined;
}

function firstConstruct(steps: readonly ModeStep[]): Extract<ModeStep, { kind: 'construct' }> | undefined {
  for (const step of steps) {
    if (step.kind === 'construct') return step;
    const inner = step.kind === 'loop' ? firstConstruct(step.body) : step.kind === 'branch' ? step.arms.map(firstConstruct).find((c) => c !== undefined) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** The first layer whose behaviour depends on the mode: Dropout or BatchNorm. */
function modeDependentLayer(model: Model): Layer | undefined {
  return [...model.layers, ...model.unwiredModules].find((layer) => layer.kind === 'dropout' || (layer.kind === 'norm' && /BatchNorm/i.test(layer.type)));
}

/** `model.eval()  # freeze BatchNorm statistics`: eval mode during training, chosen and said so. */
function saysFrozenOnPurpose(facts: SourceFacts, offset: number): boolean {
  const line = facts.lineOf(offset);
  return [line - 1, line].some((n) => n >= 1 && /#.*\b(?:freez\w*|frozen|bn|batch ?norm\w*)\b/i.test(facts.doc.lineText(n)));
}

function describe(layer: Layer, phase: 'inference' | 'training'): string {
  const dropout = layer.kind === 'dropout';
  if (phase === 'inference') return dropout ? 'keeps zeroing random activations' : "normalises with each batch's own statistics and overwrites the running statistics the checkpoint learned";
  return dropout ? 'is switched off' : 'stops updating its running statistics';
}
