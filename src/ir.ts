// The intermediate representation every front end (Keras, PyTorch) produces and every rule reads.
// Rules never see syntax trees: only these plain objects.

export interface SourceRange {
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units */
  column: number;
  endLine: number;
  endColumn: number;
  /** the project file it is in, when that is not the file analysed (a module it imports) */
  path?: string;
}

export type Framework = 'keras' | 'pytorch';
export type ModelKind = 'sequential' | 'functional' | 'subclass';
/**
 * A model is trained or run as a whole (compiled, fitted, given a loss or an optimizer, called on
 * data), or is the top of the file's module tree; a component is a block used inside another
 * module. Rules about a model's input, output, loss and task apply to models only.
 */
export type Role = 'model' | 'component';
export type Task = 'regression' | 'binary' | 'multiclass' | 'multilabel';

/** A tensor shape including the batch axis; `null` marks a dimension that is not known statically. */
export type Shape = (number | null)[];

/** What a layer does, independent of framework spelling. Rules reason about these. */
export type LayerKind =
  | 'input'
  | 'dense'
  | 'conv'
  | 'conv-transpose'
  | 'depthwise-conv'
  | 'pool'
  | 'global-pool'
  | 'upsample'
  | 'activation'
  | 'dropout'
  | 'norm'
  | 'flatten'
  | 'reshape'
  | 'merge'
  | 'embedding'
  | 'recurrent'
  | 'attention'
  | 'padding'
  | 'identity'
  | 'opaque';

/** A statically known argument value, normalised by the front end. */
export type ArgValue = number | string | boolean | null | ArgValue[] | { unknown: true } | SymbolicSize;

/**
 * A size footgun knows only as an expression of named unknowns: a parameter `c` (the same symbol
 * wherever it is used), `4 * dim`, `dim // 2`, `batch * seq_len`. It is an unknown value (rules that
 * need a number stay silent on it), and two sizes with the same `symbol` are certainly equal
 * (`sameSize` in src/shapes/symbolic.ts); different symbols may or may not be.
 */
export interface SymbolicSize {
  unknown: true;
  /** canonical text: equal texts are equal sizes (`4*dim#3`; the `#n` tells apart two unknowns of one name) */
  symbol: string;
  /** the sum it stands for: a coefficient per product of atoms (sorted, joined by `*`; `''` is the constant term) */
  terms: Record<string, number>;
  /** a Python float (made by `/`), which PyTorch rejects as a channel count or kernel size */
  float?: boolean;
}

export const UNKNOWN: { unknown: true } = Object.freeze({ unknown: true as const });

export interface Initializer {
  /** snake_case Keras name: 'zeros', 'ones', 'constant', 'glorot_uniform', 'he_normal', … */
  name: string;
  /** true when the user wrote it; false when it is the framework's default */
  explicit: boolean;
  /** where it is set when that is not the layer's own call: `nn.init.zeros_(self.fc.weight)` */
  range?: SourceRange;
}

export interface LoopPass {
  /** line of the `for` statement */
  loopLine: number;
  /** 0-based pass number */
  index: number;
  /** how many passes the loop makes */
  count: number;
  /** loop variables of this pass, e.g. { filters: 256 } */
  vars: Record<string, ArgValue>;
}

export interface Layer {
  /** index in `Model.layers`, which is in topological order */
  id: number;
  /** the framework's class name as written, e.g. 'Conv2D', 'MaxPool2D', 'Linear' */
  type: string;
  framework: Framework;
  kind: LayerKind;
  /** spatial rank for conv/pool layers (1, 2, 3) */
  rank?: number;
  range: SourceRange;
  /** where the layer is applied, when that is elsewhere than where it is built (forward() in PyTorch, call() in Keras subclasses) */
  appliedAt?: SourceRange;
  /** normalised constructor arguments under Keras names (units, filters, kernel_size, strides, padding, rate, activation, …) */
  args: Record<string, ArgValue>;
  /** source ranges of the argument values the user wrote, by normalised name */
  argRanges: Record<string, SourceRange>;
  /** the source text of the literal and name values among them, e.g. `"sigmoid"` with its quotes */
  argText: Record<string, string>;
  /** the arguments written by position rather than by keyword, by normalised name (PyTorch layers) */
  positionalArgs?: string[];
  /** normalised activation applied by the layer itself ('linear' when none); for kind 'activation' the function it applies */
  activation: string | null;
  kernelInitializer?: Initializer;
  /** ids of the layers whose outputs feed this one */
  inputs: number[];
  /** layers that share weights (the same layer object called twice) carry the same key */
  weightKey: string;
  loop?: LoopPass[];
  /** filled by shape inference */
  output: Shape | null;
  params: number | null;
  /** the shape error that stops the model from building at this layer */
  shapeError?: ShapeError;
  /** name given by `name=` or the attribute it is assigned to */
  name?: string;
  /** added under a branch or loop footgun could not evaluate: shapes after it are unknown */
  conditional?: boolean;
  /** the layer a wrapper applies: `TimeDistributed(Dense(8))`, `Bidirectional(LSTM(64))` */
  wrapped?: Layer;
  /** arguments given as Python floats where the framework needs an int (`out_planes / 4` under Python 3), by normalised name */
  floatArguments?: Record<string, FloatOrigin>;
}

