#!/usr/bin/env bash
# Writes a real HPROF of about SIZE_MIB from a JVM that holds a service-like heap.
#   bench/gen-hprof.sh 1024 bench/out/heap-1g.hprof
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:?size in MiB}; out=${2:?output file}
JAVA_HOME=$(bin/jdk25); export JAVA_HOME
mkdir -p "$(dirname "$out")"; rm -f "$out"
log=$(mktemp)
"$JAVA_HOME/bin/java" -Xmx$((size * 3 + 512))m -XX:+UseParallelGC bench/HeapFiller.java "$size" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 600); do grep -q READY "$log" && break; sleep 0.5; kill -0 $pid || { cat "$log"; exit 1; }; done
grep READY "$log"
"$JAVA_HOME/bin/jcmd" "$pid" GC.heap_dump "$(realpath -m "$out")" >/dev/null
ls -l "$out"
