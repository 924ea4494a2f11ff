#!/usr/bin/python3
"""Test models for the TorchScript adapter and ONNX node layers, with their reference R_f.

Trains two small nets on ../shared/data/mnist for one epoch (seeded, 2 threads): a LeNet and a ResNet
with batch-norm. For each it writes, into the folder given (default tools/testdata/torch):
  NAME.pt           torch.jit.trace of the net in eval mode (TorchScript)
  NAME.onnx         torch.onnx.export with the logits as the only output (input 'input' [B,1,28,28])
  NAME_layers.onnx  the same net exported with chosen hidden layers as extra outputs, each output
                    named by the module it comes from ('features.4', 'layer2')
and expected.json: logits of the first 8 test images, and the reference protocol's D, G, R (DESIGN.md
section 1: one diffeo and one noise of the same norm per image, deno = median over ordered pairs,
median over probes, bilinear, c=3, delta=1) on the first 500 test images, per realisation, for the
output and each hidden layer. Randomness here is torch's (seed 0): the Java side compares geometric
means over realisations, not single draws.

Needs PyTorch 1.13 (Debian: apt-get install -y python3-torch). Run with /usr/bin/python3:
  /usr/bin/python3 tools/make_torch_models.py [OUT_DIR]
It took 18 minutes on a loaded 2-core machine (4.3 CPU-minutes), most of it the 40 realisations.
"""
import gzip, json, math, os, sys
import torch, torch.nn as nn

torch.set_num_threads(2)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'shared', 'data', 'mnist')
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'testdata', 'torch')
PROBES, CUT, DELTA, REALISATIONS = 500, 3, 1.0, 40


def idx(name):
    raw = gzip.open(os.path.join(DATA, name)).read()
    if raw[3] == 3:
        n = int.from_bytes(raw[4:8], 'big')
        return torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).float().reshape(n, 1, 28, 28) / 255
    return torch.frombuffer(bytearray(raw[8:]), dtype=torch.uint8).long()


class LeNet(nn.Module):
    """Two containers called in order, so every child of the root and of 'features' is a layer."""
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(256, 48), nn.ReLU(), nn.Linear(48, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class Block(nn.Module):
    """torchvision's BasicBlock: a residual, so its children are not a chain."""
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    """Children registered in the order forward calls them (flatten as a module)."""
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.layer1 = nn.Sequential(Block(8, 8, 1))
        self.layer2 = nn.Sequential(Block(8, 16, 2))
        self.layer3 = nn.Sequential(Block(16, 16, 2))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(self.flatten(self.pool(x)))


NETS = {'lenet': (LeNet, ['features.2', 'features.4', 'features', 'classifier.2']),
        'resnet_bn': (ResNet, ['relu', 'layer1', 'layer2.0', 'layer3'])}


class WithLayers(nn.Module):
    """The net with the named modules' outputs as extra outputs (captured by forward hooks)."""
    def __init__(self, net, names):
        super().__init__()
        self.net, self.names, self.seen = net, names, {}
        modules = dict(net.named_modules())
        for n in names:
            modules[n].register_forward_hook(lambda m, i, o, n=n: self.seen.__setitem__(n, o))

    def forward(self, x):
        out = self.net(x)
        return (out, *[self.seen[n] for n in self.names])


def train(net, x, y, seed):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), 2e-3)
    net.train()
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    for i in range(0, len(x), 64):
        b = order[i:i + 64]
        opt.zero_grad()
        nn.functional.cross_entropy(net(x[b]), y[b]).backward()
        opt.step()
    return net.eval()


def tau(n, cut, t, gen):
    k = torch.arange(1, cut + 1, dtype=torch.float64)
    norm = torch.sqrt(k[:, None] ** 2 + k[None, :] ** 2)
    keep = (norm < cut + 0.5).double()
    s = torch.sin(math.pi * torch.arange(n, dtype=torch.float64)[:, None] / (n - 1) * k[None, :])  # s[a, i]
    fields = []
    for _ in range(2):
        c = math.sqrt(t) * torch.randn(cut, cut, generator=gen, dtype=torch.float64) / norm * keep  # c[i, j]
        fields.append(n * torch.einsum('xi,ij,yj->yx', s, c, s))
    return fields  # dx[y][x], dy[y][x]


