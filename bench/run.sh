#!/usr/bin/env bash
# Runs the default benchmark set (the issues' targets) and writes JMH JSON plus a Markdown summary.
# Usage: bench/run.sh [BACKEND...]   (default: java; e.g. bench/run.sh java native)
# Output: bench/results/<UTC date>-<backend>.json and .md. Extra JMH flags via JMH_ARGS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[[ -f bench/target/benchmarks.jar ]] || mvn -q -B -DskipTests install
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
for backend in "${@:-java}"; do
  json=bench/results/$stamp-$backend.json
  # Four deform cases of the targets, then synthesis and interpolation alone at the same shapes.
  java -jar bench/target/benchmarks.jar ${JMH_ARGS:-} -rf json -rff "$json.part1" DeformBenchmark \
    -p backend="$backend" -p size=28 -p channels=1 -p cut=3 -p interp=bilinear,gaussian -p batch=2048
  java -jar bench/target/benchmarks.jar ${JMH_ARGS:-} -rf json -rff "$json.part2" DeformBenchmark \
    -p backend="$backend" -p size=32 -p channels=3 -p cut=15 -p interp=bilinear -p batch=1024
  java -jar bench/target/benchmarks.jar ${JMH_ARGS:-} -rf json -rff "$json.part3" DeformBenchmark \
    -p backend="$backend" -p size=224 -p channels=3 -p cut=30 -p interp=bilinear -p batch=64
  java -jar bench/target/benchmarks.jar ${JMH_ARGS:-} -rf json -rff "$json.part4" FieldBenchmark \
    -p backend="$backend" -p size=28,32 -p cut=3,15 -p batch=1024
  java -jar bench/target/benchmarks.jar ${JMH_ARGS:-} -rf json -rff "$json.part5" RemapBenchmark \
    -p backend="$backend" -p size=32 -p channels=3 -p cut=15 -p interp=bilinear,gaussian,nearest -p batch=1024
  # merge the parts into one JSON array
  { echo "["; for p in "$json".part*; do sed -e '1d' -e '$d' "$p"; echo ","; done | sed '$d'; echo "]"; } > "$json"
  rm -f "$json".part*
  java -cp bench/target/benchmarks.jar org.diffeo4j.bench.Summary "$json" | tee "${json%.json}.md"
done
