#!/usr/bin/env bash
# Nsight Compute profile of the cuda kernels on the GPU machine (bundle of device-bundle.sh), run from
# the repository root: bash cuda-kernels/tools/gpu-profile.sh. It profiles
# one launch each of diffeo_deform_bilinear* (32x32x3 c15, batch 65536), diffeo_synthesize (same) and
# diffeo_remap_bilinear* (224x224x3 c30, batch 1024), full section set; text reports under $OUT.
set -uo pipefail
here=.device
out=${OUT:-/tmp/out}
mkdir -p "$out"
prof() { # name, kernel, then JMH arguments
    local name=$1 kernel=$2; shift 2
    timeout 200 ncu --target-processes all -k "$kernel" -c 1 --set full --import-source yes -f -o "$out/$name" \
        "$here/java" org.openjdk.jmh.Main "$@" -f 0 -wi 0 -i 1 -r 1 > "$out/$name-run.txt" 2>&1
    ncu -i "$out/$name.ncu-rep" --print-details all > "$out/$name.txt" 2>&1
    ncu -i "$out/$name.ncu-rep" --page source --csv --print-source sass > "$out/$name-sass.csv" 2>&1
    rm -f "$out/$name.ncu-rep"
    grep -E "Duration|Registers Per|Achieved Occupancy|Theoretical Occupancy|Memory Throughput|Compute \(SM\) Thr|Block Limit|Warp Cycles Per Issued|Issue Slots Busy|Stall|L1/TEX Hit" "$out/$name.txt" | head -30
}
echo "== deform"; prof deform regex:diffeo_deform_bilinear "\\.DeformBenchmark" -p backend=cuda -p size=32 -p channels=3 -p cut=15 -p batch=65536
echo "== synthesize"; prof synth regex:diffeo_synthesize "\\.FieldBenchmark" -p backend=cuda -p size=32 -p cut=15 -p batch=65536
echo "== remap"; prof remap regex:diffeo_remap_bilinear "\\.RemapBenchmark" -p backend=cuda -p size=224 -p channels=3 -p cut=30 -p batch=1024
