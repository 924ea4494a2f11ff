#!/usr/bin/python3
# PyTorch training speed of the authors' full-width nets (diffeo-sota models/, built as
# tools/paper_archs_fixture.py builds them), in the protocol of org.diffeo4j.train.TrainSpeed and
# tools/torch_arch_speed.py: MNIST 1x28x28, batch 64, Adam 1e-3, images/s of the second of two passes
# over the first 512 images, in wall time and per CPU-second of the process. The authors' code is read
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
n = 512
for a in archs:
    net = build(models, NETS[a], 'mnist', 28); net.train()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for rep in range(2):
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, n, 64):
            opt.zero_grad(); nn.functional.cross_entropy(net(x[i:i+64]), y[i:i+64]).backward(); opt.step()
        dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f'{a}: train {n/dt:.0f} img/s, {n/dc:.0f} img/cpu-s (batch 64, adam, {threads} threads, '
          f'{sum(p.numel() for p in net.parameters())} parameters) [pytorch {torch.__version__}]', flush=True)
