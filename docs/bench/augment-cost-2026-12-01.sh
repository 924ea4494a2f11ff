#!/bin/bash
# Interleaved epochs with and without augmentation (docs/BENCHMARKS.md, "Cost in a training epoch").
# NEW = a copy of cli/target built at commit 60a1b08 (worker thread, 256 images per call, backend draws);
# OLD = a copy of cli/target built from this branch before its first commit, before the overlap: training's
#       augmentation exactly as on main (sequential, native backend with 2 threads, batches of 64).
# Copies, so that rebuilding the checkout does not change the jars under measurement.
# Summarised by docs/bench/augment-cost-2026-12-01.txt (per (arch, augment, build, epoch): (rep, seconds, augment_seconds)).
NEW=/tmp/cost-cli/diffeo.jar; OLD=/tmp/fig12-cli/diffeo.jar
M=/work/shared/data/mnist
for rep in 1 2 3 4 5; do
  for cfg in "lenet 8000 4" "resnet 4096 2"; do
    set -- $cfg
    for arm in none:$NEW diffeo:$NEW diffeo:$OLD; do
      aug=${arm%%:*}; jar=${arm#*:}; tag=$( [ $jar = $OLD ] && echo old || echo new )
      [ $1 = resnet ] && [ $tag = old ] && continue
      [ $1 = resnet ] && [ $rep -gt 3 ] && continue
      out=/tmp/cost/$1-$aug-$tag-$rep; rm -rf $out
      echo "$(date +%T) load $(cut -d' ' -f1 /proc/loadavg) $1 $aug $tag rep $rep"
      java -jar $jar train --arch $1 --data $M/train-images-idx3-ubyte.gz --test $M/t10k-images-idx3-ubyte.gz \
        --train-size $2 --epochs $3 --augment $aug --threads 2 --out $out > /dev/null 2>&1
    done
  done
done
echo "$(date +%T) load $(cut -d' ' -f1 /proc/loadavg) done"
