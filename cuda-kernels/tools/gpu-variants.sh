#!/usr/bin/env bash
# On the GPU machine: times each kernel variant of tools/build-variants.sh (32x32x3 c15 bilinear
# deform, batch 65536; 32x32 c15 synthesis) by putting its directory first on the class path.
set -uo pipefail
here=.device
out=${OUT:-/tmp/out}
mkdir -p "$out"
cp=$(printf '%s:' "$here"/lib/*.jar "$here"/classes/*/); cp=${cp%:}:cli/src/main/resources # see device-bundle.sh
for v in jar "$here"/variants/*/; do
    name=$(basename "$v") # "jar": the kernels as built by build-kernels.sh
    echo "== variant $name"
    "$here/jre/bin/java" -cp "${v#jar}:$cp" org.openjdk.jmh.Main "\\.(DeformBenchmark|FieldBenchmark)" -p backend=cuda \
        -p size=32 -p channels=3 -p cut=15 -p batch=65536 -f 1 -wi 2 -w 1 -i 3 -r 1 \
        -rf json -rff "$out/variant-$name.json" 2>&1 | grep -E ':images +cuda|Exception|Error' | head -6
done
