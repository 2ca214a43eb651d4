import type { Model } from '../ir.js';
import type { PyDocument } from '../parse/py-node.js';
import type { AnalysisNote } from './interpreter.js';
import { Interpreter } from './interpreter.js';
import { kerasFrontEnd } from './keras/frontend.js';

export interface Extraction {
  models: Model[];
  /** where footgun had to stop following the code (loop caps, budgets) */
  notes: AnalysisNote[];
}

const FRONT_ENDS = [kerasFrontEnd];

/** Reads every model a file builds, without running it. */
export function extractModels(doc: PyDocument): Extraction {
  const interpreter = new Interpreter(doc, FRONT_ENDS);
  interpreter.run();
  const models = interpreter.builders
    .filter((builder) => !builder.component)
    .map((builder, index) => builder.toModel(interpreter.graph, `model_${index + 1}`))
    .filter((model) => model.layers.some((layer) => layer.kind !== 'input'));
  return { models, notes: interpreter.notes };
}