/** Where a float came from: the `/` division or the float literal that made it one. */
export interface FloatOrigin {
  /** the expression, e.g. `out_planes / 4` */
  range: SourceRange;
  text: string;
  /** the `/` operator, when a true division made it (the fix is `//`) */
  divide?: SourceRange;
}

export interface ShapeError {
  /** 'collapse': a window larger than its input map; 'mismatch': shapes that do not fit together */
  kind: 'collapse' | 'mismatch';
  message: string;
  /** the message already says where the code fails (a view that mixes samples fails at the loss) */
  explainsFailure?: boolean;
  /** for a collapse: the spatial axis, its size and the (dilated) window */
  window?: { axis: number; size: number; window: number };
  inputShape?: Shape;
}

export interface LossSpec {
  /** canonical snake_case name, e.g. 'categorical_crossentropy'; or the identifier as written when unknown */
  name: string;
  known: boolean;
  /** a user function or a loss from another library: footgun cannot tell what it expects */
  custom?: boolean;
  /** true for a metric used as a loss */
  isMetric: boolean;
  fromLogits: boolean;
  range: SourceRange;
  /** the string literal as written (with quotes), when the loss is one */
  literal?: string;
  /** the framework's own name for it, for messages: `CrossEntropyLoss`, `F.nll_loss` */
  written?: string;
  /**
   * A PyTorch loss is made apart from the model and fed in a training loop footgun does not follow:
   * the transforms the file applies somewhere (`sigmoid`, `log_softmax`, `log`) may stand between
   * the model's output and the loss (`criterion(torch.sigmoid(model(x)), y)`).
   */
  transformsInFile?: readonly string[];
}

export interface OptimizerSpec {
  /** lower-case name, e.g. 'adam', 'sgd' */
  name: string;
  /** the framework's own name for it, for summaries: `optim.Adam` */
  written?: string;
  learningRate: ArgValue | undefined;
  momentum: ArgValue | undefined;
  /** the call passed **kwargs: arguments not written out may be set */
  argsUnknown: boolean;
  range: SourceRange;
  learningRateRange?: SourceRange;
}

/** What the elements of an array are: labels must be integers for some losses and floats for others. */
export type DType = 'int' | 'float' | 'bool' | 'unknown';

/** An array the program makes and feeds to a model, as footgun reads it. */
export interface DataArray {
  /** the whole array's shape: the first axis counts samples (or a batch's samples) */
  shape: Shape;
  dtype: DType;
  /** integer class labels whose values lie in [0, classes) */
  classes?: number;
  /** rows of one-hot class labels (`to_categorical`, `np.eye(k)[y]`, a loader's categorical labels) */
  oneHot?: boolean;
  /** the expression that gave the array this shape or encoding, and its text for messages */
  origin: SourceRange;
  made: string;
}

/** A change of shape the code applies to a model's output before its loss: `out.squeeze(1)`, `out.view(-1)`. */
export type ShapeOp =
  | { op: 'squeeze'; axis?: number }
  | { op: 'unsqueeze'; axis: number }
  | { op: 'reshape'; shape: (number | null)[] }
  | { op: 'flatten'; start: number };

/** Where the program meets the model with data: a `fit`/`evaluate`/`predict` call, or a loss called on the model's output. */
export interface DataUse {
  /** 'fit', 'evaluate', 'predict', 'train_on_batch', 'test_on_batch', 'loss' (a loss called on the output) */
  kind: string;
  /** the call: `model.fit(...)`, `criterion(output, y)` */
  range: SourceRange;
  /** the features the model runs on */
  x?: DataArray;
  /** the targets its output is compared with */
  y?: DataArray;
  /** a loss called on the output in a training loop, instead of the loss `compile` gives */
  loss?: LossSpec;
  /** whose loss that is: a Keras model may be trained with a PyTorch loss (Keras 3 on the torch backend) */
  lossFramework?: Framework;
  /** what the code does to the output before the loss */
  outputOps?: ShapeOp[];
}

export interface Model {
  name: string;
  framework: Framework;
  kind: ModelKind;
  role: Role;
  /** why it has that role, for reviewers: 'compiled at line 12', 'used inside Block' */
  roleReason: string;
  range: SourceRange;
  /** input shape including batch axis, when known */
  input: Shape | null;
  layers: Layer[];
  /** PyTorch: modules the model registers that forward() does not (visibly) use; they count in its parameters */
  unwiredModules: Layer[];
  /** ids of the output layers */
  outputs: number[];
  loss: LossSpec[];
  optimizer: OptimizerSpec | null;
  compileRange?: SourceRange;
  /** from the loss, else from the configuration, else from the output layer */
  task: Task | null;
  taskSource: 'loss' | 'config' | 'output' | null;
  /** total parameter count (shared layers once), null when any layer's count is unknown */
  params: number | null;
  /** channels-last unless the model says otherwise */
  dataFormat: 'channels_last' | 'channels_first';
  /** where the program feeds it data or compares its output with targets, in program order */
  data?: DataUse[];
  /** the input shape was taken from the data the program feeds it (the code declares none) */
  inputFromData?: boolean;
  /** what footgun assumed to read the model (a setting of the machine that runs it), for its summary */
  notes?: string[];
}
