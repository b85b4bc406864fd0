#!/usr/bin/env python3
"""The sidecar's serving cost: CPU-seconds per GB served and peak RSS, for several builds side by side.

For each variant (a label, a jar and optional JVM arguments) and each round, starts the sidecar as
bench.py does (java @sidecar-emitter/jvm.options ... -jar JAR, a CloudEvents receiver on loopback
as K_SINK), moves a hard link of FILE into its dump directory, waits for dump.closed, then fetches
the dump FETCHES times with curl into /dev/null. CPU is utime+stime of the sidecar's process over
the fetches only (not its start-up); peak RSS is VmHWM at the end. Variants alternate within each
round, their order rotating from round to round, so that load from other work falls on all of
them. FILE is read once into the page cache first; it is never modified.

The last line is one machine-readable summary: SERVE_CPU {json}.

Usage: bench/sidecar/serve_cpu.py FILE --variant LABEL:JAR[:JVM_ARGS] [--variant ...]
                                 [--rounds 3] [--fetches 3]
Python 3 standard library and curl; loopback only.
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, SidecarRun, kib, parse_variant, ticks  # noqa: E402


def run_once(java, jvm_options, variant, path, fetches):
    with SidecarRun(java, jvm_options, variant, "serve-cpu-") as run:
        sidecar, label = run.process, run.label
        fetch = run.move_in(path, "java_pid4242.hprof")["fetch"]
        curl = ["curl", "-sS", "-f", "-o", "/dev/null", "-H", "Authorization: Bearer "
                + fetch["token"], "-w", "%{size_download}", fetch["url"]]
        with open("/proc/loadavg") as f:
            load = float(f.read().split()[0])
        hz = os.sysconf("SC_CLK_TCK")
        before = ticks(sidecar.pid)
        started = time.monotonic()
        served = 0
        for _ in range(fetches):
            served += int(subprocess.run(curl, check=True, capture_output=True, text=True,
                                         timeout=300).stdout)
        seconds = time.monotonic() - started
        cpu = (ticks(sidecar.pid) - before) / hz
        return {
            "label": label, "loadavg_1m": load, "bytes": served, "seconds": round(seconds, 2),
            "mb_s": round(served / seconds / 1e6), "cpu_s": round(cpu, 2),
            "cpu_s_per_gb": round(cpu / (served / 1e9), 3),
            "vm_hwm_mib": round(kib(f"/proc/{sidecar.pid}/status", "VmHWM") / 1024, 1),
            "vm_rss_mib": round(kib(f"/proc/{sidecar.pid}/status", "VmRSS") / 1024, 1),
        }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("file")
    p.add_argument("--variant", type=parse_variant, action="append", required=True,
                   metavar="LABEL:JAR[:JVM_ARGS]")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--fetches", type=int, default=3)
    p.add_argument("--java", default=None, help="java launcher (default: bin/jdk25's)")
    p.add_argument("--jvm-options", default=os.path.join(ROOT, "sidecar-emitter/jvm.options"))
    a = p.parse_args()
    java = a.java or os.path.join(
        subprocess.check_output([os.path.join(ROOT, "bin/jdk25")], text=True).strip(), "bin/java")
    with open(a.file, "rb") as f:  # into the page cache, so every variant reads from memory
        while f.read(1 << 24):
            pass
    rows = []
    for r in range(a.rounds):
        order = a.variant[r % len(a.variant):] + a.variant[:r % len(a.variant)]
        for variant in order:
            row = run_once(java, a.jvm_options, variant, a.file, a.fetches)
            row["round"] = r + 1
            rows.append(row)
            print(json.dumps(row), flush=True)
    print("SERVE_CPU " + json.dumps(rows), flush=True)


if __name__ == "__main__":
    main()
