"""The authors' own DenseNetL4 (leonardopetrini/diffeo-sota models/simplenets.py, h = 64) trained in plain
PyTorch with their FC setting (Adam, lr 0.1, constant rate, batch 128, weight decay on weight tensors only
as optim_loss.opt_algo builds it) on P Fashion-MNIST images normalised with mean 0.5, std 0.5: once with
main.py's default weight decay 5e-4, once with 0. The check behind PaperRecipe's fc-l4 deviation
(docs/recipe.md, "fc-l4"). Needs PyTorch (Debian python3-torch) and a checkout of diffeo-sota.

Usage: /usr/bin/python3 tools/fc_l4_decay_check.py --diffeo-sota DIR [--train-size 4096] [--epochs 60] [--seeds 0,1]
"""
import argparse
import sys

import torch

from authors_loop_check import images

ap = argparse.ArgumentParser()
ap.add_argument('--diffeo-sota', required=True)
ap.add_argument('--train-size', type=int, default=4096)
ap.add_argument('--epochs', type=int, default=60)
ap.add_argument('--seeds', default='0,1')
args = ap.parse_args()
sys.path.insert(0, args.diffeo_sota)
from models.simplenets import DenseNetL4  # noqa: E402  (their code, not this project's)

torch.set_num_threads(1)
x, y = images('fashion', 'train')
xt, yt = images('fashion', 't10k')
x, xt = (x - 0.5) / 0.5, (xt - 0.5) / 0.5
for decay in (5e-4, 0.0):
    for seed in [int(s) for s in args.seeds.split(',')]:
        g = torch.Generator().manual_seed(seed)
        idx = torch.randperm(len(x), generator=g)[:args.train_size]
        xs, ys = x[idx], y[idx]
        torch.manual_seed(seed)
        net = DenseNetL4(num_ch=784, num_classes=10, h=64)
        opt = torch.optim.Adam([{'params': [p for p in net.parameters() if p.dim() != 1], 'weight_decay': decay},
                                {'params': [p for p in net.parameters() if p.dim() == 1], 'weight_decay': 0}], lr=0.1)
        for epoch in range(args.epochs):
            perm = torch.randperm(len(xs), generator=g)
            total = 0.0
            for b in range(0, len(xs), 128):
                i = perm[b:b + 128]
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(net(xs[i]), ys[i])
                loss.backward()
                opt.step()
                total += loss.item() * len(i)
        with torch.no_grad():
            train_err = (net(xs).argmax(1) != ys).float().mean().item()
            test_err = (net(xt).argmax(1) != yt).float().mean().item()
        print(f'weight_decay {decay:g} seed {seed}: final loss {total / len(xs):.4f}, '
              f'training error {train_err:.4f}, test error {test_err:.4f}', flush=True)
