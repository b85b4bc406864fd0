#!/usr/bin/env bash
# Tries the sidecar's dump path by hand, as a new user would (issue 2, "Done when"):
# the jar with the documented JVM flags, a receiver on K_SINK, a 20 MB file written in chunks with
# pauses; then checks the announcement (once, within 1 s of the close, never before), the fetch
# (byte-identical with the token; 404 with a wrong one, as for an unknown id), DELETE, and
# measures the steady RSS and idle CPU after 30 s idle. Build the jar first:
#   ./mvnw -B -o -pl sidecar-emitter -am verify
# Usage: bench/sidecar/done-when.sh   (ports: RECEIVER_PORT=18080 SIDECAR_PORT=18787; to compare
# flags: JVM_OPTIONS=<argfile>, default sidecar-emitter/jvm.options; IDLE_SECONDS=30)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="$(bin/jdk25)/bin/java"
JAR=sidecar-emitter/target/dumpflow-sidecar.jar
[ -f "$JAR" ] || { echo "build the jar first: ./mvnw -B -o -pl sidecar-emitter -am verify" >&2; exit 1; }
RPORT=${RECEIVER_PORT:-18080}
SPORT=${SIDECAR_PORT:-18787}
OPTIONS=${JVM_OPTIONS:-sidecar-emitter/jvm.options}
IDLE=${IDLE_SECONDS:-30}
work=$(mktemp -d)
dumps="$work/dumps"
mkdir -p "$dumps"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() { # wait_for <seconds> <command...>
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for: $*" >&2; return 1; }
    sleep 0.1
  done
}

"$JAVA" bench/sidecar/Receiver.java "$RPORT" >"$work/receiver.log" 2>&1 &
pids+=($!)
wait_for 30 grep -q listening "$work/receiver.log"

K_SINK="http://127.0.0.1:$RPORT/" DUMPFLOW_DUMP_DIRS="$dumps" DUMPFLOW_PORT="$SPORT" \
  DUMPFLOW_ADVERTISE_HOST=127.0.0.1 POD_NAMESPACE=shop POD_NAME=checkout-1 CONTAINER_NAME=app \
  "$JAVA" "@$OPTIONS" -jar "$JAR" >"$work/sidecar.log" 2>&1 &
spid=$!
pids+=($spid)
wait_for 30 curl -sf "http://127.0.0.1:$SPORT/healthz"
echo "sidecar up (pid $spid), dumps in $dumps"

# 20 MB in 20 chunks of 1 MiB with 0.25 s pauses; checks nothing was announced before the close.
close_ms=$(python3 - "$dumps/java_pid4242.hprof" "$work/receiver.log" <<'PY'
import os, sys, time
path, log = sys.argv[1], sys.argv[2]
with open(path, "wb") as f:
    f.write(b"JAVA PROFILE 1.0.2\0")
    for i in range(20):
        f.write(os.urandom(1 << 20)); f.flush(); time.sleep(0.25)
        if "java_pid4242.hprof" in open(log).read():
            sys.exit("announced before the close")
print(int(time.time() * 1000))
PY
)
wait_for 5 grep -q java_pid4242.hprof "$work/receiver.log"
sleep 2 # a late duplicate would arrive within this
events=$(grep -c java_pid4242.hprof "$work/receiver.log")
line=$(grep java_pid4242.hprof "$work/receiver.log" | head -1)
received_ms=$(sed -E 's/^received_at_ms=([0-9]+).*/\1/' <<<"$line")
read -r url token <<<"$(python3 -c 'import json,sys; d=json.loads(sys.argv[1].split(" data=",1)[1]); print(d["fetch"]["url"], d["fetch"]["token"])' "$line")"
echo "events for the file: $events (want 1); close -> event: $((received_ms - close_ms)) ms (want <= 1000)"
echo "event: ${line%% data=*}"

curl -sf -H "Authorization: Bearer $token" "$url" -o "$work/fetched"
cmp "$work/fetched" "$dumps/java_pid4242.hprof" && echo "fetched with the token: byte-identical"
echo "wrong token: $(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' "$url") (want 404, as for an unknown id)"
echo "unknown id: $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$SPORT/dumps/20990101T000000000Z-000000000000") (want 404)"

ticks() { awk '{print $14 + $15}' "/proc/$spid/stat"; }
sleep "$IDLE"
t0=$(ticks); sleep "$IDLE"; t1=$(ticks)
hz=$(getconf CLK_TCK)
echo "steady RSS after $IDLE s idle: $(ps -o rss= -p "$spid" | tr -d ' ') KiB" \
  "(private anon: $(awk '/^Pss_Anon/{print $2}' "/proc/$spid/smaps_rollup") KiB);" \
  "idle CPU over the next $IDLE s: $(python3 -c "print(f'{100*($t1-$t0)/$hz/$IDLE:.2f}')") % of one core"

echo "DELETE: $(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $token" "$url") (want 204)"
[ ! -e "$dumps/java_pid4242.hprof" ] && echo "file removed"
echo "GET after DELETE: $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url") (want 404)"

kill -TERM "$spid"; wait "$spid" || true
grep -q "sidecar stopped" "$work/sidecar.log" && echo "stopped cleanly on SIGTERM"
echo "logs: $work/sidecar.log $work/receiver.log"
