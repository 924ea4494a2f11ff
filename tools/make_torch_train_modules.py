"""Writes the untrained TorchScript modules the tests train with `--arch FILE.pt` (TorchModuleTest).

Usage: /usr/bin/python3 tools/make_torch_train_modules.py train/src/test/resources/torch
(PyTorch 1.13 from Debian). Generated, never edited by hand:
- small_bn.pt: conv 8@3x3 pad 1, batch-norm, ReLU, max-pool 2; conv 16@3x3, batch-norm, ReLU, global average; linear 10
  (torch.jit.script in train mode, PyTorch's default initialisation under torch.manual_seed(0));
- bad_output.pt: a module whose output is [B] instead of [B, K].
"""
import os
import sys

import torch
import torch.nn as nn


class SmallBn(nn.Module):
    def __init__(self, channels=1, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(channels, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Linear(16, classes)

    def forward(self, x):
        # features on the input as a statement of its own: the TorchScript adapter reaches such a module as a layer
        h = self.features(x)
        return self.classifier(h.flatten(1))


class BadOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return x.mean(dim=(1, 2, 3)) * self.w


def main(folder):
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(0)
    torch.jit.save(torch.jit.script(SmallBn().train()), os.path.join(folder, 'small_bn.pt'))
    torch.jit.save(torch.jit.script(BadOutput().train()), os.path.join(folder, 'bad_output.pt'))


if __name__ == '__main__':
    main(sys.argv[1])
