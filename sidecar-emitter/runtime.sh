#!/usr/bin/env bash
# Builds the sidecar's runtime: a jlinked JRE with only the modules the sidecar uses. The
# Containerfile runs it; run it locally to check or to measure it:
#   sidecar-emitter/runtime.sh "$(bin/jdk25)" /tmp/sidecar-runtime
#   bench/sidecar/bench.py --java /tmp/sidecar-runtime/jre/bin/java --jvm-arg=-Xint --jvm-arg=-Xshare:off
# Modules: what `jdeps --ignore-missing-deps --print-module-deps` prints for the jar.
# No CDS archive and no AOT cache: the image runs with -Xshare:off, which keeps the sidecar's peak
# RSS lowest (docs/performance.md, "Sidecar").
set -euo pipefail
jdk=$1 out=$2
modules=java.base,java.logging,jdk.attach,jdk.httpserver

rm -rf "$out/jre"
mkdir -p "$out"
# No --compress: a compressed modules image is inflated into memory (about 4 MiB more RSS).
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$out/jre"
# The runtime's default CDS archive is never mapped (-Xshare:off): leave it out of the image.
find "$out/jre/lib/server" -name '*.jsa' -delete
echo "runtime in $out/jre ($(du -sh "$out/jre" | cut -f1))"
