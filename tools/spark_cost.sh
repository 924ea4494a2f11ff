#!/usr/bin/env bash
# The cost of running a study on Spark instead of locally, on this machine (docs/study.md, "cost per
# cell"): runs STUDY locally (--threads T), then on a standalone Spark cluster of one master and W
# workers (one executor of T cores each) started here on 127.0.0.1 from the spark module's jars, and
# prints both wall times and the per-unit task times the driver reports. The two cells.jsonl must
# hold the same lines (checked). Usage: tools/spark_cost.sh STUDY [W] [T]   (build first: ./diffeo -h;
# ./mvnw -B -pl spark -am package -DskipTests)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
study=$1; workers=${2:-1}; threads=${3:-2}
jar=$root/spark/target/diffeo-spark.jar
[[ -f $jar ]] || { echo "error: $jar missing (./mvnw -B -pl spark -am package -DskipTests)" >&2; exit 2; }
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/home/jars"; touch "$work/home/RELEASE"
for j in "$root"/spark/target/lib/*.jar; do ln -s "$j" "$work/home/jars/"; done
jvm=("@$root/spark/target/spark-jvm.args")   # the openings Spark needs on JDK 17 (spark/pom.xml's spark.opens)
export SPARK_HOME=$work/home SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
port=$((20000 + RANDOM % 20000))
java "${jvm[@]}" -cp "$work/home/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port $port --webui-port 0 >"$work/master.log" 2>&1 &
sleep 5
for w in $(seq "$workers"); do
  java "${jvm[@]}" -cp "$work/home/jars/*" org.apache.spark.deploy.worker.Worker spark://127.0.0.1:$port --host 127.0.0.1 \
      --cores "$threads" --memory 4g --work-dir "$work/w$w" --webui-port 0 >"$work/worker$w.log" 2>&1 &
done
sleep 5
t0=$(date +%s.%N)
java -jar "$root/cli/target/diffeo.jar" study "$study" --out "$work/local" --threads "$threads" >/dev/null 2>"$work/local.err"
t1=$(date +%s.%N)
java -Dspark.ui.enabled=false -jar "$jar" study "$study" --out "$work/spark" --engine spark --master spark://127.0.0.1:$port \
    --threads "$threads" >/dev/null 2>"$work/spark.err"
t2=$(date +%s.%N)
grep -E '^\[' "$work/spark.err" || true
cmp <(sort "$work/local/cells.jsonl") <(sort "$work/spark/cells.jsonl") && echo "cells: identical"
units=$(grep -c '^\[' "$work/spark.err")
printf 'local: %.1f s; spark (%d worker(s) x %d thread(s), %d units): %.1f s; on %s, load %s\n' \
  "$(echo "$t1 - $t0" | bc)" "$workers" "$threads" "$units" "$(echo "$t2 - $t1" | bc)" "$(date -u +%F)" "$(cut -d' ' -f1-3 /proc/loadavg)"
