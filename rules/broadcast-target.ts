import { reportDataFindings } from '../src/rules/data-fit.js';
import { defineRule, NO_OPTIONS } from '../src/rules/rule.js';

export default defineRule({
  meta: {
    id: 'broadcast-target',
    scope: 'model',
    severity: 'error',
    summary: 'A regression loss compares outputs and targets of different shapes that PyTorch broadcasts, such as (N, 1) with (N,).',
    options: NO_OPTIONS,
    docs: {
      whatItDoes:
        "Flags `nn.MSELoss`, `nn.L1Loss`, `nn.SmoothL1Loss` (and their functional forms) called on the model's output and targets whose shapes differ but broadcast: an `(N, 1)` output from `nn.Linear(…, 1)` against `(N,)` targets gives an `(N, N)` difference. Both shapes must be known: the output from shape inference, the targets from the code that makes them (`torch.randn(N)`, `TensorDataset(x, y)` + `DataLoader`). The finding sits on the output layer, with the loss call and the line that made the targets as related locations.",
      whyIsThisBad:
        "Broadcasting compares every prediction with every sample's target, so the loss is minimised by predicting the average target for everything: the model trains, the loss goes down a little, and it never learns. PyTorch only warns (\"Using a target size (torch.Size([64])) that is different to the input size (torch.Size([64, 1])). This will likely lead to incorrect results due to broadcasting.\"), and the warning is easy to miss in a training log.",
      example: "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\ny = torch.randn(64)\nloss = criterion(model(x), y)",
      useInstead: "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\ny = torch.randn(64)\nloss = criterion(model(x).squeeze(1), y)",
    },
  },
  check: reportDataFindings('broadcast-target'),
});
