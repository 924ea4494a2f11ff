#!/usr/bin/env bash
# Training speed of the paper's full-width nets here (DJL on libtorch, org.diffeo4j.train.TrainSpeed)
# beside the authors' PyTorch definitions (tools/torch_paper_speed.py), interleaved in the same window
# as tools/train_speed.sh: per round and net, ours then PyTorch's, and the ratios. MNIST 1x28x28, batch
# 64, Adam 1e-3 (SPEED_OPTIMIZER=sgd: the paper recipe's SGD, both sides), the second of two passes over
# 2048 images for fc-l4 and lenet-paper, 512 for the others (SPEED_PASSES=K: the last of K passes); wall
# images/s and images per CPU-second.
# Needs the authors' models/ folder (git -C /work/.mirror/leonardopetrini+diffeo-sota/repo archive HEAD
# models | tar -x -C /tmp/ds), /usr/bin/python3 with torch, and either cli/target/lib (mvn -B -q -pl cli
# -am package -DskipTests) or DIFFEO4J_CP, a classpath holding the train module and its dependencies.
# Usage: tools/paper_train_speed.sh MODELS_DIR [THREADS] [ROUNDS] [ARCH...]
set -euo pipefail
cd "$(dirname "$0")/.."
models=${1:?usage: tools/paper_train_speed.sh MODELS_DIR [THREADS] [ROUNDS] [ARCH...]}; shift
threads=${1:-1}; rounds=${2:-1}; shift $(( $# > 2 ? 2 : $# )) || true
archs=("$@"); [ ${#archs[@]} -eq 0 ] && archs=(fc-l4 lenet-paper alexnet vgg11 vgg11-bn vgg16 vgg16-bn vgg19 vgg19-bn resnet18 resnet34 resnet50 efficientnet-b0)
data=${DIFFEO4J_SHARED:-../shared}/data/mnist/train-images-idx3-ubyte.gz
[ -f "$data" ] || { echo "error: data must be the MNIST training images, found nothing at $data" >&2; exit 2; }
[ -f "$models/resnet.py" ] || { echo "error: MODELS_DIR must be the authors' models/ folder, found no resnet.py in $models" >&2; exit 2; }
cp=${DIFFEO4J_CP:-}
[ -z "$cp" ] && [ -d cli/target/lib ] && cp="cli/target/lib/*:cli/target/diffeo.jar"
[ -n "$cp" ] || { echo "error: cli/target/lib must exist (mvn -B -q -pl cli -am package -DskipTests) or DIFFEO4J_CP be set, found neither" >&2; exit 2; }
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), threads $threads, OMP_WAIT_POLICY $OMP_WAIT_POLICY, optimizer ${SPEED_OPTIMIZER:-adam}, passes ${SPEED_PASSES:-2} (last timed)"
grep -m1 'model name' /proc/cpuinfo | sed 's/^/# /'
num() { sed -E "s|.*$1.*|\\1|"; }
for r in $(seq 1 "$rounds"); do
  for a in "${archs[@]}"; do
    ours=$(java -cp "$cp" org.diffeo4j.train.TrainSpeed "$data" "$threads" "$a" 2>/dev/null | grep "^$a:")
    theirs=$(/usr/bin/python3 tools/torch_paper_speed.py "$models" "$data" "$threads" "$a" | grep "^$a:")
    o=$(num 'train ([0-9]+) img' <<<"$ours"); oc=$(num ', ([0-9]+) img/cpu-s' <<<"$ours")
    t=$(num 'train ([0-9]+) img' <<<"$theirs"); tc=$(num ', ([0-9]+) img/cpu-s' <<<"$theirs")
    printf 'round %d %-16s diffeo4j %6d img/s %6d img/cpu-s  pytorch %6d img/s %6d img/cpu-s  ratio wall %.2f cpu %.2f\n' \
      "$r" "$a" "$o" "$oc" "$t" "$tc" "$(echo "$o / $t" | bc -l)" "$(echo "$oc / $tc" | bc -l)"
  done
done