def remap(img, dx, dy):
    """Bilinear: out[y][x] = in(x - dx, y - dy), the sample point clamped to [0, n-1]."""
    c, h, w = img.shape
    yy, xx = torch.meshgrid(torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64), indexing='ij')
    sx, sy = (xx - dx).clamp(0, w - 1), (yy - dy).clamp(0, h - 1)
    x0, y0 = sx.floor().long(), sy.floor().long()
    x1, y1 = sx.ceil().long(), sy.ceil().long()
    fx, fy = sx - x0, sy - y0
    im = img.double()
    out = (im[:, y0, x0] * (1 - fx) * (1 - fy) + im[:, y0, x1] * fx * (1 - fy)
           + im[:, y1, x0] * (1 - fx) * fy + im[:, y1, x1] * fx * fy)
    return out.float()


def stability(outputs, clean, deformed, noisy):
    """D, G, R of one realisation (DESIGN.md section 1, medians as torch.median: lower middle)."""
    res = {}
    for name in outputs:
        f0, fd, fn = clean[name].flatten(1).double(), deformed[name].flatten(1).double(), noisy[name].flatten(1).double()
        deno = torch.cdist(f0, f0).pow(2).flatten().median()
        d = (fd - f0).pow(2).median(dim=0).values.sum() / deno
        g = (fn - f0).pow(2).median(dim=0).values.sum() / deno
        res[name] = (d.item(), g.item(), (d / g).item())
    return res


def measure(wrapped, names, x):
    n = x.shape[-1]
    t = 4 * DELTA ** 2 / (math.pi * n ** 2 * math.log(CUT))
    gen = torch.Generator().manual_seed(0)
    keys = ['output'] + names
    run = lambda b: dict(zip(keys, wrapped(b)))
    per = {k: {'D': [], 'G': [], 'R': []} for k in keys}
    with torch.no_grad():
        clean = run(x)
        for _ in range(REALISATIONS):
            deformed = torch.stack([remap(img, *tau(n, CUT, t, gen)) for img in x])
            g = torch.randn(x.shape, generator=gen)
            norms = (deformed - x).flatten(1).norm(dim=1)
            noisy = x + g / g.flatten(1).norm(dim=1)[:, None, None, None] * norms[:, None, None, None]
            for k, (d, gg, r) in stability(keys, clean, run(deformed), run(noisy)).items():
                per[k]['D'].append(d); per[k]['G'].append(gg); per[k]['R'].append(r)
    return t, per


def main():
    os.makedirs(OUT, exist_ok=True)
    x, y = idx('train-images-idx3-ubyte.gz'), idx('train-labels-idx1-ubyte.gz')
    tx, ty = idx('t10k-images-idx3-ubyte.gz'), idx('t10k-labels-idx1-ubyte.gz')
    probes = tx[:PROBES]
    expected = {'generator': 'tools/make_torch_models.py', 'torch': torch.__version__,
                'protocol': {'images': 't10k-images-idx3-ubyte.gz first %d' % PROBES, 'pixel_range': '[0,1]',
                             'cut': CUT, 'delta': DELTA, 'interp': 'bilinear', 'average': 'median',
                             'realisations': REALISATIONS, 'seed': 'torch.Generator seed 0'},
                'nets': {}}
    for seed, (name, (cls, layers)) in enumerate(NETS.items()):
        torch.manual_seed(seed)
        net = train(cls(), x, y, seed)
        with torch.no_grad():
            error = (net(tx).argmax(1) != ty).float().mean().item()
            logits = net(tx[:8])
        example = tx[:2]
        torch.jit.trace(net, example).save(os.path.join(OUT, name + '.pt'))
        dyn = {'input': {0: 'batch'}, 'logits': {0: 'batch'}}
        torch.onnx.export(net, example, os.path.join(OUT, name + '.onnx'), input_names=['input'],
                          output_names=['logits'], dynamic_axes=dyn, opset_version=13)
        wrapped = WithLayers(net, layers).eval()
        torch.onnx.export(wrapped, example, os.path.join(OUT, name + '_layers.onnx'), input_names=['input'],
                          output_names=['logits'] + layers,
                          dynamic_axes={**dyn, **{l: {0: 'batch'} for l in layers}}, opset_version=13)
        t, per = measure(wrapped, layers, probes)
        expected['protocol']['T'] = t
        expected['nets'][name] = {'test_error': error, 'layers': layers, 'logits_first8': logits.tolist(),
                                  'stability': per}
        r = torch.tensor(per['output']['R']).log()
        print(f'{name}: test error {error:.4f}, ln R_f {r.mean():.4f} +- {r.std():.4f} (sd of one realisation)',
              file=sys.stderr)
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)


if __name__ == '__main__':
    main()
