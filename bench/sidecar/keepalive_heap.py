#!/usr/bin/env python3
"""The sidecar's live heap when a token holder leaves many connections kept alive after a fetch.

The JDK HTTP server grows a connection's output buffer to twice the largest write it was handed
and keeps it for the connection's life, so what one slice costs is what CONNECTIONS idle
connections hold. For each variant (as in serve_cpu.py: LABEL:JAR[:JVM_ARGS]) this starts the
sidecar with sidecar-emitter/jvm.options, moves a hard link of FILE into its dump directory, then
opens CONNECTIONS connections one after another, each fetching RANGE bytes with the dump's token
(a Range GET, read whole) and then left open and idle. After 3 s it forces a full GC
(jcmd GC.run) and reads the heap in use (jcmd GC.heap_info): the live heap, against -Xmx24m.

Prints one JSON line per variant: KEEPALIVE_HEAP {json}.
Usage: bench/sidecar/keepalive_heap.py FILE --variant LABEL:JAR[:JVM_ARGS] [--variant ...]
                                       [--connections 127] [--range 65536]
Python 3 standard library and the JDK's jcmd; loopback only.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, SidecarRun, kib, parse_variant  # noqa: E402


def heap_used_kib(jcmd, pid):
    out = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True,
                         timeout=30).stdout
    return sum(int(k) for k in re.findall(r"total \d+K, used (\d+)K", out))


def range_get(port, path, token, first, length):
    """One kept-alive GET of a range, read whole; returns the open socket and the status."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: sidecar\r\nAuthorization: Bearer {token}\r\n"
               f"Range: bytes={first}-{first + length - 1}\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return s, "closed"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    want = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
    while len(body) < want:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return s, head.split(b" ")[1].decode()


def run_once(java, jvm_options, variant, path, connections, length):
    sockets = []
    with SidecarRun(java, jvm_options, variant, "keepalive-heap-") as run:
        sidecar, port, label = run.process, run.port, run.label
        try:
            data = run.move_in(path, "java_pid4343.hprof")
            url_path = "/" + data["fetch"]["url"].split("/", 3)[3]
            statuses = {}
            for i in range(connections):
                s, status = range_get(port, url_path, data["fetch"]["token"], i * length, length)
                sockets.append(s)
                statuses[status] = statuses.get(status, 0) + 1
            time.sleep(3)
            alive = sidecar.poll() is None
            row = {"label": label, "connections": connections, "range": length,
                   "statuses": statuses, "alive": alive, "exit": sidecar.returncode}
            if alive:
                jcmd = os.path.join(os.path.dirname(java), "jcmd")
                subprocess.run([jcmd, str(sidecar.pid), "GC.run"], capture_output=True, timeout=30)
                row["live_heap_mib"] = round(heap_used_kib(jcmd, sidecar.pid) / 1024, 1)
                row["vm_hwm_mib"] = round(kib(f"/proc/{sidecar.pid}/status", "VmHWM") / 1024, 1)
            return row
        finally:
            for s in sockets:
                s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("file")
    p.add_argument("--variant", type=parse_variant, action="append", required=True,
                   metavar="LABEL:JAR[:JVM_ARGS]")
    p.add_argument("--connections", type=int, default=127,
                   help="kept-alive connections; DUMPFLOW_MAX_CONNECTIONS is 128 by default")
    p.add_argument("--range", type=int, default=65536, help="bytes fetched on each connection")
    p.add_argument("--java", default=None, help="java launcher (default: bin/jdk25's)")
    p.add_argument("--jvm-options", default=os.path.join(ROOT, "sidecar-emitter/jvm.options"))
    a = p.parse_args()
    java = a.java or os.path.join(
        subprocess.check_output([os.path.join(ROOT, "bin/jdk25")], text=True).strip(), "bin/java")
    for variant in a.variant:
        row = run_once(java, a.jvm_options, variant, a.file, a.connections, a.range)
        print("KEEPALIVE_HEAP " + json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
