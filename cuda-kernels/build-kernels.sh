#!/usr/bin/env bash
# Compiles every src/main/cuda/*.cu to PTX and to a fatbin (SASS for sm_80 and sm_90, plus
# compute_80 PTX for later GPUs to JIT) into the jar's resources. Run by Maven (generate-resources);
# by hand: cuda-kernels/build-kernels.sh OUTPUT_DIR.
#
# -fmad=false: no a*b+c contracted into an FMA, so the kernels round as the Java and native backends.
# Without nvcc the module still builds: the jar carries NOT_BUILT.txt instead, the cuda backend
# reports "kernels not built" at run time, and this script says so loudly.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/src/main/cuda"
out="${1:?usage: build-kernels.sh OUTPUT_DIR}"
mkdir -p "$out"
nvcc="${NVCC:-nvcc}"
if ! command -v "$nvcc" >/dev/null 2>&1; then
    rm -f "$out"/*.ptx "$out"/*.fatbin "$out"/BUILT.txt
    echo "nvcc was not found on the PATH when this jar was built" > "$out/NOT_BUILT.txt"
    echo "[WARNING] diffeo4j cuda-kernels: kernels not built: nvcc not found on the PATH (the cuda backend will report this at run time; install the CUDA toolkit or set NVCC)" >&2
    exit 0
fi
rm -f "$out/NOT_BUILT.txt"
# -lineinfo: source lines for Nsight Compute, no effect on the code generated
flags=(-std=c++17 -O3 -fmad=false -lineinfo -I "$src")
built=0
for cu in "$src"/*.cu; do
    name="$(basename "$cu" .cu)"
    # rebuild when the kernel or any header is newer than its outputs
    if [[ -f "$out/$name.fatbin" && -f "$out/$name.ptx" ]] &&
        [[ -z "$(find "$src" -newer "$out/$name.fatbin" \( -name "$name.cu" -o -name '*.cuh' \) -print -quit)" ]]; then
        continue
    fi
    "$nvcc" "${flags[@]}" -ptx -arch=compute_80 "$cu" -o "$out/$name.ptx"
    "$nvcc" "${flags[@]}" -fatbin \
        -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
        -gencode arch=compute_80,code=compute_80 "$cu" -o "$out/$name.fatbin"
    built=$((built + 1))
done
"$nvcc" --version | tail -n 2 > "$out/BUILT.txt"
echo "diffeo4j cuda-kernels: $built kernel file(s) compiled, $(ls "$out"/*.fatbin | wc -l) fatbin(s) in $out ($(tail -n 1 "$out/BUILT.txt"))"
