#!/usr/bin/python3
# PyTorch training speed of the authors' full-width nets (diffeo-sota models/, built as
# tools/paper_archs_fixture.py builds them), in the protocol of org.diffeo4j.train.TrainSpeed and
# tools/torch_arch_speed.py: MNIST 1x28x28, batch 64, Adam 1e-3 (SPEED_OPTIMIZER=sgd: the paper recipe's
# SGD, as torch_arch_speed.py), images/s of the second of two passes over the first N images (2048 for
# fc-l4 and lenet-paper, 512 otherwise), in wall time and per CPU-second of the process. The authors' code is read
# from a folder, never copied here (git archive, as in paper_archs_fixture.py's header).
# Usage: torch_paper_speed.py MODELS_DIR MNIST_TRAIN_IMAGES THREADS ARCH...   (run with /usr/bin/python3)
import gzip, os, sys, time
import torch, torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paper_archs_fixture import NETS, build


def idx(name):
    raw = gzip.open(name).read()
    if raw[3] == 3:
        n = int.from_bytes(raw[4:8], 'big'); return torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).float().reshape(n, 1, 28, 28) / 255
    return torch.frombuffer(bytearray(raw[8:]), dtype=torch.uint8).long()


models_dir, path, threads, archs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
sys.path.insert(0, os.path.dirname(os.path.abspath(models_dir)))
models = __import__(os.path.basename(os.path.abspath(models_dir)))
torch.set_num_threads(threads); torch.manual_seed(0)
x, y = idx(path), idx(path.replace('images-idx3', 'labels-idx1'))


def optimizer(net):
    """Adam 1e-3, or with SPEED_OPTIMIZER=sgd the paper recipe's SGD as in torch_arch_speed.py (momentum 0.9, weight decay 5e-4
    on tensors of more than one dimension, lr 0.01)."""
    if os.environ.get('SPEED_OPTIMIZER') == 'sgd':
        ps = list(net.parameters())
        return torch.optim.SGD([{'params': [p for p in ps if p.dim() != 1], 'weight_decay': 5e-4},
                                {'params': [p for p in ps if p.dim() == 1], 'weight_decay': 0}], lr=0.01, momentum=0.9)
    return torch.optim.Adam(net.parameters(), 1e-3)


opt_name = os.environ.get('SPEED_OPTIMIZER') or 'adam'
passes = int(os.environ.get('SPEED_PASSES', '2'))  # the last of these passes is timed, as in TrainSpeed
for a in archs:
    n = 2048 if a in ('fc-l4', 'lenet-paper') else 512
    net = build(models, NETS[a], 'mnist', 28); net.train()
    opt = optimizer(net)
    for rep in range(passes):
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, n, 64):
            opt.zero_grad(); nn.functional.cross_entropy(net(x[i:i+64]), y[i:i+64]).backward(); opt.step()
        dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f'{a}: train {n/dt:.0f} img/s, {n/dc:.0f} img/cpu-s (batch 64, {opt_name}, {threads} threads, '
          f'{sum(p.numel() for p in net.parameters())} parameters) [pytorch {torch.__version__}]', flush=True)
