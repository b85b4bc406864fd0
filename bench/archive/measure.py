#!/usr/bin/env python3
"""What drive.py and baseline.py measure a process or a command with: CPU seconds from /proc, per
thread too, peak RSS, the load average, and a timed child with its rusage."""
import os
import re
import resource
import subprocess
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def thread_cpu(pid):
    """CPU seconds of each live thread of a process, by thread id: (name, seconds)."""
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                head, tail = f.read().rsplit(")", 1)
            fields = tail.split()
            threads[tid] = (head.split("(", 1)[1], (int(fields[11]) + int(fields[12])) / TICK)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return threads


class ThreadSampler(threading.Thread):
    """Samples the threads' CPU of some processes every 200 ms while an archive runs, so that the
    CPU of threads that end before it does (zstd's workers, part uploads) is counted too. The result
    is CPU seconds per process and thread name, with numbers after - or # folded (pool-1-thread-3 -> pool-#-thread-#),
    and a + after the name of threads that started during the measure: native threads inherit their
    creator's name, so in the function "executor-thread-#+" is zstd's workers and "executor-thread-#"
    the Java thread that reads, hashes and feeds them.
    """

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.first, self.last, self.stop = pids, {}, {}, threading.Event()
        for name, pid in pids.items():
            self.first[name] = thread_cpu(pid)
            self.last[name] = dict(self.first[name])

    def run(self):
        while not self.stop.wait(0.2):
            self.sample()

    def sample(self):
        for name, pid in self.pids.items():
            try:
                self.last[name].update(thread_cpu(pid))
            except FileNotFoundError:
                pass

    def result(self):
        self.stop.set()
        self.join()
        self.sample()
        out = {}
        for name in self.pids:
            by_name = {}
            for tid, (comm, seconds) in self.last[name].items():
                before = self.first[name].get(tid, (comm, 0.0))[1]
                key = re.sub(r"(?<=[-#])\d+", "#", comm).replace("##", "#")
                if tid not in self.first[name]:
                    key += "+"
                by_name[key] = round(by_name.get(key, 0.0) + seconds - before, 2)
            out[name] = {k: v for k, v in sorted(by_name.items(), key=lambda kv: -kv[1]) if v > 0}
        return out


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def warm(path):
    with open(path, "rb") as f:
        while f.read(8 << 20):
            pass


def timed_child(command, **kwargs):
    """Runs a command; returns (seconds, CPU seconds of the child and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(command, check=True, **kwargs)
    seconds = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu
