#!/usr/bin/env bash
# Archive benchmark (issue 9): in one run, side by side on the same real HPROFs (~1 GiB and ~4 GiB,
# written by a JVM, cached in bench/out/):
#   zstd -1 -T2 FILE -o /dev/null;  zip -6 (the hand-written sidecar script's approach);
#   dumpflow end to end: the real sidecar jar announces the dump (dump.closed) and serves it, the
#   packaged function (-Xmx256m) archives it into S3Proxy (its own process), with the heap analysis
#   and, in a second function process, without it, and in a third with the analysis and the
#   redaction mode strings (issue 21: redaction costs at most 15 % of the throughput);
# with the compression ratios and the CPU seconds of every process. Results are appended to
# bench/out/archive-results.jsonl; bench/archive/report.py turns them into
# docs/performance-archive-results.md and docs/performance-archive.svg.
#
# Usage: bench/archive/run.sh
#   RUNS=3            runs (default 1)
#   SIZES="1g 4g"     which dumps (1g ~ heap of 700 MiB, 4g ~ heap of 2800 MiB)
#   ZIP_SIZES="1g"    which dumps zip -6 also compresses (ZIP_SIZES= for none) (24 MB/s: 4g alone takes ~3 minutes)
#   BUILD=1           rebuild the jars even if present
#   FUNCTION_OPTS=".." extra JVM options of the functions (e.g. a flight recording)
#   S3PROXY_OPTS=".."  extra JVM options of S3Proxy (e.g. a flight recording)
#   FUNCTION_PROPS=".." extra -D properties of the functions (e.g. -Ddumpflow.upload.concurrency=2)
#   REPORT=0          do not run report.py at the end
#   WARMUP=FILE       the first dump each fresh function archives, timed apart (bench/out/heap-64m.hprof)
#   COMPARE_APP=DIR   also archive with a third function ("compare", analysis on) started from another
#                     build's quarkus-app directory, side by side (e.g. the build before a change)
#   COMPARE_PROPS=".." extra -D properties of that third function only
# Also, per dump, the anchor of issue 23 (bench/archive/baseline.py): zstd -1 -T2 -c FILE piped into
# boto3's multipart upload (16 MiB parts, 4 threads) into the same S3Proxy, and that upload alone.
# Needs: JDK 25, zstd, zip (apt-get install zstd zip), python3 with boto3 (python3-boto3).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
JAVA_HOME=$(bin/jdk25) || exit 1
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
for tool in zstd zip python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install $tool" >&2; exit 1; }
done
python3 -c 'import boto3' 2>/dev/null || { echo "boto3 is needed: apt-get install python3-boto3" >&2; exit 1; }
RUNS=${RUNS:-1}
SIZES=${SIZES:-1g 4g}
ZIP_SIZES=${ZIP_SIZES-1g}
OUT=$ROOT/bench/out
RESULTS=$OUT/archive-results.jsonl
FUNCTIONS_JAR=functions/target/quarkus-app/quarkus-run.jar
SIDECAR_JAR=sidecar-emitter/target/dumpflow-sidecar.jar
S3_LIB=local-stack/target/s3proxy
mkdir -p "$OUT"

if [ "${BUILD:-0}" = 1 ] || [ ! -f "$FUNCTIONS_JAR" ] || [ ! -f "$SIDECAR_JAR" ]; then
  echo "building the functions and the sidecar..."
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl functions,sidecar-emitter -am
fi
if [ ! -d "$S3_LIB" ]; then
  echo "fetching S3Proxy's classpath into $S3_LIB..."
  ./mvnw -B -q -f local-stack/pom.xml dependency:copy-dependencies
fi

# A small real HPROF warms both functions up (class loading, JIT, S3 connections) before run 1; it
# is also the first event of a fresh process, timed apart (WARMUP=FILE to time another file).
warmup="${WARMUP:-$OUT/heap-64m.hprof}"
[ -s "$warmup" ] || bench/gen-hprof.sh 64 "$warmup"
dumps_json=""
for size in $SIZES; do
  case "$size" in
    1g) heap=700 ;;
    4g) heap=2800 ;;
    *) echo "SIZES: 1g or 4g, not $size" >&2; exit 2 ;;
  esac
  file="$OUT/heap-$size.hprof"
  [ -s "$file" ] || bench/gen-hprof.sh "$heap" "$file"
  zip=false
  case " $ZIP_SIZES " in *" $size "*) zip=true ;; esac
  dumps_json+="${dumps_json:+,}{\"path\":\"$file\",\"zip\":$zip}"
done

work=$(mktemp -d "$OUT/run-XXXXXX")
pids=()
stop_all() {
  local p
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$work/s3" "$work/dumps" "$work/staging" "$work"/*.zst
}
trap stop_all EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_for_port() { # port pid name
  local deadline=$((SECONDS + 120))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited; see $work/$3.log" >&2; tail -20 "$work/$3.log" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "$3 did not listen on $1" >&2; exit 1; }
    sleep 0.2
  done
}

# Throwaway credentials of this loopback S3 server only.
ACCESS=bench-access-key
SECRET=bench-secret-key
BUCKET=dumpflow-bench
mkdir -p "$work/s3/$BUCKET" "$work/dumps" "$work/staging" "$work/sidecar-state"
S3_PORT=$(free_port)
cat >"$work/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS
s3proxy.credential=$SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3
EOF
"$JAVA" ${S3PROXY_OPTS:-} -Dlogback.configurationFile="$ROOT/local-stack/logback.xml" -cp "$S3_LIB/*" \
  org.gaul.s3proxy.Main --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
