#!/usr/bin/python3
# The PyTorch side of diffeo attack's gradient cost (tools/attack_cost.sh; docs/BENCHMARKS.md): the same
# number of forward + backward passes to the input that the attack ran, on the PyTorch twin of the same
# architecture (tools/torch_arch_speed.py's build(), parameter for parameter that of diffeo train), in
# eval mode with its parameters out of autograd, as the attack runs the engine's: per pass a batch of
# MNIST test digits, f = net(x), then the gradient of sum(v * f) with respect to x.
# Prints wall and CPU seconds of the passes alone (after one warm-up pass).
# Usage: torch_attack_speed.py MNIST_TEST_IMAGES THREADS ARCH IMAGES BATCH   (run with /usr/bin/python3)
import os, sys, time, torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_arch_speed import build, idx

path, threads, arch, images, batch = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads); torch.manual_seed(0)
net = build(arch).eval()
for p in net.parameters():
    p.requires_grad_(False)
x = idx(path)[:batch].clone()
v = torch.randn(batch, 10)

def one(n):
    xi = x[:n].clone().requires_grad_(True)
    (net(xi) * v[:n]).sum().backward()
    return xi.grad

one(batch)  # warm-up
t, c = time.perf_counter(), time.process_time()
done = 0
while done < images:
    n = min(batch, images - done)
    one(n)
    done += n
dt, dc = time.perf_counter() - t, time.process_time() - c
print(f'{arch}: {images} forward+backward images in batches of {batch}: {dt:.2f} s wall, {dc:.2f} s cpu '
      f'({images / dt:.0f} img/s, {images / dc:.0f} img/cpu-s; {threads} threads) [pytorch {torch.__version__}]')
