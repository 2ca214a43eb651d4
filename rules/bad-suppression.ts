import type { FileRule } from '../src/rules/rule.js';
import { NO_OPTIONS } from '../src/rules/rule.js';

export default {
  fileLevel: true,
  meta: {
    id: 'bad-suppression',
    severity: 'warning',
    summary: 'A `# footgun: ignore[…]` comment names a rule that does not exist.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Checks the rule ids in `# footgun: ignore[…]` and `# footgun: ignore-file[…]` comments.',
      whyIsThisBad: 'A misspelt id silences nothing, so the finding you meant to accept keeps coming back, and the comment suggests a decision that was never made.',
      example: 'model.add(Conv2D(64, (9, 9)))  # footgun: ignore[large-kernels]',
      useInstead: 'model.add(Conv2D(64, (9, 9)))  # footgun: ignore[large-kernel]',
    },
  },
} satisfies FileRule;
