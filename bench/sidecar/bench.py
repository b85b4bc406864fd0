#!/usr/bin/env python3
"""Sidecar figures for docs/performance.md: dump closed -> event latency, idle RSS and idle CPU.

Starts the packaged sidecar (java @sidecar-emitter/jvm.options -jar sidecar-emitter/target/
dumpflow-sidecar.jar) with a CloudEvents receiver on loopback as K_SINK, writes DUMPS heap-dump
files of SIZE_MIB each in 256 KiB chunks (flushed, with short pauses, then a real close), and
times each close against the arrival of its dump.closed event. Each dump is then fetched with its
token and deleted, as the archive function would. Then the sidecar stays idle for IDLE seconds:
CPU is utime+stime over that window, RSS is read at its end (VmRSS of /proc/<pid>/status, and
Pss_Anon of /proc/<pid>/smaps_rollup: the private memory a pod's limit really pays for).

The last line is one machine-readable summary: SIDECAR_BENCH {json}.

Build the jar first: ./mvnw -B -o -pl sidecar-emitter -am package -DskipTests
Usage: bench/sidecar/bench.py [--java JAVA] [--jvm-options FILE] [--jar JAR] [--dumps 10]
                              [--size-mib 4] [--pause-ms 10] [--idle 60] [--jvm-arg ARG ...]
Python 3 standard library only; loopback only, random ports, every wait bounded.
"""
import argparse
import http.server
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHUNK = 256 * 1024


class Receiver(http.server.ThreadingHTTPServer):
    """Records the arrival time (time.time()) and data of every binary-mode event."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.events = []
        self.lock = threading.Condition()

    def wait_for(self, file_name, timeout):
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for at, headers, data in self.events:
                    if data.get("fileName") == file_name:
                        return at, headers, data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no event for {file_name} within {timeout} s")
                self.lock.wait(left)


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        at = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items() if k.lower().startswith("ce-")}
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            data = {"unparsable": body.decode("utf-8", "replace")}
        with self.server.lock:
            self.server.events.append((at, headers, data))
            self.server.lock.notify_all()
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sidecar exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"sidecar not healthy within {timeout} s")


def wait_started(log_path, process, timeout=60):
    """Waits for the sidecar's 'sidecar started' line, as /healthz's 200 does since 2026-12-07
    (before, /healthz answered while the dump-directory watcher was not up yet, and a dump written
    in between was timed against start-up, not emission); kept for jars from before."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sidecar exited with {process.returncode}")
        with open(log_path, "rb") as f:
            if b"sidecar started" in f.read():
                return
        time.sleep(0.05)
    raise TimeoutError(f"sidecar not started within {timeout} s")


