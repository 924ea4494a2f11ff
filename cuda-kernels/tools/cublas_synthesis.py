"""cuBLAS baseline for diffeo4j's synthesis kernel (issue 5), run on the GPU machine with its PyTorch.

JCublas 12.6 needs libcublas.so.12, which a CUDA-13-only machine lacks, so the GEMM formulation of
the synthesis is timed here through PyTorch's cuBLAS instead, on the same shapes and precisions as
diffeo4j's kernel (kernel_common.cuh):
  first product  A = (scale * W o Z) By    in double: [2B*c, c] x [c, h]  (one GEMM: the basis is shared)
  second product F = A^T Bx                in float:  [2B*h, c] x [c, w]  (after a transpose copy)
B samples, two fields (u, v) each; Z are the standard-normal coefficients already on the device, as in
FieldBenchmark's cuda case, so draws are excluded on both sides. Also measures a device-to-device
copy, the achievable bandwidth the GB/s figures of BENCHMARKS.md are compared with.
Usage: python3 cublas_synthesis.py OUT.json [size cut batch]...
"""
import json
import math
import sys

import torch


def timed(fn, reps=20, warm=3):
    """Median milliseconds of fn over reps, CUDA events, after warm calls."""
    for _ in range(warm):
        fn()
    torch.cuda.synchronize()
    ms = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        b.record()
        b.synchronize()
        ms.append(a.elapsed_time(b))
    return sorted(ms)[len(ms) // 2]


def synthesis(n, c, batch):
    dev = torch.device("cuda")
    i = torch.arange(1, c + 1, dtype=torch.float64, device=dev)
    r2 = i[:, None] ** 2 + i[None, :] ** 2
    w = torch.where(r2 < (c + 0.5) ** 2, 1.0 / r2.sqrt(), torch.zeros_like(r2))  # DESIGN.md 2: below the cut-off
    x = torch.linspace(0, 1, n, dtype=torch.float64, device=dev)
    by = torch.sin(math.pi * i[:, None] * x[None, :])  # [c, h] double
    bx = by.float()  # [c, w] float
    g = torch.Generator(device=dev).manual_seed(1)
    z = torch.randn(2 * batch, c, c, generator=g, device=dev, dtype=torch.float32)
    scale = 1e-3 ** 0.5

    def first():
        cz = (scale * w) * z.double()  # [2B, c, c]
        return (cz.reshape(-1, c) @ by).float()  # [2B*c, h]

    a = first()

    def second():
        at = a.reshape(2 * batch, c, n).transpose(1, 2).contiguous()  # [2B, h, c]
        return (at.reshape(-1, c) @ bx).reshape(2 * batch, n, n)

    def both():
        nonlocal a
        a = first()
        return second()

    ms_first, ms_second, ms_both = timed(first), timed(second), timed(both)
    return {"size": n, "cut": c, "batch": batch,
            "ms_first_double": ms_first, "ms_second_float": ms_second, "ms_total": ms_both,
            "samples_per_s": batch / (ms_both / 1e3),
            "field_bytes_written_GBps": 2 * batch * n * n * 4 / (ms_both / 1e3) / 1e9}


def copy_bandwidth(gib=4):
    src = torch.empty(gib << 28, dtype=torch.float32, device="cuda")  # gib GiB
    dst = torch.empty_like(src)
    ms = timed(lambda: dst.copy_(src), reps=10)
    return {"bytes": 2 * src.numel() * 4, "ms": ms, "GBps_read_plus_write": 2 * src.numel() * 4 / (ms / 1e3) / 1e9}


def main():
    out = sys.argv[1]
    rest = [int(v) for v in sys.argv[2:]] or [32, 15, 65536]
    result = {"device": torch.cuda.get_device_name(), "torch": torch.__version__,
              "cublas": torch.backends.cuda.preferred_blas_library().name if hasattr(torch.backends.cuda, "preferred_blas_library") else "?",
              "cuda": torch.version.cuda, "copy": copy_bandwidth(), "synthesis": []}
    for k in range(0, len(rest), 3):
        result["synthesis"].append(synthesis(*rest[k:k + 3]))
    print(json.dumps(result, indent=1))
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
