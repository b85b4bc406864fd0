#!/usr/bin/env bash
# Archive throughput, with and without the heap analysis, against the zstd CLI, on one real HPROF
# (issue 6, "Done when"). Generates bench/out/heap-<MiB>m.hprof if it is missing (about 1.5x the
# heap size: 700 gives ~1 GiB), packages the functions and runs the benchmark of
# ArchivePackagedJarIT RUNS times; each run prints zstd, archive with analysis, archive without it,
# and the ratios (lines starting BENCH).
# Usage: bench/archive-bench.sh            (HEAP_MIB=700 RUNS=1)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bin/jdk25); export JAVA_HOME
command -v zstd >/dev/null || { echo "the zstd CLI is needed: apt-get install zstd" >&2; exit 1; }
heap=${HEAP_MIB:-700}
runs=${RUNS:-1}
dump="$PWD/bench/out/heap-${heap}m.hprof"
[ -s "$dump" ] || bench/gen-hprof.sh "$heap" "$dump"
echo "dump: $dump ($(stat -c %s "$dump") bytes); $(nproc) cores; $(uname -sr)"
for run in $(seq 1 "$runs"); do
  echo "run $run/$runs, uptime:$(uptime)"
  log="bench/out/archive-bench-$run.log"
  ./mvnw -B -o -pl functions -am verify -Dspotless.check.skip=true \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test='ArchivePackagedJarIT#benchmarks*' -Dfailsafe.failIfNoSpecifiedTests=false \
    -Ddumpflow.bench.dump="$dump" >"$log" 2>&1 || { tail -40 "$log" >&2; echo "failed: see $log" >&2; exit 1; }
  grep '^BENCH' "$log"
done
