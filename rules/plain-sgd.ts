import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'plain-sgd',
    scope: 'model',
    severity: 'info',
    summary: 'Plain SGD without momentum.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: "Flags `optimizer='sgd'`, `SGD()` and `torch.optim.SGD(...)` without momentum (or with momentum 0).",
      whyIsThisBad: 'Plain SGD follows each noisy minibatch gradient as it comes: it crawls along shallow directions and zig-zags across steep ones, and it needs a hand-tuned learning rate. Momentum (0.9) averages the steps; Adam adapts the step per parameter and is a robust default that usually converges much faster.',
      example: "model.compile(optimizer='sgd', loss='mean_squared_error')",
      useInstead: "model.compile(optimizer='adam', loss='mean_squared_error')\n# or: optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True)",
    },
  },
  check({ model, report }) {
    const optimizer = model.optimizer;
    if (!optimizer || optimizer.name !== 'sgd' || optimizer.argsUnknown) return;
    if (optimizer.momentum !== undefined && optimizer.momentum !== 0) return;
    report({
      range: optimizer.range,
      message: `SGD without momentum follows every noisy minibatch gradient and converges slowly. Use Adam (a robust default), or SGD with momentum=0.9${model.framework === 'keras' ? ' (and nesterov=True)' : ''}.`,
    });
  },
});
