"""Trains a small net with the authors' own PyTorch loop and the engine's `diffeo train`, same recipe and data,
several seeds each, and measures both with `diffeo measure`: the check of issue 20 that the engine trains as
the authors do (docs/recipe.md records the result).

The authors' code is not part of this project: pass the folder of a checkout of leonardopetrini/diffeo-sota
(--diffeo-sota). Their main.run() / train() / test() and optim_loss.opt_algo() run unchanged; only
init.init_fun() is replaced, since their dataset code downloads from the internet: it returns a DataLoader
over the same P images the engine uses (the first P of the training file, or the file's own subset), batch
128, shuffle=True, as datasets/__init__.py builds it, and the twin of the engine's architecture with
PyTorch's default initialisation under torch.manual_seed(seed) (the engine's SeededInit draws the same
distribution, not the same numbers: seeds are compared in distribution).

Needs PyTorch and torchvision (Debian: python3-torch python3-torchvision), the built engine (cli/target/diffeo.jar).
Usage: /usr/bin/python3 tools/authors_loop_check.py --diffeo-sota DIR --data mnist --arch lenet --train-size 1024
       --epochs 30 --seeds 0,1,2,3 --out /tmp/check
"""
import argparse
import gzip
import json
import math
import os
import pickle
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SHARED = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data')
FILES = {'mnist': ('mnist', 'mnistdigits'), 'fashion': ('fashion-mnist', 'fashionmnist')}


def idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def images(name, split):
    folder = os.path.join(SHARED, FILES[name][0])
    x = idx(os.path.join(folder, f'{split}-images-idx3-ubyte.gz')).astype(np.float32) / 255.0
    y = idx(os.path.join(folder, f'{split}-labels-idx1-ubyte.gz')).astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


class LeNetReduced(nn.Module):
    """The engine's `lenet` (train/.../Architectures.java): conv 6@5x5, relu, max-pool 2; conv 16@5x5, relu, max-pool 2; 120, 84, K."""

    def __init__(self, k=10):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.out = nn.Linear(256, 120), nn.Linear(120, 84), nn.Linear(84, k)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.out(F.relu(self.fc2(x)))


class FcReduced(nn.Module):
    """The engine's `fc`: four hidden layers of 64, ReLU."""

    def __init__(self, d=784, k=10):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(d if i == 0 else 64, 64) for i in range(4)])
        self.out = nn.Linear(64, k)

    def forward(self, x):
        x = x.flatten(1)
        for l in self.layers:
            x = F.relu(l(x))
        return self.out(x)


