#!/usr/bin/env bash
# Training speed of diffeo4j's engine (DJL on libtorch) beside PyTorch on the same six nets, in the
# same time window: for each architecture and round, ours then PyTorch's, and the ratio. Needs the cli
# built (mvn -B -q -pl cli -am package -DskipTests) and, for the PyTorch side, /usr/bin/python3 with
# torch (Debian: apt-get install python3-torch). SPEED_OPTIMIZER=sgd: the paper recipe's SGD on both sides;
# SPEED_PASSES=K: time the last of K passes (default 2). Usage: tools/train_speed.sh [THREADS] [ROUNDS] [ARCH...]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}; rounds=${2:-2}; shift $(( $# > 2 ? 2 : $# )) || true
archs=("$@"); [ ${#archs[@]} -eq 0 ] && archs=(fc lenet vgg vgg-bn resnet efficientnet)
data=${DIFFEO4J_SHARED:-../shared}/data/mnist/train-images-idx3-ubyte.gz
[ -f "$data" ] || { echo "error: data must be the MNIST training images, found nothing at $data" >&2; exit 2; }
[ -d cli/target/lib ] || { echo "error: cli/target/lib must exist (build: mvn -B -q -pl cli -am package -DskipTests), found none" >&2; exit 2; }
# Both engines with the same OpenMP wait policy: diffeo4j's default (PASSIVE, TorchRuntime) unless set.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
torch=1; /usr/bin/python3 -c 'import torch' 2>/dev/null || { torch=0; echo "note: no PyTorch for /usr/bin/python3: our side only" >&2; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), threads $threads, OMP_WAIT_POLICY $OMP_WAIT_POLICY, optimizer ${SPEED_OPTIMIZER:-adam}, passes ${SPEED_PASSES:-2} (last timed)"
grep -m1 'model name' /proc/cpuinfo | sed 's/^/# /'
for r in $(seq 1 "$rounds"); do
  for a in "${archs[@]}"; do
    ours=$(java -cp "cli/target/lib/*:cli/target/diffeo.jar" org.diffeo4j.train.TrainSpeed "$data" "$threads" "$a" 2>/dev/null | grep "^$a:")
    o=$(sed -E 's/.*train ([0-9]+) img.*/\1/' <<<"$ours"); oc=$(sed -E 's/.*, ([0-9]+) img\/cpu-s.*/\1/' <<<"$ours")
    # our main thread alone (leaves out the JIT compiler threads, which still work in the second pass)
    om=$(sed -E 's/.*main thread ([0-9]+) img\/cpu-s.*/\1/' <<<"$ours")
    if [ $torch = 1 ]; then
      theirs=$(/usr/bin/python3 tools/torch_arch_speed.py "$data" "$threads" "$a" | grep "^$a:")
      t=$(sed -E 's/.*train ([0-9]+) img.*/\1/' <<<"$theirs"); tc=$(sed -E 's/.*, ([0-9]+) img\/cpu-s.*/\1/' <<<"$theirs")
      printf 'round %d %-13s diffeo4j %7d img/s %7d img/cpu-s (main thread %7d)  pytorch %7d img/s %7d img/cpu-s  ratio wall %.2f cpu %.2f (main thread %.2f)  load %s\n' \
        "$r" "$a" "$o" "$oc" "$om" "$t" "$tc" "$(echo "$o / $t" | bc -l)" "$(echo "$oc / $tc" | bc -l)" "$(echo "$om / $tc" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
    else
      printf 'round %d %-13s diffeo4j %7d img/s %7d img/cpu-s (main thread %7d)\n' "$r" "$a" "$o" "$oc" "$om"
    fi
  done
done
