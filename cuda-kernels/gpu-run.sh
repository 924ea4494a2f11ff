#!/usr/bin/env bash
# Runs on the GPU machine from the repository root, over the bundle of cuda-kernels/device-bundle.sh:
# the gpu-tagged twin tests, `diffeo verify --backend cuda`, the JMH cuda benchmarks of issue 5 and
# the cuBLAS baseline (PyTorch's); logs and JSON go to $OUT. Steps can be named to run a part:
#   bash .device/gpu-run.sh [info] [tests] [verify] [bench] [cublas]      (default: all of them)
set -uo pipefail
here=.device
out=${OUT:-/tmp/out}
mkdir -p "$out"
steps=${*:-info tests verify bench cublas}
has() { [[ " $steps " == *" $1 "* ]]; }
cp=$(printf '%s:' "$here"/lib/*.jar "$here"/classes/*/); cp=${cp%:}:cli/src/main/resources # see device-bundle.sh
{
if has info; then
    echo "== info"
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory,clocks.max.sm --format=csv
    nvcc --version | tail -2
    echo "cuBLAS libraries: $(find / -xdev -name 'libcublas.so*' 2>/dev/null | tr '\n' ' ')"
fi
if has tests; then
    echo "== tests"
    timeout 300 "$here/jre/bin/java" -Ddiffeo4j.shared="$PWD/$here/shared" -jar "$here"/tools/junit-platform-console-standalone-*.jar \
        execute -cp "$cp" --select-class org.diffeo4j.cuda.GpuTwinTest --select-class org.diffeo4j.cuda.CudaSupportTest \
        --disable-banner --details=tree 2>&1 | tee "$out/gpu-tests.txt" | grep -v -E '✔' | tail -60
fi
if has verify; then
    echo "== diffeo verify --backend cuda"
    timeout 120 "$here/java" org.diffeo4j.cli.DiffeoCli verify --backend cuda; echo "exit $?"
fi
jmh() { # name, then JMH arguments
    local name=$1; shift
    echo "== jmh $name"
    timeout 240 "$here/java" org.openjdk.jmh.Main "$@" -f 1 -wi 3 -w 1 -i 5 -r 2 -rf json -rff "$out/$name.json" 2>&1 \
        | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)|Exception|Error' | head -20
}
if has bench; then
    jmh deform32 DeformBenchmark -p backend=cuda -p size=32 -p channels=3 -p cut=15 -p batch=65536,131072
    jmh remap224 "\\.RemapBenchmark" -p backend=cuda -p size=224 -p channels=3 -p cut=30 -p batch=1024
    jmh field32 FieldBenchmark -p backend=cuda -p size=32 -p cut=15 -p batch=65536
    jmh transfer TransferBenchmark
fi
if has cublas; then
    echo "== cuBLAS baseline (PyTorch)"
    timeout 120 python3 cuda-kernels/tools/cublas_synthesis.py "$out/cublas.json" 32 15 65536 2>&1 | tail -30
fi
} 2>&1 | tee "$out/gpu-run.log"
