import type { FileRule } from '../src/rules/rule.js';
import { NO_OPTIONS } from '../src/rules/rule.js';

export default {
  fileLevel: true,
  meta: {
    id: 'analysis-limit',
    severity: 'info',
    summary: 'footgun stopped following the code here (a loop or file too long to unroll).',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Says where footgun stopped following the code: a loop with more passes than it unrolls (64), or a file that executes more statements than it follows (50,000). Shapes after that point are unknown, so rules that need them stay silent.',
      whyIsThisBad: 'It is not a mistake in your code. It tells you that the review below this point is incomplete, instead of silently saying nothing.',
      example: 'for i in range(10**9):\n    model.add(Dense(64, activation="relu"))',
      useInstead: 'for i in range(4):\n    model.add(Dense(64, activation="relu"))',
    },
  },
} satisfies FileRule;
