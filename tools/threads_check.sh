#!/usr/bin/env bash
# Does `measure --threads N` keep the model's runtime on N threads (issue 21 item 4)? Runs measure on an
# ONNX model (../shared/models/lenet_visible.onnx, ONNX Runtime) and on a DL4J model (a LeNet-shaped
# conv net written by tools/MakeDl4jNet.java, ND4J) with --threads 1 and --threads 2, and samples the
# diffeo process itself every 0.25 s from /proc/PID/stat and /proc/PID/task/*/stat (not the machine:
# other jobs share it). Per run it prints the wall and CPU time, the process's CPU% over 0.25 s
# intervals after the first WARM seconds (JVM start, class loading and JIT; median, 90th percentile,
# max), and the threads that did at least 10% of the process's CPU time after the warm-up. On a
# loaded machine the CPU% of --threads 2 stays below 200% (its threads wait for a core); the busy
# thread count does not depend on the load, and --threads 1 must never exceed ~100%.
# Usage: tools/threads_check.sh [JAR]   (default cli/target/diffeo.jar; build first: ./mvnw -o -q -pl cli -am package -DskipTests)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=${1:-$root/cli/target/diffeo.jar}
shared=${DIFFEO4J_SHARED:-$root/../shared}
warm=${WARM:-4}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
java -cp "$(dirname "$jar")/lib/*" "$root/tools/MakeDl4jNet.java" "$work/conv.zip" >/dev/null
echo "# $(date -u '+%F %T') UTC, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); jar $jar"
printf '%-5s %-7s %6s %6s %6s | %6s %6s %6s | %s\n' model threads wall_s cpu_s avg% med% p90% max% "busy threads after ${warm} s (share of CPU time)"
for cfg in "onnx $shared/models/lenet_visible.onnx 2000 30" "dl4j $work/conv.zip 500 2"; do
  set -- $cfg
  for t in 1 2; do
    python3 - "$warm" "$1" "$t" java -jar "$jar" measure --model "$2" --data "$shared/data/mnist/t10k-images-idx3-ubyte.gz" \
        --probes "$3" --realisations "$4" --backend java --threads "$t" --format json <<'PY'
import os, subprocess, sys, time, statistics
warm, name, threads, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
hz = os.sysconf("SC_CLK_TCK")
def ticks(path):
    with open(path) as f:
        s = f.read()
    comm = s[s.index("(") + 1:s.rindex(")")]
    f = s[s.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12]), comm   # utime + stime (fields 14, 15 of stat)
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t0 = time.time(); samples = []   # (t, process ticks, {tid: (ticks, comm)})
while p.poll() is None:
    try:
        tot, _ = ticks(f"/proc/{p.pid}/stat")
        tasks = {}
        for tid in os.listdir(f"/proc/{p.pid}/task"):
            try:
                tasks[tid] = ticks(f"/proc/{p.pid}/task/{tid}/stat")
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
        samples.append((time.time() - t0, tot, tasks))
    except (FileNotFoundError, ProcessLookupError, ValueError):
        break
    time.sleep(0.25)
wall = time.time() - t0
if p.returncode != 0:
    sys.exit(f"{name} --threads {threads}: measure exited {p.returncode}")
pct = [100.0 * (b[1] - a[1]) / hz / (b[0] - a[0]) for a, b in zip(samples, samples[1:]) if a[0] >= warm]
# Per thread: its ticks when first seen at or after the warm-up (0 if born later) to when last seen (threads that
# exit before the process, ONNX Runtime's pool at session close, keep what they did).
first, last = {}, {}
for t, _, tasks in samples:
    for tid, (tk, comm) in tasks.items():
        if t < warm:
            first[tid] = (tk, comm)
        else:
            first.setdefault(tid, (0, comm))
            last[tid] = (tk, comm)
work = {tid: (last[tid][0] - first[tid][0], last[tid][1]) for tid in last}
total = max(1, sum(w for w, _ in work.values()))
busy = sorted(((w, c) for w, c in work.values() if w >= 0.10 * total), reverse=True)
end = samples[-1]
q = statistics.quantiles(pct, n=10) if len(pct) >= 2 else [float("nan")] * 9
print(f"{name:5s} {threads:7s} {wall:6.1f} {end[1] / hz:6.1f} {100 * end[1] / hz / wall:6.0f} | {statistics.median(pct):6.0f} {q[8]:6.0f} {max(pct):6.0f} | "
      f"{len(busy)}: " + ", ".join(f"{c} {100 * w / total:.0f}%" for w, c in busy))
PY
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
