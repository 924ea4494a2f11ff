#!/usr/bin/env bash
# Kernel-tuning aid: compiles the fused deform kernels (deform.cu) once per variant NAME:FLAGS
# (e.g. mb5:-DDIFFEO_MIN_BLOCKS=5) into .device/variants/NAME/org/diffeo4j/cuda/kernels/, with the
# flags of build-kernels.sh but SASS for sm_90 (H100, H200) alone, to keep the bundle small. A
# directory first on the class path overrides the jar's module of the same name (Kernels reads
# class-path resources), so tools/gpu-variants.sh times each variant with the unchanged benchmarks.
# Run after cuda-kernels/device-bundle.sh, e.g.
#   cuda-kernels/tools/build-variants.sh mb5:-DDIFFEO_MIN_BLOCKS=5 r4:-DDIFFEO_ROWS_PER_ITEM=4
set -euo pipefail
root=$(git rev-parse --show-toplevel)
src="$root/cuda-kernels/src/main/cuda"
for variant in "$@"; do
    name=${variant%%:*} flags=${variant#*:}
    out="$root/.device/variants/$name/org/diffeo4j/cuda/kernels"
    mkdir -p "$out"
    nvcc -std=c++17 -O3 -fmad=false -lineinfo $flags -I "$src" -fatbin -gencode arch=compute_90,code=sm_90 \
        "$src/deform.cu" -o "$out/deform.fatbin"
done
du -sh "$root/.device/variants"
