import type { Model } from '../ir.js';
import type { PyDocument } from '../parse/py-node.js';
import type { AnalysisNote } from './interpreter.js';
import { Interpreter } from './interpreter.js';
import { kerasFrontEnd } from './keras/frontend.js';
import { torchFrontEnd } from './torch/frontend.js';

export interface Extraction {
  models: Model[];
  /** where footgun had to stop following the code (loop caps, budgets) */
  notes: AnalysisNote[];
}

const FRONT_ENDS = [kerasFrontEnd, torchFrontEnd];

/** What a training loop may apply to a PyTorch model's output before its loss. */
const OUTPUT_TRANSFORMS = [
  { name: 'sigmoid', pattern: /\bsigmoid\b|\bSigmoid\(/ },
  { name: 'log_softmax', pattern: /\blog_softmax\b|\bLogSoftmax\(/ },
  { name: 'log', pattern: /\btorch\.log\(|\.log\(\)/ },
];

/** Reads every model a file builds, without running it. */
export function extractModels(doc: PyDocument): Extraction {
  const interpreter = new Interpreter(doc, FRONT_ENDS);
  interpreter.run();
  const built = interpreter.builders
    .filter((builder) => !builder.component)
    .map((builder, index) => ({ builder, model: builder.toModel(interpreter.graph, builder.instance?.cls.name ?? `model_${index + 1}`) }))
    .filter(({ model }) => model.layers.some((layer) => layer.kind !== 'input'));
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
  const models = built.map(({ model }) => model);
  return { models, notes: interpreter.notes };
}
