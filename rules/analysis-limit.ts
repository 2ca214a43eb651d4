import { LIMITS } from '../src/extract/budget.js';
import type { FileRule } from '../src/rules/rule.js';
import { NO_OPTIONS } from '../src/rules/rule.js';
import { formatCount } from '../src/text.js';

export default {
  fileLevel: true,
  meta: {
    id: 'analysis-limit',
    severity: 'info',
    summary: 'footgun stopped following the code here (a loop or file too long to unroll).',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: `Says where footgun stopped following the code: a loop with more passes than it unrolls (${LIMITS.loopPasses}); a file that executes more statements (${formatCount(LIMITS.statements)}) or evaluates more expressions (${formatCount(LIMITS.evaluations)}) than it follows, or builds more layers and models (${formatCount(LIMITS.graph)}) or models with more layers together (${formatCount(LIMITS.modelLayers)}) than it reads; a list or string longer than it keeps (${formatCount(LIMITS.sequenceItems)} items, ${formatCount(LIMITS.stringLength)} characters); an expression nested more than ${LIMITS.expressionDepth} levels deep. Shapes after that point are unknown, so rules that need them stay silent.`,
      whyIsThisBad: 'It is not a mistake in your code. It tells you that the review below this point is incomplete, instead of silently saying nothing.',
      example: 'for i in range(10**9):\n    model.add(Dense(64, activation="relu"))',
      useInstead: 'for i in range(4):\n    model.add(Dense(64, activation="relu"))',
    },
  },
} satisfies FileRule;