s3_pid=$!
pids+=("$s3_pid")
wait_for_port "$S3_PORT" "$s3_pid" s3proxy

start_function() { # name analysis(true|false) [app dir] [-D properties]; sets fn_pid and fn_port
  local port
  port=$(free_port)
  # shellcheck disable=SC2086
  "$JAVA" -Xmx256m --enable-native-access=ALL-UNNAMED ${FUNCTION_OPTS:-} \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Ddumpflow.bucket="$BUCKET" -Ddumpflow.analysis.enabled="$2" -Ddumpflow.kubernetes.enabled=false \
    -Dquarkus.s3.endpoint-override="http://127.0.0.1:$S3_PORT" -Dquarkus.s3.path-style-access=true \
    -Dquarkus.s3.aws.region=us-east-1 -Dquarkus.s3.aws.credentials.type=static \
    -Dquarkus.s3.aws.credentials.static-provider.access-key-id="$ACCESS" \
    -Dquarkus.s3.aws.credentials.static-provider.secret-access-key="$SECRET" \
    ${FUNCTION_PROPS:-} ${4:-} -jar "${3:-$FUNCTIONS_JAR}" >"$work/$1.log" 2>&1 &
  fn_pid=$!
  fn_port=$port
  pids+=("$fn_pid")
  wait_for_port "$port" "$fn_pid" "$1"
}
start_function analysis true
analysis_pid=$fn_pid analysis_port=$fn_port
start_function plain false
plain_pid=$fn_pid plain_port=$fn_port
# Redaction is global here: the local stack's way, without a cluster to hold annotations.
start_function redacted true "" -Ddumpflow.redaction.mode=strings
redacted_pid=$fn_pid redacted_port=$fn_port
compare_json=""
if [ -n "${COMPARE_APP:-}" ]; then
  start_function compare true "$COMPARE_APP/quarkus-run.jar" "${COMPARE_PROPS:-}"
  compare_json=",{\"name\": \"compare\", \"analysis\": true, \"pid\": $fn_pid, \"port\": $fn_port}"
fi
# The scripted baseline's credentials: this loopback server's throwaway ones.
export AWS_ACCESS_KEY_ID=$ACCESS AWS_SECRET_ACCESS_KEY=$SECRET

SINK_PORT=$(free_port)
SIDECAR_PORT=$(free_port)
# The memory watch is pointed at no process: this benchmark is about the dump's bytes.
env K_SINK="http://127.0.0.1:$SINK_PORT/" DUMPFLOW_DUMP_DIRS="$work/dumps" \
  DUMPFLOW_PORT="$SIDECAR_PORT" DUMPFLOW_ADVERTISE_HOST=127.0.0.1 \
  DUMPFLOW_STATE_DIR="$work/sidecar-state" DUMPFLOW_PROCESS_MATCH='no-process-matches-this-dumpflow-bench' \
  POD_NAMESPACE=bench POD_NAME=bench-app-1 POD_UID=bench CONTAINER_NAME=app NODE_NAME=bench \
  "$JAVA" @sidecar-emitter/jvm.options -jar "$SIDECAR_JAR" >"$work/sidecar.log" 2>&1 &
sidecar_pid=$!
pids+=("$sidecar_pid")
wait_for_port "$SIDECAR_PORT" "$sidecar_pid" sidecar

bench_id=$(date -u +%Y%m%dT%H%M%SZ)
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $("$JAVA" -version 2>&1 | head -1), $(zstd --version | head -1), $(zip -v | sed -n 2p | xargs)"
echo "$machine; logs in $work"
for run in $(seq 1 "$RUNS"); do
  echo "run $run/$RUNS, uptime:$(uptime)"
  cat >"$work/config.json" <<EOF
{"bench": "$bench_id", "run": $run, "machine": "${machine//\"/}", "sink_port": $SINK_PORT,
 "dumps": "$work/dumps", "staging": "$work/staging", "scratch": "$work",
 "s3_dumps_prefix": "$work/s3/$BUCKET/dumps", "s3_bucket_dir": "$work/s3/$BUCKET",
 "s3_endpoint": "http://127.0.0.1:$S3_PORT", "bucket": "$BUCKET",
 "sidecar_pid": $sidecar_pid, "s3proxy_pid": $s3_pid,
 "functions": [{"name": "analysis", "analysis": true, "pid": $analysis_pid, "port": $analysis_port},
               {"name": "plain", "analysis": false, "pid": $plain_pid, "port": $plain_port},
               {"name": "redacted", "analysis": true, "redaction": "strings",
                "pid": $redacted_pid, "port": $redacted_port}$compare_json],
 "warmup": "$( [ "$run" = 1 ] && echo "$warmup" )",
 "dumps_to_run": [$dumps_json]}
EOF
  python3 bench/archive/drive.py "$work/config.json" "$RESULTS"
done
for name in analysis plain redacted ${COMPARE_APP:+compare}; do
  if grep -q OutOfMemoryError "$work/$name.log"; then echo "OutOfMemoryError in $work/$name.log" >&2; exit 1; fi
done
[ "${REPORT:-1}" = 0 ] || python3 bench/archive/report.py "$RESULTS"
