import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

// torch 1.13: `t.require_grad = True` leaves t.requires_grad False, and `nn.Linear(2, 2).requires_grad = False`
// leaves both parameters with requires_grad=True.
describe('requires-grad-typo', () => {
  ruleTester('requires-grad-typo', {
    invalid: [
      {
        name: 'require_grad on a tensor',
        code: py`
          import torch
          scale = torch.ones(1)
          scale.require_grad = True`,
        lines: [3],
        message: /'require_grad' is not 'requires_grad'/,
        fix: 'requires_grad',
      },
      {
        name: 'requires_grads and requires_gard on parameters in a loop',
        code: py`
          for p in model.parameters():
              p.requires_grads = False
          model.fc.weight.requires_gard = True`,
        lines: [2, 3],
      },
      {
        name: 'assigning to the method requires_grad_',
        code: py`
          import torch
          x = torch.randn(3)
          x.requires_grad_ = True
          y = x.clone().requires_grad_(True)`,
        lines: [3],
      },
      {
        name: 'requires_grad on the modules of model.children()',
        code: py`
          import torchvision
          model = torchvision.models.resnet18(weights="DEFAULT")
          for layer in list(model.children())[:-1]:
              pass
          for child in model.children():
              child.requires_grad = False`,
        lines: [6],
        message: /child is a module, not a tensor.*child.requires_grad_\(False\)/,
        fix: 'child.requires_grad_(False)',
      },
      {
        name: 'requires_grad on a model of the file and on one of its layers',
        code: py`
          import torch.nn as nn
          class Net(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())
                  self.fc = nn.Linear(8, 2)
              def freeze(self):
                  self.features.requires_grad = False
          net = Net()
          net.fc.requires_grad = False
          net.requires_grad = False`,
        lines: [8, 10, 11],
      },
      {
        name: 'requires_grad on nn.Embedding in a function',
        code: py`
          from torch import nn
          def build(vocab):
              embedding = nn.Embedding(vocab, 300)
              embedding.requires_grad = False
              return embedding`,
        lines: [4],
      },
    ],
    valid: [
      {
        name: 'requires_grad on parameters and tensors',
        code: py`
          import torch
          import torch.nn as nn
          model = nn.Linear(4, 2)
          for p in model.parameters():
              p.requires_grad = False
          for name, param in model.named_parameters():
              param.requires_grad = True
          model.weight.requires_grad = False
          x = torch.zeros(3)
          x.requires_grad = True
          model.requires_grad_(False)`,
      },
      {
        name: "a program's own attribute named require_grad, read elsewhere",
        code: py`
          class Config:
              def __init__(self, require_grad):
                  self.require_grad = require_grad
          def setup(cfg, x):
              if cfg.require_grad:
                  x.requires_grad_()`,
      },
      {
        name: 'an object footgun cannot see: a parameter of the function',
        code: py`
          def freeze(module):
              module.requires_grad = False`,
      },
      {
        name: 'a comparison is not an assignment, and a string is not code',
        code: py`
          import torch.nn as nn
          layer = nn.Linear(2, 2)
          assert layer.weight.requires_grad == True
          doc = "layer.requires_grad = False does nothing"`,
      },
      {
        name: 'other attributes starting with re…',
        code: py`
          import torch.nn as nn
          loss = nn.MSELoss()
          loss.reduction = 'sum'
          layer = nn.Linear(2, 2)
          layer.reset = True`,
      },
    ],
  });
});
