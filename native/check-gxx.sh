#!/usr/bin/env bash
# Decides at `mvn validate` whether the native library can be built here: g++ looked up on the PATH
# (not at a fixed file) and a linux-x86_64 machine. Exit 0: build it. Exit 3: skip it — NOT_BUILT.txt
# with the reason goes into the jar (the native backend reports it at run time, `auto` picks java)
# and the build prints one warning line. Usage: check-gxx.sh CLASSES_DIR/org/diffeo4j/cpu
set -euo pipefail
out="${1:?usage: check-gxx.sh OUTPUT_DIR}"
mkdir -p "$out"
reason=""
if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
    reason="the native library is built for linux-x86_64 only, this build ran on $(uname -s)/$(uname -m)"
elif ! command -v g++ >/dev/null 2>&1; then
    reason="g++ was not on the PATH when this jar was built"
fi
if [[ -n "$reason" ]]; then
    rm -rf "$out/linux-x86_64"
    echo "$reason" > "$out/NOT_BUILT.txt"
    echo "[WARNING] diffeo4j native: not built: $reason (the java backend is used; install g++ and rebuild for the native one)" >&2
    exit 3
fi
rm -f "$out/NOT_BUILT.txt"
