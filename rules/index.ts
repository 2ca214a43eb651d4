// The rule registry: one file per rule, in the order their findings are explained.
import type { AnyRule } from '../src/rules/rule.js';
import syntaxError from './syntax-error.js';
import zeroInit from './zero-init.js';
import glorotRelu from './glorot-relu.js';
import missingActivation from './missing-activation.js';
import softmaxHidden from './softmax-hidden.js';
import sigmoidMulticlassOutput from './sigmoid-multiclass-output.js';
import softmaxSingleUnit from './softmax-single-unit.js';
import softmaxOverSingleton from './softmax-over-singleton.js';
import doubleSoftmax from './double-softmax.js';
import logitsAsProbabilities from './logits-as-probabilities.js';
import squashedLogits from './squashed-logits.js';
import softmaxBinaryCrossentropy from './softmax-binary-crossentropy.js';
import dropoutRate from './dropout-rate.js';
import dropoutAfterOutput from './dropout-after-output.js';
import mseClassification from './mse-classification.js';
import metricAsLoss from './metric-as-loss.js';
import shapeCollapse from './shape-collapse.js';
import shapeMismatch from './shape-mismatch.js';
import invalidArguments from './invalid-arguments.js';
import poolTooLarge from './pool-too-large.js';
import largeKernel from './large-kernel.js';
import wideFirstConv from './wide-first-conv.js';
import shrinkingFilters from './shrinking-filters.js';
import abruptNarrowing from './abrupt-narrowing.js';
import activationBeforePool from './activation-before-pool.js';
import plainSgd from './plain-sgd.js';
import redundantActivation from './redundant-activation.js';
import dropoutBeforeBatchnorm from './dropout-before-batchnorm.js';
import normEps from './norm-eps.js';
import nonpositiveLearningRate from './nonpositive-learning-rate.js';
import channelsFirstInput from './channels-first-input.js';
import analysisLimit from './analysis-limit.js';
import softmaxNoDim from './softmax-no-dim.js';
import logSoftmaxNllMismatch from './log-softmax-nll-mismatch.js';
import badSuppression from './bad-suppression.js';
import targetShapeMismatch from './target-shape-mismatch.js';
import labelEncodingMismatch from './label-encoding-mismatch.js';
import inputDataMismatch from './input-data-mismatch.js';
import broadcastTarget from './broadcast-target.js';
import moduleNoSuperInit from './module-no-super-init.js';
import forwardUsesUnsetAttribute from './forward-uses-unset-attribute.js';
import requiresGradTypo from './requires-grad-typo.js';
import deprecatedApi from './deprecated-api.js';
import lossNameRebound from './loss-name-rebound.js';
import layerClassRebound from './layer-class-rebound.js';
import evalModeMissing from './eval-mode-missing.js';

export const RULES: readonly AnyRule[] = [
  syntaxError,
  zeroInit,
  glorotRelu,
  missingActivation,
  softmaxHidden,
  sigmoidMulticlassOutput,
  softmaxSingleUnit,
  softmaxOverSingleton,
  doubleSoftmax,
  logitsAsProbabilities,
  squashedLogits,
  softmaxBinaryCrossentropy,
  dropoutRate,
  dropoutAfterOutput,
  mseClassification,
  metricAsLoss,
  shapeCollapse,
  shapeMismatch,
  invalidArguments,
  poolTooLarge,
  largeKernel,
  wideFirstConv,
  shrinkingFilters,
  abruptNarrowing,
  activationBeforePool,
  plainSgd,
  redundantActivation,
  dropoutBeforeBatchnorm,
  normEps,
  nonpositiveLearningRate,
  channelsFirstInput,
  softmaxNoDim,
  logSoftmaxNllMismatch,
  targetShapeMismatch,
  labelEncodingMismatch,
  inputDataMismatch,
  broadcastTarget,
  analysisLimit,
  badSuppression,
  moduleNoSuperInit,
  forwardUsesUnsetAttribute,
  requiresGradTypo,
  deprecatedApi,
  lossNameRebound,
  layerClassRebound,
  evalModeMissing,
];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((rule) => rule.meta.id));
