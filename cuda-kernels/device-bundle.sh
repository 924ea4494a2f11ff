#!/usr/bin/env bash
# Packs the GPU run of issue 5 into .device/ for the device tool (64 MiB limit): ../shared/tools/
# device-bundle.sh for core, cuda-kernels, cli and bench, then pruned to what the gpu tests and the
# cuda benchmarks and `diffeo verify` load (JCuda, JMH, picocli, gson, the module classes) plus the deform goldens.
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
# cli tests need ONNX Runtime and DL4J; verify needs neither. The cli's resources (6.5 MB of reference
# vectors) travel anyway in the checkout: the class path takes them from cli/src/main/resources.
rm -rf classes/cli classes/cli-main/org/diffeo4j/cli/bundled classes/cli-main/org/diffeo4j/cli/reference-vectors
sed -i 's|; cp=${cp%:}$|; cp=${cp%:}:$here/../cli/src/main/resources|' java run-tests
# JCuda's natives jar also carries the PTX compiler and NVRTC bindings (24 MB unpacked), which
# diffeo4j never loads: nvcc builds the kernels, the driver loads them.
(cd lib && n=$(ls jcuda-natives-*.jar) && zip -qd "$n" 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*')
# libjvm.so's symbol table is for debuggers; stripping it saves 4 MB of the 64 MiB the device tool carries.
strip --strip-unneeded jre/lib/server/libjvm.so
mkdir -p shared/golden && cp -r "$shared/golden/deform" shared/golden/
cp "$root/cuda-kernels/gpu-run.sh" gpu-run.sh
du -sh . | awk '{print "pruned bundle: " $1 " (limit 64 MiB)"}'
