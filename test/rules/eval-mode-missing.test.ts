import { describe } from 'vitest';
import { py, ruleTester } from '../helpers.js';

const NET = py`
  import torch
  import torch.nn as nn
  import torch.nn.functional as F
  class Net(nn.Module):
      def __init__(self):
          super().__init__()
          self.fc1 = nn.Linear(784, 128)
          self.dropout = nn.Dropout(0.5)
          self.fc2 = nn.Linear(128, 10)
      def forward(self, x):
          return self.fc2(self.dropout(F.relu(self.fc1(x))))
`;

/** Code after the Net class above; line numbers in the cases count from the first line of `code`. */
function withNet(code: string): string {
  return `${NET}\n${code}`;
}
const NET_LINES = NET.split('\n').length;

describe('eval-mode-missing', () => {
  ruleTester('eval-mode-missing', {
    invalid: [
      {
        name: 'loaded, then run under no_grad without eval()',
        code: withNet(py`
          model = Net()
          model.load_state_dict(torch.load("net.pt"))
          with torch.no_grad():
              predictions = model(images).argmax(1)`),
        lines: [NET_LINES + 4],
        message: /model runs under torch.no_grad\(\) here, but model \(loaded at line \d+\) is still in training mode.*Dropout \(line 8\) keeps zeroing random activations.*Call model.eval\(\)/,
      },
      {
        name: 'loaded in main(), run by a predict() helper under no_grad',
        code: withNet(py`
          def predict(net, batch):
              with torch.no_grad():
                  return net(batch)
          def main():
              model = Net().to("cpu")
              model.load_state_dict(torch.load("net.pt"))
              return predict(model, images)`),
        lines: [NET_LINES + 7],
        message: /predict\(\) runs model under torch.no_grad\(\)/,
      },
      {
        name: 'a @torch.no_grad() function given the loaded model',
        code: withNet(py`
          @torch.no_grad()
          def evaluate(net, loader):
              return [net(x) for x, _ in loader]
          model = Net()
          model.load_state_dict(torch.load("net.pt"))
          evaluate(model, test_loader)`),
        lines: [NET_LINES + 6],
      },
      {
        name: 'eval() before a training loop that never calls train()',
        code: withNet(py`
          model = Net()
          model.eval()
          optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
          for x, y in loader:
              optimizer.zero_grad()
              loss = F.cross_entropy(model(x), y)
              loss.backward()
              optimizer.step()`),
        lines: [NET_LINES + 6],
        message: /model is trained here in eval mode: it was put there by model.eval\(\) at line \d+.*Dropout \(line 8\) is switched off.*Call model.train\(\)/,
      },
      {
        name: 'an evaluation helper calls eval() at the end of each epoch and nothing calls train()',
        code: withNet(py`
          def evaluate(net, loader):
              net.eval()
              with torch.no_grad():
                  return sum(net(x).argmax(1).eq(y).sum().item() for x, y in loader)
          model = Net()
          optimizer = torch.optim.Adam(model.parameters())
          for epoch in range(10):
              for x, y in train_loader:
                  optimizer.zero_grad()
                  F.cross_entropy(model(x), y).backward()
                  optimizer.step()
              evaluate(model, test_loader)`),
        lines: [NET_LINES + 10],
        message: /put there by evaluate\(\) at line/,
      },
      {
        name: 'a training helper without train(), after an evaluation helper in the epoch loop',
        code: withNet(py`
          def train_one_epoch(net, loader, optimizer):
              for x, y in loader:
                  optimizer.zero_grad()
                  loss = F.nll_loss(net(x), y)
                  loss.backward()
                  optimizer.step()
          def test(net, loader):
              net.eval()
              with torch.no_grad():
                  for x, y in loader:
                      net(x)
          def main():
              model = Net()
              optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
              for epoch in range(5):
                  train_one_epoch(model, train_loader, optimizer)
                  test(model, test_loader)`),
        lines: [NET_LINES + 16],
        message: /train_one_epoch\(\) trains model in eval mode/,
      },
    ],
    valid: [
      {
        name: 'loaded, eval(), then inference',
        code: withNet(py`
          model = Net()
          model.load_state_dict(torch.load("net.pt"))
          model.eval()
          with torch.no_grad():
              predictions = model(images)`),
      },
      {
        name: 'eval() in a helper the code calls counts',
        code: withNet(py`
          def prepare(net):
              net.eval()
              return net
          model = Net()
          model.load_state_dict(torch.load("net.pt"))
          prepare(model)
          with torch.no_grad():
              predictions = model(images)`),
      },
      {
        name: 'train(False), chained eval() and eval() on the wrapped module count',
        code: withNet(py`
          a = Net()
          a.load_state_dict(torch.load("a.pt"))
          a.train(False)
          b = Net().to("cpu").eval()
          b.load_state_dict(torch.load("b.pt"))
          c = Net()
          c = nn.DataParallel(c)
          c.module.load_state_dict(torch.load("c.pt"))
          c.eval()
          with torch.no_grad():
              a(images), b(images), c(images)`),
      },
      {
        name: 'the pytorch/examples pattern: train() and test() each set their mode',
        code: withNet(py`
          def train(model, loader, optimizer):
              model.train()
              for x, y in loader:
                  optimizer.zero_grad()
                  F.nll_loss(model(x), y).backward()
                  optimizer.step()
          def test(model, loader):
              model.eval()
              with torch.no_grad():
                  for x, y in loader:
                      model(x)
          model = Net()
          optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
          for epoch in range(1, 11):
              train(model, train_loader, optimizer)
              test(model, test_loader)
          model.load_state_dict(torch.load("best.pt"))
          test(model, test_loader)`),
      },
      {
        name: 'a model without Dropout or BatchNorm behaves the same in both modes',
        code: py`
          import torch
          import torch.nn as nn
          class Linear(nn.Module):
              def __init__(self):
                  super().__init__()
                  self.fc = nn.Linear(4, 2)
              def forward(self, x):
                  return self.fc(x)
          model = Linear()
          model.load_state_dict(torch.load("lin.pt"))
          with torch.no_grad():
              model(torch.randn(1, 4))`,
      },
      {
        name: 'handed to a function footgun cannot see, or switched in only one branch',
        code: withNet(py`
          from utils import setup_for_inference
          a = Net()
          a.load_state_dict(torch.load("a.pt"))
          setup_for_inference(a)
          b = Net()
          b.load_state_dict(torch.load("b.pt"))
          if args.evaluate:
              b.eval()
          for m in a.modules():
              m.eval()
          with torch.no_grad():
              a(images), b(images)`),
      },
      {
        name: 'a freshly built model run under no_grad to check shapes, and a GAN generator',
        code: withNet(py`
          model = Net()
          with torch.no_grad():
              print(model(torch.randn(1, 784)).shape)
          netG = Net()
          netD = Net()
          for x in loader:
              with torch.no_grad():
                  fake = netG(noise)
              loss = netD(fake).mean()
              loss.backward()`),
      },
      {
        name: 'eval() before inference only, and eval() to freeze BatchNorm on purpose',
        code: withNet(py`
          model = Net()
          model.eval()
          with torch.no_grad():
              out = model(images)
          finetune = Net()
          finetune.eval()  # keep BatchNorm statistics frozen while fine-tuning
          for x, y in loader:
              F.cross_entropy(finetune(x), y).backward()`),
      },
    ],
  });
});
