import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('broadcast-target', () => {
  ruleTester('broadcast-target', {
    invalid: [
      {
        name: 'MSELoss on an (N, 1) output and (N,) targets',
        code: py`
          import torch
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
          criterion = nn.MSELoss()
          y = torch.randn(64)
          loss = criterion(model(torch.randn(64, 8)), y)`,
        lines: [3],
        message: /broadcast to \(64, 64\).*Using a target size \(torch\.Size\(\[64\]\)\) that is different to the input size \(torch\.Size\(\[64, 1\]\)\)/,
      },
      {
        name: 'SmoothL1Loss on a squeezed output and (N, 1) targets',
        code: py`
          import torch
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 1))
          loss = nn.SmoothL1Loss()(model(torch.randn(16, 8)).squeeze(1), torch.randn(16, 1))`,
        lines: [3],
        message: /broadcast to \(16, 16\)/,
      },
    ],
    valid: [
      { name: 'the output squeezed to the targets', code: py`
          import torch
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 1))
          loss = nn.MSELoss()(model(torch.randn(16, 8)).squeeze(1), torch.randn(16))` },
      { name: 'the targets reshaped to the output', code: py`
          import torch
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 1))
          loss = nn.L1Loss()(model(torch.randn(16, 8)), torch.randn(16).view(-1, 1))` },
      { name: 'targets of unknown shape', code: py`
          import torch
          import torch.nn as nn
          model = nn.Sequential(nn.Linear(8, 1))
          y = torch.load('targets.pt')
          loss = nn.MSELoss()(model(torch.randn(16, 8)), y)` },
    ],
  });
});
