// The entry points through which the interpreter asks about data: library calls that make arrays
// or datasets, and the methods and attributes of arrays, datasets, model outputs and the data
// objects (random generators, scalers, image generators) that make them.
import type { DataArray, DataUse, Framework, LossSpec } from '../../ir.js';
import type { PyNode } from '../../parse/py-node.js';
import type { ModelBuilder } from '../graph.js';
import { memoise } from '../frontend-kit.js';
import { arrayAttribute, arrayMethod, arrayOf, predictionMethod } from './arrays.js';
import type { DataContext } from './datasets.js';
import { datasetAttribute, datasetFunction, datasetMethod, datasetObjectMethod } from './datasets.js';
import { arrayFunction } from './numpy.js';
import type { ArrayValue, CallSite, Value } from './values.js';
import { UNKNOWN_VALUE, argument, symbolName } from './values.js';

export type { DataContext } from './datasets.js';

/**
 * One spelling per function: `tf.keras.utils.to_categorical`, `tensorflow.keras.utils.to_categorical`
 * and `keras.src.utils.to_categorical` are `keras.utils.to_categorical`.
 */
const canonicalPath = memoise((path: string): string => {
  const parts = path.split('.');
  const keras = Math.max(parts.lastIndexOf('keras'), parts.lastIndexOf('tf_keras'));
  if (keras < 0) return path;
  return ['keras', ...parts.slice(keras + 1).filter((part) => part !== 'src' && part !== 'legacy' && part !== 'api' && part !== '_v2')].join('.');
});

/** Model outputs and arrays pass through these unchanged in shape: `torch.sigmoid(model(x))`. */
const SHAPE_PRESERVING_FUNCTIONS = new Set(['torch.sigmoid', 'torch.softmax', 'torch.log_softmax', 'torch.tanh', 'torch.nn.functional.sigmoid', 'torch.nn.functional.softmax', 'torch.nn.functional.log_softmax']);

/** Functions that reshape a model's output, as its methods do: `torch.squeeze(out, 1)`, `tf.reshape(logits, (-1,))`. */
const PREDICTION_FUNCTIONS: Record<string, string> = { 'torch.squeeze': 'squeeze', 'torch.flatten': 'flatten', 'tensorflow.squeeze': 'squeeze', 'tensorflow.reshape': 'reshape', 'tensorflow.expand_dims': 'unsqueeze' };

/** Objects whose methods make data: NumPy's random generators, scikit-learn's scalers and encoders. */
const DATA_OBJECTS = new Set([
  'numpy.random.default_rng',
  'numpy.random.RandomState',
  'sklearn.preprocessing.StandardScaler',
  'sklearn.preprocessing.MinMaxScaler',
  'sklearn.preprocessing.RobustScaler',
  'sklearn.preprocessing.MaxAbsScaler',
  'sklearn.preprocessing.LabelEncoder',
]);
const GENERATOR_METHODS: Record<string, string> = { random: 'random', integers: 'randint', randint: 'randint', normal: 'normal', uniform: 'uniform', rand: 'rand', randn: 'randn', choice: 'choice' };

/** A library call that makes an array or a dataset; undefined when footgun cannot read one. */
export function callData(path: string, call: CallSite, context: DataContext): Value | undefined {
  const canonical = canonicalPath(path);
  const array = arrayFunction(canonical);
  if (array) return array(call);
  const dataset = datasetFunction(canonical);
  if (dataset) return dataset(call, context);
  if (DATA_OBJECTS.has(canonical)) return { kind: 'object', path: canonical, call };
  const [first] = call.args;
  if (SHAPE_PRESERVING_FUNCTIONS.has(canonical)) {
    if (first?.kind === 'prediction') return first;
    if (first?.kind === 'array') return arrayOf(first.shape, 'float', call.node);
  }
  const method = PREDICTION_FUNCTIONS[canonical];
  if (first?.kind === 'prediction' && method) {
    const rest: CallSite = { ...call, args: call.args.slice(1), argNodes: call.argNodes.slice(1) };
    return predictionMethod(first, method, rest);
  }
  return undefined;
}

