import { lossLabel, soleLoss, torchOutputText, wiringRange } from '../src/rules/model-graph.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'log-softmax-nll-mismatch',
    scope: 'model',
    severity: 'warning',
    summary: 'The output and the loss disagree on log-probabilities: `log_softmax` with `CrossEntropyLoss`, or logits/softmax with `NLLLoss`.',
    options: NO_OPTIONS,
    frameworks: ['pytorch'],
    docs: {
      whatItDoes: 'Compares the activation at the end of `forward()` with the loss the file trains with. `nn.CrossEntropyLoss`/`F.cross_entropy` expect raw logits and apply `log_softmax` themselves; `nn.NLLLoss`/`F.nll_loss` expect log-probabilities, that is `log_softmax` outputs. When the file applies `log_softmax` (or `torch.log`, after a softmax) outside the model, the training loop may do it before the loss, and the rule stays silent.',
      whyIsThisBad: 'CrossEntropyLoss on `log_softmax` outputs applies log-softmax twice: the numbers happen to be right, but the model is written for a different loss and the next change breaks it. NLLLoss on raw logits or on probabilities is wrong: it just takes minus the target entry, which the model can push to minus infinity without learning anything.',
      example: 'def forward(self, x):\n    return self.fc(x)              # logits\n\ncriterion = nn.NLLLoss()',
      useInstead: 'def forward(self, x):\n    return self.fc(x)              # logits\n\ncriterion = nn.CrossEntropyLoss()',
    },
  },
  check({ model, graph, report }) {
    const loss = soleLoss(model);
    if (!loss) return;
    const crossEntropy = loss.name === 'sparse_categorical_crossentropy' && loss.fromLogits;
    const nll = loss.name === 'nll_loss';
    if (!crossEntropy && !nll) return;
    for (const head of graph.outputHeads()) {
      const layer = head.activationLayer ?? head.predictor;
      if (!layer || head.activation === null) continue;
      const lossName = lossLabel(model, loss);
      const output = torchOutputText(model);
      if (crossEntropy && head.activation === 'log_softmax') {
        report({
          layer,
          range: wiringRange(layer),
          message: `${output.returns} log_softmax, but ${lossName} (line ${loss.range.line}) applies log_softmax itself. ${output.returnInstead} the logits and keep ${lossName}, or keep log_softmax and train with nn.NLLLoss.`,
          related: [{ range: loss.range, message: 'the loss' }],
        });
      } else if (nll && (head.activation === 'linear' || head.activation === 'softmax')) {
        // the training loop may take the log itself: criterion(F.log_softmax(model(x), dim=1), y)
        if (loss.transformsInFile?.includes(head.activation === 'linear' ? 'log_softmax' : 'log')) continue;
        const what = head.activation === 'linear' ? 'raw logits' : 'softmax probabilities';
        report({
          layer,
          range: wiringRange(layer),
          message: `${output.returns} ${what}, but ${lossName} (line ${loss.range.line}) expects log-probabilities: on ${what} it just rewards making the target entry large, without bound. ${model.kind === 'sequential' ? 'End the nn.Sequential with nn.LogSoftmax(dim=1)' : 'Return F.log_softmax(x, dim=1)'}, or train with nn.CrossEntropyLoss on the logits.`,
          related: [{ range: loss.range, message: 'the loss' }],
        });
      }
    }
  },
});
