import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'nonpositive-learning-rate',
    scope: 'model',
    severity: 'error',
    summary: 'A learning rate of zero or below.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags an optimizer created with `learning_rate` (or `lr`) equal to or below zero.',
      whyIsThisBad: 'With a zero learning rate the weights never change; with a negative one every step goes uphill and the loss grows. Either way training runs, burns time and learns nothing.',
      example: 'optimizer = keras.optimizers.Adam(learning_rate=0)',
      useInstead: 'optimizer = keras.optimizers.Adam(learning_rate=1e-3)',
    },
  },
  check({ model, report }) {
    const optimizer = model.optimizer;
    if (!optimizer || typeof optimizer.learningRate !== 'number' || optimizer.learningRate > 0) return;
    report({
      range: optimizer.learningRateRange ?? optimizer.range,
      message: `The learning rate is ${optimizer.learningRate}: ${optimizer.learningRate === 0 ? 'the weights never change' : 'every step goes uphill and the loss grows'}. Use a small positive value such as 1e-3.`,
      fix: optimizer.learningRateRange ? { range: optimizer.learningRateRange, replacement: '1e-3' } : undefined,
    });
  },
});
