import type { Model } from '../ir.js';
import type { PyDocument } from '../parse/py-node.js';
import { formatCount } from '../text.js';
import type { Spent } from './budget.js';
import { LIMITS } from './budget.js';
import type { ModelBuilder } from './graph.js';
import type { AnalysisNote } from './interpreter.js';
import { Interpreter } from './interpreter.js';
import { kerasFrontEnd } from './keras/frontend.js';
import type { Project } from './program.js';
import { assignRoles, componentDefinitions } from './roles.js';
import { torchFrontEnd } from './torch/frontend.js';

export interface Extraction {
  /** the models first, then one entry per component definition (a block used inside them) */
  models: Model[];
  /** other instances of those components, whose layers none of `models` has: checked, not listed */
  unlistedComponents: Model[];
  /** where footgun had to stop following the code (loop caps, budgets) */
  notes: AnalysisNote[];
  /** what reading the file cost, in the units its budget counts (see budget.ts) */
  cost: Record<Spent, number> & { modelLayers: number };
}

const FRONT_ENDS = [kerasFrontEnd, torchFrontEnd];

/** What a training loop may apply to a PyTorch model's output before its loss. */
const OUTPUT_TRANSFORMS = [
  { name: 'sigmoid', pattern: /\bsigmoid\b|\bSigmoid\(/ },
  { name: 'log_softmax', pattern: /\blog_softmax\b|\bLogSoftmax\(/ },
  { name: 'log', pattern: /\btorch\.log\(|\.log\(\)/ },
];

/**
 * Reads every model a file builds, without running it. With the file's project (`path` is the
 * file's own, relative to the project root), the project modules it imports are read too.
 */
export function extractModels(doc: PyDocument, program?: { project: Project; path: string }): Extraction {
  const interpreter = new Interpreter(doc, FRONT_ENDS, program);
  interpreter.run();
  const { modelClasses, layerClasses } = interpreter.definitions;
  const roles = assignRoles(interpreter.builders, { doc, moduleClasses: [...modelClasses, ...layerClasses] });
  // models can share layers (a Keras model per stage of one graph): what the later stages read is capped too
  let layersLeft = LIMITS.modelLayers;
  const withinBudget = (builder: ModelBuilder): boolean => {
    if (layersLeft > 0) return true;
    if (layersLeft === 0) interpreter.noteAt(builder.range, `footgun read ${formatCount(LIMITS.modelLayers)} layers of this file's models and stopped; this model and those after it are not analysed.`);
    layersLeft = -1;
    return false;
  };
  const withRole = (builder: ModelBuilder, fallbackName: string): Model => {
    const { role, reason } = roles.get(builder)!;
    const model = builder.toModel(interpreter.graph, builder.instance?.cls.name ?? fallbackName);
    layersLeft = Math.max(0, layersLeft - model.layers.length);
    // a component stands for its definition, whatever its instances are assigned to
    if (role === 'component' && builder.instance) model.name = builder.instance.cls.name;
    return { ...model, role, roleReason: reason };
  };
  const built = interpreter.builders
    .filter((builder) => roles.get(builder)!.role === 'model')
    .flatMap((builder, index) => (withinBudget(builder) ? [{ builder, model: withRole(builder, `model_${index + 1}`) }] : []))
    .filter(({ model }) => hasLayers(model));
  // PyTorch trains with a loss and an optimizer made beside the model, often in another function.
  // They belong to the one model the file creates (classes it only defines, such as blocks or
  // alternatives, do not train); with several created models footgun cannot tell whose they are.
  const torchModels = built.filter(({ model }) => model.framework === 'pytorch');
  const created = torchModels.filter(({ builder }) => !builder.fromUnusedClass);
  const trained = created.length === 1 ? created : torchModels.length === 1 ? torchModels : [];
  for (const { model } of trained) {
    if (model.loss.length === 0 && interpreter.fileLosses.length > 0) {
      const transformsInFile = OUTPUT_TRANSFORMS.filter(({ pattern }) => pattern.test(doc.text)).map(({ name }) => name);
      model.loss = interpreter.fileLosses.map((loss) => ({ ...loss, transformsInFile }));
    }
    model.optimizer ??= interpreter.fileOptimizers[0] ?? null;
  }
  const componentBuilders = interpreter.builders.filter((builder) => roles.get(builder)!.role === 'component');
  const listed = componentDefinitions(componentBuilders);
  const components = listed.flatMap((builder, index) => (withinBudget(builder) ? [withRole(builder, `component_${index + 1}`)] : [])).filter(hasLayers);
  // other instances are checked too where no listed network has their layers (another block's
  // arguments, a model whose forward pass footgun could not follow): their local findings count
  const checked = new Set([...built.map(({ model }) => model), ...components].flatMap((model) => model.layers.map((layer) => layer.weightKey)));
  const uncovered = componentBuilders
    .filter((builder) => !listed.includes(builder))
    .flatMap((builder) => (withinBudget(builder) ? [withRole(builder, 'component')] : []))
    .filter((model) => model.layers.some((layer) => layer.kind !== 'input' && !checked.has(layer.weightKey)));
  const models = [...built.map(({ model }) => model), ...components];
  const modelLayers = [...models, ...uncovered].reduce((sum, model) => sum + model.layers.length, 0);
  return { models, unlistedComponents: uncovered, notes: interpreter.notes, cost: { ...interpreter.budget.spent, modelLayers } };
}

function hasLayers(model: Model): boolean {
  return model.layers.some((layer) => layer.kind !== 'input');
}