class WideBn(nn.Module):
    """A net this project has never built (--module mode): two conv-BN-ReLU blocks of 24 and 48 channels, a max-pool
    between, global average, a hidden layer of 64 and dropout-free linear output."""

    def __init__(self, k=10):
        super().__init__()
        self.block1 = nn.Sequential(nn.Conv2d(1, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(), nn.MaxPool2d(2))
        self.block2 = nn.Sequential(nn.Conv2d(24, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU(), nn.AdaptiveAvgPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(192, 64), nn.ReLU(), nn.Linear(64, k))

    def forward(self, x):
        h = self.block1(x)
        h = self.block2(h)
        return self.head(h)


NETS = {'lenet': LeNetReduced, 'fc': FcReduced, 'widebn': WideBn}


def init_module(a, seed, folder):
    """--module: the net at initialisation under torch.manual_seed(seed), scripted in train mode and saved: both sides start from it."""
    path = os.path.join(folder, 'init.pt')
    torch.manual_seed(seed)
    torch.jit.save(torch.jit.script(NETS[a.arch]().train()), path)
    return path


def authors(a, seed, folder):
    sys.path.insert(0, a.diffeo_sota)
    import main as authors_main  # noqa: E402  (their main.py)
    mean, std = (0.5, 0.5) if a.data == 'fashion' else (0.0, 1.0)
    xtr, ytr = images(a.data, 'train')
    xte, yte = images(a.data, 't10k')
    xtr, xte = (xtr[:a.train_size] - mean) / std, (xte - mean) / std
    ytr = ytr[:a.train_size]

    def init_fun(args):
        torch.manual_seed(args.seed_init)
        train = torch.utils.data.TensorDataset(xtr, ytr)
        test = torch.utils.data.TensorDataset(xte, yte)
        trainloader = torch.utils.data.DataLoader(train, batch_size=args.batch_size, shuffle=True, num_workers=0)
        testloader = torch.utils.data.DataLoader(test, batch_size=100, shuffle=False, num_workers=0)
        net = NETS[a.arch]()
        if a.module:
            # their train() deep-copies the net, which a ScriptModule does not survive: the eager net with the
            # saved module's exact initial state (parameters and buffers) instead
            net.load_state_dict(torch.jit.load(os.path.join(folder, 'init.pt')).state_dict())
        return trainloader, testloader, net

    authors_main.init_fun = init_fun
    out = os.path.join(folder, 'authors.pkl')
    optim = ['--optim', 'adam', '--scheduler', 'none'] if a.arch.startswith('fc') else []
    sys.argv = ['main.py', '--device', 'cpu', '--dataset', FILES[a.data][1], '--net', a.arch, '--diffeo', '0', '--ptr', str(a.train_size),
                '--epochs', str(a.epochs), '--seed_init', str(seed), '--batch_size', '128', '--save_best_net', '1', '--output', out] + optim
    authors_main.main()
    with open(out, 'rb') as f:
        pickle.load(f)
        res = pickle.load(f)
    if a.module:
        # --select last: the last epoch's weights, in the saved module itself
        net = NETS[a.arch]()
        net.load_state_dict(res['last'])
        net = torch.jit.script(net.eval())
        path = os.path.join(folder, 'last.pt')
        torch.jit.save(net, path)
    else:
        net = NETS[a.arch]()
        net.load_state_dict(res['best']['net'])
        net.eval()
        path = os.path.join(folder, 'best.pt')
        torch.jit.trace(net, xte[:2]).save(path)
    norm = ['--mean', '0.5', '--std', '0.5'] if a.data == 'fashion' else []
    test_error = res['terr'][-1] / 100 if a.module else 1 - res['best']['acc'] / 100
    return {'test_error': test_error, 'best_epoch': res['best']['epoch'] + 1, 'final_train_loss': res['train loss'][-1],
            'epochs_run': len(res['train loss']), **measure(a, path, norm)}


def engine(a, seed, folder):
    folder_data = os.path.join(SHARED, FILES[a.data][0])
    arch = os.path.join(folder, 'init.pt') if a.module else a.arch
    subprocess.run(['java', '-jar', a.jar, 'train', '--arch', arch, '--recipe', 'paper', '--epochs', str(a.epochs),
                    '--select', 'last' if a.module else 'best-test',
                    '--random-subset=false', '--seed', str(seed), '--threads', '1', '--train-size', str(a.train_size),
                    '--data', os.path.join(folder_data, 'train-images-idx3-ubyte.gz'),
                    '--test', os.path.join(folder_data, 't10k-images-idx3-ubyte.gz'), '--out', os.path.join(folder, 'engine')],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(folder, 'engine', 'train.json')) as f:
        t = json.load(f)
    return {'test_error': t['test_error'], 'best_epoch': t['selected_epoch'], 'final_train_loss': t['epochs'][-1]['loss'],
            'epochs_run': t['epochs_run'], **measure(a, os.path.join(folder, 'engine', 'model', 'model.pt' if a.module else ''), [])}


def measure(a, model, norm):
    folder_data = os.path.join(SHARED, FILES[a.data][0])
    r = subprocess.run(['java', '-jar', a.jar, 'measure', '--model', model, '--data', os.path.join(folder_data, 't10k-images-idx3-ubyte.gz'),
                        '--probes', '500', '--cut', '3', '--delta', '1', '--threads', '1', '--format', 'json'] + norm,
                       check=True, capture_output=True, text=True)
    cell = json.loads(r.stdout)['results'][0]
    return {'R': cell['R']['logmean'], 'D': cell['D']['logmean'], 'G': cell['G']['logmean'], 'lnR': math.log(cell['R']['logmean'])}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--diffeo-sota', required=True)
    p.add_argument('--data', choices=sorted(FILES), default='mnist')
    p.add_argument('--arch', choices=sorted(NETS), default='lenet')
    p.add_argument('--train-size', type=int, default=1024)
    p.add_argument('--epochs', type=int, default=30)
    p.add_argument('--seeds', default='0,1,2,3')
    p.add_argument('--jar', default=os.path.join(os.path.dirname(__file__), '..', 'cli', 'target', 'diffeo.jar'))
    p.add_argument('--out', required=True)
    p.add_argument('--module', action='store_true', help='save the net at initialisation as TorchScript and train that file on both sides '
                   '(engine: --arch FILE.pt --select last; authors: their loop on the loaded module, its last epoch)')
    a = p.parse_args()
    a.diffeo_sota = os.path.abspath(a.diffeo_sota)
    torch.set_num_threads(1)
    rows = []
    for seed in [int(s) for s in a.seeds.split(',')]:
        folder = os.path.join(a.out, f'seed{seed}')
        os.makedirs(folder, exist_ok=True)
        if a.module:
            init_module(a, seed, folder)
        for side, fn in (('authors', authors), ('engine', engine)):
            r = fn(a, seed, folder)
            r.update(side=side, seed=seed)
            rows.append(r)
            print(json.dumps(r), flush=True)
    summary = {}
    for side in ('authors', 'engine'):
        s = [r for r in rows if r['side'] == side]
        for k in ('lnR', 'test_error'):
            v = np.array([r[k] for r in s])
            summary[f'{side}_{k}_mean'] = float(v.mean())
            summary[f'{side}_{k}_sd'] = float(v.std(ddof=1)) if len(v) > 1 else None
    summary['args'] = {k: v for k, v in vars(a).items() if k != 'jar'}
    with open(os.path.join(a.out, 'summary.json'), 'w') as f:
        json.dump({'rows': rows, 'summary': summary}, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == '__main__':
    main()
