#!/bin/bash
# Interleaved epochs with and without augmentation; NEW = this branch's jar (overlap), OLD = before (sequential).
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
