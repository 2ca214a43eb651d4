import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

const NET = (output: string, loss: string) => py`
  import torch
  import torch.nn as nn
  import torch.nn.functional as F
  class Net(nn.Module):
      def __init__(self):
          super().__init__()
          self.fc1 = nn.Linear(784, 128)
          self.fc2 = nn.Linear(128, 10)
      def forward(self, x):
          x = F.relu(self.fc1(x))
          return ${output}
  model = Net()
  criterion = ${loss}
`;

describe('log-softmax-nll-mismatch', () => {
  ruleTester('log-softmax-nll-mismatch', {
    invalid: [
      { name: 'log_softmax with CrossEntropyLoss', code: NET('F.log_softmax(self.fc2(x), dim=1)', 'nn.CrossEntropyLoss()'), lines: [11], message: /applies log_softmax itself/ },
      { name: 'logits with NLLLoss, reported where forward() returns them', code: NET('self.fc2(x)', 'nn.NLLLoss()'), lines: [11], message: /raw logits/ },
      {
        name: 'an nn.Sequential ending with LogSoftmax, trained with CrossEntropyLoss: said without forward()',
        code: 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(784, 10), nn.LogSoftmax(dim=1))\ncriterion = nn.CrossEntropyLoss()\n',
        lines: [2],
        message: /^The nn\.Sequential ends with log_softmax, but nn\.CrossEntropyLoss \(line 3\) applies log_softmax itself\. End the nn\.Sequential with the logits/,
      },
      { name: 'softmax with F.nll_loss', code: NET('F.softmax(self.fc2(x), dim=1)', 'None\nloss = F.nll_loss(model(torch.randn(2, 784)), target)'), lines: [11] },
    ],
    valid: [
      { name: 'logits with CrossEntropyLoss', code: NET('self.fc2(x)', 'nn.CrossEntropyLoss()') },
      { name: 'log_softmax with NLLLoss (pytorch/examples mnist)', code: NET('F.log_softmax(self.fc2(x), dim=1)', 'nn.NLLLoss()') },
      { name: 'logits, and the training loop takes log_softmax before NLLLoss', code: NET('self.fc2(x)', 'nn.NLLLoss()\nloss = criterion(F.log_softmax(model(inputs), dim=1), labels)') },
      { name: 'softmax, and the training loop takes torch.log before NLLLoss', code: NET('F.softmax(self.fc2(x), dim=1)', 'nn.NLLLoss()\nloss = criterion(torch.log(model(inputs)), labels)') },
    ],
  });
});
