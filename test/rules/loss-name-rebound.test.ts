import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

describe('loss-name-rebound', () => {
  ruleTester('loss-name-rebound', {
    invalid: [
      {
        name: 'criterion = criterion(out, y) in the training loop',
        code: py`
          import torch.nn as nn
          criterion = nn.CrossEntropyLoss()
          for x, y in loader:
              optimizer.zero_grad()
              criterion = criterion(model(x), y)
              criterion.backward()
              optimizer.step()`,
        lines: [5],
        message: /criterion held the loss nn.CrossEntropyLoss\(…\).*next pass of the loop at line 3.*'Tensor' object is not callable/,
      },
      {
        name: 'a loss function referenced, in a function, inside nested loops',
        code: py`
          import torch.nn.functional as F
          def train(model, loader, epochs):
              loss_fn = F.cross_entropy
              for epoch in range(epochs):
                  for x, y in loader:
                      loss_fn = loss_fn(model(x), y)`,
        lines: [6],
      },
      {
        name: 'a loss passed in as criterion',
        code: py`
          def train_epoch(model, loader, criterion, optimizer):
              for inputs, targets in loader:
                  criterion = criterion(model(inputs), targets)
                  criterion.backward()`,
        lines: [3],
      },
      {
        name: 'a Keras loss object called again later in straight-line code',
        code: py`
          import keras
          loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
          loss = loss(y_true, logits)
          val = loss(y_val, val_logits)`,
        lines: [3],
        message: /the call at line 4/,
      },
    ],
    valid: [
      {
        name: 'the result under another name',
        code: py`
          import torch.nn as nn
          criterion = nn.CrossEntropyLoss()
          for x, y in loader:
              loss = criterion(model(x), y)
              loss.backward()`,
      },
      {
        name: 'criterion = criterion.to(device) keeps the loss',
        code: py`
          import torch.nn as nn
          criterion = nn.CrossEntropyLoss()
          criterion = criterion.to(device)
          for x, y in loader:
              loss = criterion(model(x), y)`,
      },
      {
        name: 'the loss rebuilt at the top of each pass',
        code: py`
          import torch.nn as nn
          for x, y in loader:
              criterion = nn.MSELoss()
              criterion = criterion(model(x), y)
              criterion.backward()`,
      },
      {
        name: 'rebound once and never called again',
        code: py`
          import torch.nn as nn
          loss = nn.L1Loss()
          loss = loss(prediction, target)
          print(loss.item())`,
      },
      {
        name: 'a name that does not hold a loss: x = x(…) of a factory, and a keyword argument',
        code: py`
          make = get_factory()
          for i in range(3):
              make = make(i)
          run(loss=loss(out, y))
          layer = Dense(4)
          x = layer(x)`,
      },
      {
        name: 'text in strings and comments',
        code: py`
          import torch.nn as nn
          criterion = nn.CrossEntropyLoss()
          for x, y in loader:
              # criterion = criterion(out, y) was the bug
              print("criterion = criterion(out, y)")
              loss = criterion(model(x), y)`,
      },
    ],
  });
});
