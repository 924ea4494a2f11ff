#!/usr/bin/env bash
# Runs the default benchmark set (the issues' targets) and writes JMH JSON plus a Markdown summary.
# Usage: bench/run.sh            (BACKENDS=java,native by default; JMH_ARGS adds JMH flags)
# Output: bench/results/<UTC stamp>.json and .md (images/s from the `images` counter).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[[ -f bench/target/benchmarks.jar ]] || mvn -q -B -DskipTests install
mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)
b=${BACKENDS:-java,native}
n=0
jmh() { n=$((n + 1)); java -jar bench/target/benchmarks.jar ${JMH_ARGS:-} -rf json -rff "$out.part$n" "$@"; }
# End to end, a distinct diffeo per image, synthesis included (issue 2 and 4 targets).
jmh DeformBenchmark -p backend="$b" -p size=28 -p channels=1 -p cut=3 -p interp=bilinear,gaussian -p batch=2048
jmh DeformBenchmark -p backend="$b" -p size=32 -p channels=3 -p cut=15 -p interp=bilinear -p batch=1024
jmh DeformBenchmark -p backend="$b" -p size=224 -p channels=3 -p cut=30 -p interp=bilinear -p batch=64
# Synthesis alone at the same shapes.
jmh FieldBenchmark -p backend="$b" -p size=28 -p cut=3 -p batch=2048
jmh FieldBenchmark -p backend="$b" -p size=32 -p cut=15 -p batch=1024
jmh FieldBenchmark -p backend="$b" -p size=224 -p cut=30 -p batch=64
# Interpolation alone, ours and OpenCV's in the same run (issue 4).
jmh 'RemapBenchmark|OpenCvRemapBenchmark' -p backend="$b" -p size=32,224 -p channels=3 -p cut=15 -p interp=bilinear -p batch=256
# one JSON array of every run, and the images/s table derived from it
java -cp bench/target/benchmarks.jar org.diffeo4j.bench.Summary --merge "$out.json" "$out".part* | tee "$out.md"
rm -f "$out".part*
