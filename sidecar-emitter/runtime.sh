#!/usr/bin/env bash
# Builds the sidecar's runtime: a jlinked JRE with only the modules the sidecar uses, its CDS
# archive for compact object headers, and an AOT cache (JEP 483/514) trained on one start-up and
# one dump announcement. The Dockerfile runs it; run it locally to check or to measure it:
#   sidecar-emitter/runtime.sh "$(bin/jdk25)" /tmp/sidecar-runtime \
#       sidecar-emitter/target/dumpflow-sidecar.jar sidecar-emitter/jvm.options
#   bench/sidecar/bench.py --java /tmp/sidecar-runtime/jre/bin/java \
#       --jvm-arg=-XX:AOTCache=/tmp/sidecar-runtime/sidecar.aot
# Modules: what `jdeps --ignore-missing-deps --print-module-deps` prints for the jar.
set -euo pipefail
jdk=$1 out=$2 jar=$3 options=$4
modules=java.base,java.logging,jdk.attach,jdk.httpserver

rm -rf "$out/jre"
mkdir -p "$out"
# No --compress: a compressed modules image is inflated into memory (about 4 MiB more RSS).
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$out/jre"
"$out/jre/bin/java" -XX:+UseCompactObjectHeaders -Xshare:dump >/dev/null

# Training run: start, announce one small dump to an unreachable sink, stop on SIGTERM; the JVM
# writes the cache as it exits.
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
mkdir "$train/dumps"
K_SINK=http://127.0.0.1:9/ DUMPFLOW_DUMP_DIRS="$train/dumps" DUMPFLOW_PORT=0 \
  DUMPFLOW_ADVERTISE_HOST=127.0.0.1 POD_NAMESPACE=training POD_NAME=training CONTAINER_NAME=app \
  "$out/jre/bin/java" "@$options" -XX:AOTCacheOutput="$out/sidecar.aot" -jar "$jar" \
  >"$train/log" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q "sidecar started" "$train/log" && break; sleep 0.1; done
grep -q "sidecar started" "$train/log" || { cat "$train/log" >&2; kill "$pid"; exit 1; }
printf 'JAVA PROFILE 1.0.2\0' >"$train/dumps/java_pid1.hprof"
head -c 1048576 /dev/urandom >>"$train/dumps/java_pid1.hprof"
for _ in $(seq 100); do grep -q "announcing" "$train/log" && break; sleep 0.1; done
sleep 1
kill -TERM "$pid"
wait "$pid" || true
[ -s "$out/sidecar.aot" ] || { cat "$train/log" >&2; echo "no AOT cache written" >&2; exit 1; }
echo "runtime in $out/jre ($(du -sh "$out/jre" | cut -f1)), AOT cache $out/sidecar.aot" \
  "($(du -sh "$out/sidecar.aot" | cut -f1))"
