#!/usr/bin/env bash
# The cost of diffeo augmentation in a training epoch (issue 15; docs/BENCHMARKS.md, "Cost in a
# training epoch"): for each repetition, the same training run (same seed, data, threads) without
# and with `--augment diffeo`, interleaved so that the machine's load hits both alike; the cost is the
# extra wall time of an epoch with over the same epoch without, pooled over epochs >= 2 (epoch 1
# holds the JIT and libtorch warm-up) and repetitions. Also prints augment_seconds / seconds.
# Usage: tools/augment_cost.sh [REPS] [JAR]   (default 5 repetitions, cli/target/diffeo.jar; build first: ./diffeo -h)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reps=${1:-5}; jar=${2:-$root/cli/target/diffeo.jar}
data=${DIFFEO4J_SHARED:-$root/../shared}/data/mnist
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/diffeo.jar"; cp -r "$(dirname "$jar")/lib" "$work/lib"   # rebuilding the checkout cannot change what is measured
echo "# $(date -u '+%F %T') UTC, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git -C "$root" rev-parse --short HEAD)"
for rep in $(seq "$reps"); do
  for cfg in "lenet 8000 4" "resnet 4096 3"; do
    set -- $cfg
    for aug in none diffeo; do
      echo "$(date +%T) load $(cut -d' ' -f1 /proc/loadavg) $1 P=$2 --augment $aug rep $rep" >&2
      java -jar "$work/diffeo.jar" train --arch "$1" --data "$data/train-images-idx3-ubyte.gz" --test "$data/t10k-images-idx3-ubyte.gz" \
        --train-size "$2" --epochs "$3" --augment "$aug" --threads 2 --out "$work/$1-$aug-$rep" >/dev/null 2>&1
    done
  done
done
python3 - "$work" "$reps" <<'PY'
import json, sys, statistics
work, reps = sys.argv[1], int(sys.argv[2])
for arch in ("lenet", "resnet"):
    pairs, share, base, without, withaug = [], [], [], 0.0, 0.0
    for rep in range(1, reps + 1):
        a = json.load(open(f"{work}/{arch}-none-{rep}/train.json"))["epochs"]
        b = json.load(open(f"{work}/{arch}-diffeo-{rep}/train.json"))["epochs"]
        for x, y in zip(a[1:], b[1:]):
            pairs.append(y["seconds"] / x["seconds"] - 1)
            share.append(y["augment_seconds"] / y["seconds"])
            without += x["seconds"]; withaug += y["seconds"]; base.append(x["seconds"])
    print(f"{arch}: epoch without augmentation {statistics.median(base):.2f} s (median); {len(pairs)} epoch pairs; extra wall pooled {100 * (withaug / without - 1):.1f}%, median pair {100 * statistics.median(pairs):.1f}%"
          f" (range {100 * min(pairs):.0f}% .. {100 * max(pairs):.0f}%); augment_seconds/seconds median {100 * statistics.median(share):.1f}%")
PY
