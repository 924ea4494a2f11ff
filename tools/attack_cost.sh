#!/usr/bin/env bash
# The cost of diffeo attack (issue 22; docs/BENCHMARKS.md, "diffeo attack"):
#  1. derivative-free on the bundled LeNet (ONNX): 500 probes, c = 3, delta = 1, the default 3 restarts x
#     10 steps, 2 threads; wall and CPU seconds of the whole command (JVM start included) and the phases and
#     model evaluations attack.json records;
#  2. gradient on a resnet of diffeo train (RESNET_DIR, e.g. /tmp/rn/model from README's train example):
#     PROBES probes, same cell; the attack's forward+backward images and their time (attack.json), then
#     PyTorch's twin of the architecture running the same number of forward+backward passes to the input
#     in the same batches (tools/torch_attack_speed.py), and the ratios of the attack's whole time and of
#     its passes to PyTorch's passes, wall and CPU.
# Usage: tools/attack_cost.sh [RESNET_DIR] [PROBES] [JAR]   (build first: ./mvnw -pl cli -am package -DskipTests;
#        without RESNET_DIR only part 1; PyTorch from /usr/bin/python3)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
resnet=${1:-}; probes=${2:-500}; jar=${3:-$root/cli/target/diffeo.jar}
data=${DIFFEO4J_SHARED:-$root/../shared}/data/mnist/t10k-images-idx3-ubyte.gz
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/diffeo.jar"; cp -r "$(dirname "$jar")/lib" "$work/lib"   # rebuilding the checkout cannot change what is measured
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
echo "# $(date -u '+%F %T') UTC, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(git -C "$root" rev-parse --short HEAD)"
timed() { # wall and CPU (user + sys) seconds of a command, into $work/time
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@"
}
summary() { # the attack's own record
  python3 - "$1" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); c = a["results"][0]; p = a["provenance"]; t = p["timings"]; e = p["evaluations"]
print(f"  D_f {c['typical']['D']['logmean']:.4g}, D_f* {c['worst']['D']:.4g} ({c['worst']['gain']:.1f}x), flip {c['typical']['flip_rate']:.3f} -> {c['worst']['flip_rate']:.3f},"
      f" energy error {c['energy']['max_relative_error']:.1g}")
print(f"  attack.json: total {t['total_s']:.2f} s: deform {t['deform_s']:.2f}, forward {t['forward_s']:.2f} ({e['forward_images']} images),"
      f" forward+backward {t['forward_backward_s']:.2f} ({e['forward_backward_images']} images)")
PY
}
echo "1. derivative-free, bundled LeNet (ONNX), 500 probes, c = 3, delta = 1, 3 restarts x 10 steps, --threads 2" >&2
timed java -jar "$work/diffeo.jar" attack --method derivative-free --probes 500 --cut 3 --delta 1 --threads 2 --out "$work/lenet" >/dev/null 2>&1
read -r wall user sys < "$work/time"
echo "lenet derivative-free: ${wall} s wall, $(echo "$user + $sys" | bc) s cpu (whole command)"
summary "$work/lenet/attack.json"
[ -n "$resnet" ] || exit 0
echo "2. gradient, $resnet, $probes probes, c = 3, delta = 1, 3 restarts x 10 steps, --threads 2" >&2
timed java -jar "$work/diffeo.jar" attack --model "$resnet" --data "$data" --method gradient --probes "$probes" --cut 3 --delta 1 --threads 2 \
  --out "$work/resnet" >/dev/null 2>&1
read -r rwall ruser rsys < "$work/time"
echo "resnet gradient: ${rwall} s wall, $(echo "$ruser + $rsys" | bc) s cpu (whole command)"
summary "$work/resnet/attack.json"
read -r images passes total < <(python3 -c "import json; p = json.load(open('$work/resnet/attack.json'))['provenance']; \
print(p['evaluations']['forward_backward_images'], p['timings']['forward_backward_s'], p['timings']['total_s'])")
torch=$(/usr/bin/python3 "$root/tools/torch_attack_speed.py" "$data" 2 resnet "$images" 128)
echo "pytorch: $torch"
tw=$(sed -E 's/.*: ([0-9.]+) s wall.*/\1/' <<<"$torch"); tc=$(sed -E 's/.*wall, ([0-9.]+) s cpu.*/\1/' <<<"$torch")
printf 'ratio to pytorch passes (wall): attack total %.2f, attack forward+backward passes %.2f; whole command %.2f\n' \
  "$(echo "$total / $tw" | bc -l)" "$(echo "$passes / $tw" | bc -l)" "$(echo "$rwall / $tw" | bc -l)"
printf 'ratio to pytorch passes (cpu): whole command %.2f\n' "$(echo "($ruser + $rsys) / $tc" | bc -l)"
