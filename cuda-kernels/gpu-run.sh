#!/usr/bin/env bash
# Runs on the GPU machine from the repository root, over the bundle of cuda-kernels/device-bundle.sh:
# the gpu-tagged twin tests, then the JMH cuda benchmarks of issue 5; logs and JSON go to $OUT.
set -uo pipefail
here=.device
out=${OUT:-/tmp/out}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv | tee "$out/gpu.txt"
cp=$(printf '%s:' "$here"/lib/*.jar "$here"/classes/*/); cp=${cp%:}
"$here/jre/bin/java" -Ddiffeo4j.shared="$PWD/$here/shared" -jar "$here"/tools/junit-platform-console-standalone-*.jar \
    execute -cp "$cp" --select-class org.diffeo4j.cuda.GpuTwinTest --select-class org.diffeo4j.cuda.CudaSupportTest \
    --disable-banner --details=tree 2>&1 | tee "$out/gpu-tests.txt" | tail -40
jmh() { # name, then JMH arguments
    local name=$1; shift
    "$here/java" org.openjdk.jmh.Main "$@" -wi 2 -w 1 -i 3 -r 1 -rf json -rff "$out/$name.json" 2>&1 | tail -6
}
jmh deform32 DeformBenchmark -p backend=cuda -p size=32 -p channels=3 -p cut=15 -p batch=65536,131072
jmh remap224 RemapBenchmark -p backend=cuda -p size=224 -p channels=3 -p cut=30 -p batch=1024
jmh field32 FieldBenchmark -p backend=cuda -p size=32 -p cut=15 -p batch=65536
jmh transfer TransferBenchmark