export function dataMethod(target: Value, name: string, call: CallSite, context: DataContext): Value | undefined {
  switch (target.kind) {
    case 'array':
      return arrayMethod(target, name, call);
    case 'dataset':
      return datasetMethod(target, name, call);
    case 'prediction':
      return predictionMethod(target, name, call) ?? UNKNOWN_VALUE;
    case 'object':
      return dataObjectMethod(target, name, call, context);
    default:
      return undefined;
  }
}

function dataObjectMethod(object: Extract<Value, { kind: 'object' }>, name: string, call: CallSite, context: DataContext): Value | undefined {
  if (object.path === 'numpy.random.default_rng' || object.path === 'numpy.random.RandomState') {
    const method = GENERATOR_METHODS[name];
    return method ? arrayFunction(`numpy.random.${method}`)?.(call) : undefined;
  }
  if (object.path.startsWith('sklearn.preprocessing.') && (name === 'fit_transform' || name === 'transform')) {
    const data = argument(call, 'X', 0) ?? argument(call, 'y', 0);
    if (data?.kind !== 'array') return undefined;
    return symbolName(object) === 'LabelEncoder' ? arrayOf(data.shape, 'int', call.node) : arrayOf(data.shape, 'float', data.origin ?? call.node);
  }
  return datasetObjectMethod(object, name, call, context);
}

export function dataAttribute(target: Value, name: string): Value | undefined {
  switch (target.kind) {
    case 'array':
      return arrayAttribute(target, name);
    case 'dataset':
      return datasetAttribute(target, name);
    case 'prediction':
      return { kind: 'method', target, name };
    default:
      return undefined;
  }
}

/** What a model returns when the program runs it on data (recorded on the model): its output, whose shape inference tells later. */
export function predictionOf(model: ModelBuilder, call: CallSite): Value {
  const [input] = call.args;
  if (input?.kind !== 'array') return { kind: 'prediction', model, ops: [] };
  recordDataUse(model, { kind: 'call', range: call.node.range, x: dataArray(input, call.node) });
  return { kind: 'prediction', model, ops: [], input };
}

/** Records where data meets the model, once per call site: a loop's passes all meet it there. */
export function recordDataUse(model: ModelBuilder, use: DataUse): void {
  const same = (a: DataUse['range'], b: DataUse['range']) => a.line === b.line && a.column === b.column;
  if (!model.data.some((known) => known.kind === use.kind && same(known.range, use.range))) model.data.push(use);
}

const MADE_TEXT_LIMIT = 60;

/** An array as the model's record of its data keeps it: shape, elements, and the expression that made it. */
export function dataArray(array: ArrayValue, fallback: PyNode): DataArray {
  const origin = array.origin ?? fallback;
  const text = origin.text.replace(/\s+/g, ' ').replace(/([([]) /g, '$1').replace(/ ([)\]])/g, '$1');
  const made = text.length > MADE_TEXT_LIMIT ? `${text.slice(0, MADE_TEXT_LIMIT - 1)}…` : text;
  const described: DataArray = { shape: [...array.shape], dtype: array.dtype ?? 'unknown', origin: origin.range, made };
  if (array.classes !== undefined) described.classes = array.classes;
  if (array.oneHot) described.oneHot = true;
  return described;
}

/** A loss called on the model's output in a training loop: the targets meet the output there. */
export function recordLossCall(output: Value | undefined, targets: Value | undefined, loss: LossSpec, lossFramework: Framework, call: CallSite): Value | undefined {
  if (output?.kind !== 'prediction' || targets?.kind !== 'array') return undefined;
  const use: DataUse = { kind: 'loss', range: call.node.range, y: dataArray(targets, call.node), loss, lossFramework, outputOps: [...output.ops] };
  if (output.input) use.x = dataArray(output.input, call.node);
  recordDataUse(output.model, use);
  return UNKNOWN_VALUE;
}
