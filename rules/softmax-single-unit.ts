import { activationSource } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'softmax-single-unit',
    severity: 'error',
    summary: 'Softmax over a single unit always outputs 1.0.',
    options: NO_OPTIONS,
    docs: {
      whatItDoes: 'Flags a softmax applied to an axis of size one: `Dense(1, activation="softmax")`, or a softmax layer after any layer with a single output.',
      whyIsThisBad: 'Softmax normalises over the units: with one unit the result is exp(x)/exp(x) = 1.0 for every input. The model predicts the same thing for everything and its gradient is zero, so it never learns.',
      example: "model.add(Dense(1, activation='softmax'))\nmodel.compile(loss='binary_crossentropy', optimizer='adam')",
      useInstead: "model.add(Dense(1, activation='sigmoid'))\nmodel.compile(loss='binary_crossentropy', optimizer='adam')",
    },
  },
  check({ model, graph, report }) {
    for (const layer of model.layers) {
      if (layer.activation !== 'softmax') continue;
      const units = layer.kind === 'activation' ? (graph.producer(layer)?.output?.at(-1) ?? null) : typeof layer.args.units === 'number' ? layer.args.units : (layer.output?.at(-1) ?? null);
      if (units !== 1) continue;
      report({
        layer,
        message: `${activationSource(layer)} normalises over a single unit, so it outputs exactly 1.0 for every input and its gradient is zero. For a yes/no output use sigmoid on one unit; for several classes use one unit per class.`,
        fix: layer.argRanges.activation && /^['"]softmax['"]$/.test(layer.argText.activation ?? '') ? { range: layer.argRanges.activation, replacement: layer.argText.activation!.replace('softmax', 'sigmoid') } : undefined,
      });
    }
  },
});
