#!/usr/bin/env bash
# Runs every benchmark of bench/ in turn: the archive benchmark (bench/archive/run.sh, which writes
# docs/performance-archive-results.md and docs/performance-archive.svg) and the sidecar's
# (bench/sidecar/bench.py when present, else bench/sidecar/done-when.sh).
# The environment of each script passes through (RUNS, SIZES, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== archive: bench/archive/run.sh"
bench/archive/run.sh
if [ -f bench/sidecar/bench.py ]; then
  echo "== sidecar: bench/sidecar/bench.py"
  python3 bench/sidecar/bench.py
elif [ -x bench/sidecar/done-when.sh ]; then
  echo "== sidecar: bench/sidecar/done-when.sh"
  bench/sidecar/done-when.sh
fi
