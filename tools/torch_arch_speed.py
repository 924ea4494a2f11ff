#!/usr/bin/python3
# PyTorch twins of diffeo4j's six training architectures (train/src/main/java/org/diffeo4j/train/
# Architectures.java: same layers, widths, strides, batch-norm and skips) trained in the protocol of
# ../shared/tools/torch_train_speed.py and of org.diffeo4j.train.TrainSpeed: MNIST, batch 64, Adam 1e-3,
# images/s of the second of two passes over the first N images (2048, as TrainSpeed does for the reduced nets;
# SPEED_PASSES=K: the last of K passes),
# in wall time and per CPU-second of the process (robust to a loaded machine when run on one thread).
# Usage: torch_arch_speed.py MNIST_TRAIN_IMAGES THREADS ARCH...   (run with /usr/bin/python3)
import gzip, os, sys, time, torch, torch.nn as nn


def optimizer(net):
    """Adam 1e-3, or with SPEED_OPTIMIZER=sgd the paper recipe's SGD (diffeo-sota optim_loss.py: momentum 0.9, weight decay 5e-4
    on tensors of more than one dimension; lr 0.01 as TrainSpeed uses)."""
    if os.environ.get('SPEED_OPTIMIZER') == 'sgd':
        ps = list(net.parameters())
        return torch.optim.SGD([{'params': [p for p in ps if p.dim() != 1], 'weight_decay': 5e-4},
                                {'params': [p for p in ps if p.dim() == 1], 'weight_decay': 0}], lr=0.01, momentum=0.9)
    return torch.optim.Adam(net.parameters(), 1e-3)

def idx(name):
    raw = gzip.open(name).read()
    if raw[3] == 3:
        n = int.from_bytes(raw[4:8], 'big'); return torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).float().reshape(n, 1, 28, 28) / 255
    return torch.frombuffer(bytearray(raw[8:]), dtype=torch.uint8).long()

def conv(i, o, k, s=1, p=0, bias=False): return nn.Conv2d(i, o, k, stride=s, padding=p, bias=bias)

class Basic(nn.Module):
    def __init__(s, i, o, stride):
        super().__init__()
        s.main = nn.Sequential(conv(i, o, 3, stride, 1), nn.BatchNorm2d(o), nn.ReLU(), conv(o, o, 3, 1, 1), nn.BatchNorm2d(o))
        s.skip = nn.Identity() if stride == 1 and i == o else nn.Sequential(conv(i, o, 1, stride), nn.BatchNorm2d(o))
    def forward(s, x): return torch.relu(s.main(x) + s.skip(x))

class MBConv(nn.Module):
    def __init__(s, i, e, k, o, stride):
        super().__init__(); m = i * e; layers = []
        if e != 1: layers += [conv(i, m, 1), nn.BatchNorm2d(m), nn.SiLU()]
        layers += [nn.Conv2d(m, m, k, stride, k // 2, groups=m, bias=False), nn.BatchNorm2d(m), nn.SiLU()]
        s.pre = nn.Sequential(*layers)
        s.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(m, max(1, i // 4)), nn.SiLU(), nn.Linear(max(1, i // 4), m), nn.Sigmoid())
        s.post = nn.Sequential(conv(m, o, 1), nn.BatchNorm2d(o)); s.res = stride == 1 and i == o
    def forward(s, x):
        h = s.pre(x); h = s.post(h * s.se(h)[:, :, None, None])
        return h + x if s.res else h

def build(a):
    if a == 'fc':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), *[m for _ in range(3) for m in (nn.Linear(64, 64), nn.ReLU())], nn.Linear(64, 10))
    if a == 'lenet':
        return nn.Sequential(conv(1, 6, 5, bias=True), nn.ReLU(), nn.MaxPool2d(2), conv(6, 16, 5, bias=True), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    if a in ('vgg', 'vgg-bn'):
        layers, i = [], 1
        for w in (16, 32, 64):
            for c in range(2):
                layers += [conv(i, w, 3, 1, 1, bias=a == 'vgg')] + ([nn.BatchNorm2d(w)] if a == 'vgg-bn' else []) + [nn.ReLU()]; i = w
            layers.append(nn.MaxPool2d(2))
        return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))
    if a == 'resnet':
        layers, i = [conv(1, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU()], 16
        for g, w in enumerate((16, 32, 64, 128)):
            for b in range(2):
                layers.append(Basic(i, w, 2 if g > 0 and b == 0 else 1)); i = w
        return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))
    if a == 'efficientnet':
        layers, i = [conv(1, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.SiLU()], 16
        for e, k, o, s in ((1, 3, 16, 1), (4, 3, 24, 2), (4, 3, 24, 1), (4, 5, 40, 2), (4, 3, 80, 2)):
            layers.append(MBConv(i, e, k, o, s)); i = o
        return nn.Sequential(*layers, conv(i, 128, 1), nn.BatchNorm2d(128), nn.SiLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))
    raise SystemExit('unknown arch ' + a)

if __name__ == '__main__':  # tools/torch_attack_speed.py imports build()
    path, threads, archs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    torch.set_num_threads(threads); torch.manual_seed(0)
    x, y = idx(path), idx(path.replace('images-idx3', 'labels-idx1'))
    opt_name = os.environ.get('SPEED_OPTIMIZER') or 'adam'
    passes = int(os.environ.get('SPEED_PASSES', '2'))  # the last of these passes is timed, as in TrainSpeed
    for a in archs:
        net = build(a); opt = optimizer(net); n = 2048  # every reduced net, as TrainSpeed
        for rep in range(passes):
            t, c = time.perf_counter(), time.process_time()
            for i in range(0, n, 64):
                opt.zero_grad(); nn.functional.cross_entropy(net(x[i:i+64]), y[i:i+64]).backward(); opt.step()
            dt, dc = time.perf_counter() - t, time.process_time() - c
        print(f'{a}: train {n/dt:.0f} img/s, {n/dc:.0f} img/cpu-s (batch 64, {opt_name}, {threads} threads, {sum(p.numel() for p in net.parameters())} parameters) [pytorch {torch.__version__}]')