def write_dump(path, size_mib, pause_s):
    """Writes an HPROF-looking file in chunks, as a JVM does, and returns the close time."""
    chunk = os.urandom(CHUNK)
    with open(path, "wb") as f:
        f.write(b"JAVA PROFILE 1.0.2\0")
        for _ in range(size_mib * 1024 * 1024 // CHUNK):
            f.write(chunk)
            f.flush()
            if pause_s:
                time.sleep(pause_s)
    return time.time()


def fetch_and_delete(data):
    fetch = data["fetch"]
    auth = {"Authorization": "Bearer " + fetch["token"]}
    with urllib.request.urlopen(urllib.request.Request(fetch["url"], headers=auth), timeout=30) as r:
        while r.read(1 << 20):
            pass
    request = urllib.request.Request(fetch["url"], headers=auth, method="DELETE")
    with urllib.request.urlopen(request, timeout=30):
        pass


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def kib(path, key):
    with open(path) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None



class SidecarRun:
    """One sidecar from VARIANT (label, jar, JVM arguments) watching a fresh dumps directory, with a
    receiver for its events; stopped, and its directory removed, on leaving the block."""

    def __init__(self, java, jvm_options, variant, prefix):
        self.label, jar, *jvm_args = variant
        self.receiver = Receiver()
        threading.Thread(target=self.receiver.serve_forever, daemon=True).start()
        self.work = tempfile.mkdtemp(prefix=prefix)
        self.dumps = os.path.join(self.work, "dumps")
        os.makedirs(self.dumps)
        self.port = free_port()
        env = dict(os.environ,
                   K_SINK=f"http://127.0.0.1:{self.receiver.server_address[1]}/",
                   DUMPFLOW_DUMP_DIRS=self.dumps, DUMPFLOW_PORT=str(self.port),
                   DUMPFLOW_ADVERTISE_HOST="127.0.0.1", POD_NAMESPACE="shop",
                   POD_NAME="checkout-1", CONTAINER_NAME="app")
        self.log = open(os.path.join(self.work, "sidecar.log"), "wb")
        self.process = subprocess.Popen([java, "@" + jvm_options, *jvm_args, "-jar", jar],
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def __enter__(self):
        try:
            wait_healthy(self.port, self.process)
            wait_started(self.log.name, self.process)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def move_in(self, path, name):
        """Moves FILE in as NAME (IN_MOVED_TO), as a dump renamed into place: a hard link where the
        file system allows one, so that FILE is neither copied nor touched. The dump.closed data."""
        staged = os.path.join(self.work, name)
        try:
            os.link(path, staged)
        except OSError:
            shutil.copyfile(path, staged)
        os.rename(staged, os.path.join(self.dumps, name))
        return self.receiver.wait_for(name, timeout=30)[2]

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.receiver.shutdown()
        self.log.close()
        shutil.rmtree(self.work, ignore_errors=True)
        return False


def parse_variant(text):
    """LABEL:JAR[:JVM_ARGS], the JVM arguments separated by spaces (they may hold colons)."""
    label, jar, *args = text.split(":", 2)
    return [label, jar, *(args[0].split() if args else [])]

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--java", default=None, help="java launcher (default: bin/jdk25's)")
    p.add_argument("--jvm-options", default=os.path.join(ROOT, "sidecar-emitter/jvm.options"))
    p.add_argument("--jar", default=os.path.join(ROOT, "sidecar-emitter/target/dumpflow-sidecar.jar"))
    p.add_argument("--jvm-arg", action="append", default=[], help="extra JVM argument")
    p.add_argument("--dumps", type=int, default=10)
    p.add_argument("--size-mib", type=int, default=4)
    p.add_argument("--pause-ms", type=float, default=10,
                   help="pause after each 256 KiB chunk (0: write as fast as the disk takes it, as"
                   " a JVM writes a large dump)")
    p.add_argument("--idle", type=int, default=60)
    p.add_argument("--label", default="")
    p.add_argument("--nmt", action="store_true",
                   help="run with -XX:NativeMemoryTracking=summary and print jcmd's summary after the"
                   " idle window (NMT itself costs some memory: compare RSS without it)")
    a = p.parse_args()
    java = a.java or os.path.join(
        subprocess.check_output([os.path.join(ROOT, "bin/jdk25")], text=True).strip(), "bin/java")
    if not os.path.isfile(a.jar):
        sys.exit(f"no {a.jar}: ./mvnw -B -o -pl sidecar-emitter -am package -DskipTests")

    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    work = tempfile.mkdtemp(prefix="sidecar-bench-")
    dumps = os.path.join(work, "dumps")
    os.makedirs(dumps)
    port = free_port()
    env = dict(os.environ,
               K_SINK=f"http://127.0.0.1:{receiver.server_address[1]}/",
               DUMPFLOW_DUMP_DIRS=dumps, DUMPFLOW_PORT=str(port),
               DUMPFLOW_ADVERTISE_HOST="127.0.0.1", POD_NAMESPACE="shop",
               POD_NAME="checkout-1", CONTAINER_NAME="app")
    nmt = ["-XX:NativeMemoryTracking=summary"] if a.nmt else []
    command = [java, "@" + a.jvm_options, *a.jvm_arg, *nmt, "-jar", a.jar]
    log = open(os.path.join(work, "sidecar.log"), "wb")
    started = time.monotonic()
    sidecar = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(port, sidecar)
        wait_started(log.name, sidecar)
        print(f"sidecar pid {sidecar.pid} started after {time.monotonic() - started:.2f} s; "
              f"{' '.join(command)}", flush=True)
        latencies = []
        for i in range(a.dumps):
            name = f"java_pid{4000 + i}.hprof"
            closed = write_dump(os.path.join(dumps, name), a.size_mib, a.pause_ms / 1000)
            at, _, data = receiver.wait_for(name, timeout=15)
            latencies.append((at - closed) * 1000)
            print(f"{name}: closed -> event {latencies[-1]:.0f} ms", flush=True)
            fetch_and_delete(data)
        hz = os.sysconf("SC_CLK_TCK")
        t0 = ticks(sidecar.pid)
        time.sleep(a.idle)
        cpu = 100 * (ticks(sidecar.pid) - t0) / hz / a.idle
        rss = kib(f"/proc/{sidecar.pid}/status", "VmRSS")
        pss_anon = kib(f"/proc/{sidecar.pid}/smaps_rollup", "Pss_Anon")
        if a.nmt:
            jcmd = os.path.join(os.path.dirname(java), "jcmd")
            print(subprocess.run([jcmd, str(sidecar.pid), "VM.native_memory", "summary"],
                                 capture_output=True, text=True, timeout=30).stdout, flush=True)
        with open("/proc/loadavg") as f:
            load = float(f.read().split()[0])
        threads = len(os.listdir(f"/proc/{sidecar.pid}/task"))
        types = {}
        for _, headers, _ in receiver.events:
            types[headers.get("ce-type")] = types.get(headers.get("ce-type"), 0) + 1
        summary = {
            "label": a.label, "dumps": a.dumps, "size_mib": a.size_mib,
            "close_to_event_ms_median": round(statistics.median(latencies)) if latencies else None,
            "close_to_event_ms_max": round(max(latencies)) if latencies else None,
            "events_by_type": types, "idle_s": a.idle,
            "rss_kib": rss, "rss_mib": round(rss / 1024, 1),
            "pss_anon_kib": pss_anon, "idle_cpu_pct": round(cpu, 3), "threads": threads,
            "loadavg_1m": load,
            "java": java, "jvm_options": os.path.relpath(a.jvm_options, ROOT),
            "jvm_args": a.jvm_arg,
        }
        print("SIDECAR_BENCH " + json.dumps(summary), flush=True)
    finally:
        sidecar.send_signal(signal.SIGTERM)
        try:
            sidecar.wait(timeout=20)
        except subprocess.TimeoutExpired:
            sidecar.kill()
        receiver.shutdown()
        log.close()
        if os.environ.get("KEEP") is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")


if __name__ == "__main__":
    main()
