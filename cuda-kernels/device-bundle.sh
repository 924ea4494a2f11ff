#!/usr/bin/env bash
# Packs the GPU run of issue 5 into .device/ for the device tool (64 MiB limit): ../shared/tools/
# device-bundle.sh for core, cuda-kernels, cli and bench, then pruned to what the gpu tests and the
# cuda benchmarks load (JCuda, JMH, picocli, gson, the module classes) plus the deform goldens.
# Checked here: 64 MiB; the tests start and skip without a GPU, JMH lists the benchmarks.
# Usage, from the project root after `mvn -q install -DskipTests`: cuda-kernels/device-bundle.sh
# Then on the device (carry [".device"]): bash .device/gpu-run.sh   (results under $OUT)
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
shared=${DIFFEO4J_SHARED:-$root/../shared}
"$shared/tools/device-bundle.sh" core cuda-kernels cli bench
cd .device
rm -f lib/benchmarks.jar lib/diffeo.jar
ls lib | grep -v -E '^(jcuda|jcublas|jmh-core|jopt-simple|commons-math3-3.6.1|picocli|gson)' | (cd lib && xargs -r rm -f)
rm -rf classes/cli # cli tests need ONNX Runtime and DL4J, left out
mkdir -p shared/golden && cp -r "$shared/golden/deform" shared/golden/
cp "$root/cuda-kernels/gpu-run.sh" gpu-run.sh
du -sh . | awk '{print "pruned bundle: " $1 " (limit 64 MiB)"}'
