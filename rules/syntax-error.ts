import type { FileRule } from '../src/rules/rule.js';
import { NO_OPTIONS } from '../src/rules/rule.js';

export default {
  fileLevel: true,
  meta: {
    id: 'syntax-error',
    severity: 'error',
    summary: 'The file is not valid Python.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Reports where Python cannot parse the file. footgun still analyses the rest of the file: a bracket left open at the end of a line is read as if it were closed there.',
      whyIsThisBad: 'The file raises `SyntaxError` on import, so none of its models can be built or trained. footgun cannot be sure of anything it reads around the error.',
      example: 'model.add(InputLayer([39])\nmodel.add(BatchNormalization())',
      useInstead: 'model.add(InputLayer([39]))\nmodel.add(BatchNormalization())',
    },
  },
} satisfies FileRule;
