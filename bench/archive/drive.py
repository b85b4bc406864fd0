#!/usr/bin/env python3
"""Measures one run of the archive benchmark, side by side, and appends it to a JSON-lines file.

Started by bench/archive/run.sh, which starts the processes (S3Proxy, the sidecar, two packaged
functions) and passes their pids and ports. For each dump, in this order and on the same file,
warm in the page cache:
  1. zstd -q -1 -T2 FILE -o /dev/null              (timed; CPU seconds from the child's rusage)
  2. zip -6 (the hand-written sidecar script), if ZIP is on for this size
  3. dumpflow end to end, analysis on, then analysis off: the dump is hard-linked into a staging
     directory and moved into the sidecar's watched directory; the sidecar announces it with a real
     dump.closed event, which arrives here (this script is the sidecar's K_SINK) and is posted
     unchanged, in binary mode, to the function; timed from that POST to the dump.archived reply.
     CPU seconds of the sidecar, the function and S3Proxy come from /proc/<pid>/stat.
Usage: drive.py CONFIG.json OUT.jsonl
"""
import http.client
import http.server
import json
import os
import queue
import re
import resource
import shutil
import subprocess
import sys
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")
events = queue.Queue()


class Sink(http.server.BaseHTTPRequestHandler):
    """The sidecar's K_SINK: keeps each CloudEvent's ce-* headers and body."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items() if k.lower().startswith("ce-")}
        headers["Content-Type"] = self.headers.get("Content-Type", "application/json")
        events.put((time.time(), headers, body))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


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
    is CPU seconds per process and thread name, with numbers after - or # folded (pool-1-thread-3 -> pool-#-thread-#).
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


def zstd_size(path):
    """zstd -1's compressed size of the file, cached beside it (the file never changes)."""
    cache = path + ".zstd1-size"
    if os.path.exists(cache) and os.path.getmtime(cache) >= os.path.getmtime(path):
        return int(open(cache).read())
    with subprocess.Popen(["zstd", "-q", "-1", "-T2", "-c", path], stdout=subprocess.PIPE) as p:
        size = 0
        while chunk := p.stdout.read(1 << 20):
            size += len(chunk)
    open(cache, "w").write(str(size))
    return size


def post(port, headers, body, timeout):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), payload


def archive(cfg, function, path, name):
    """Moves the dump into the watched directory and times the archive of its dump.closed."""
    staged = os.path.join(cfg["staging"], name)
    if os.path.exists(staged):
        os.unlink(staged)
    os.link(path, staged)  # the sidecar deletes only this name once the dump is stored
    while not events.empty():
        events.get()
    moved = time.time()
    os.rename(staged, os.path.join(cfg["dumps"], name))
    while True:
        received, headers, body = events.get(timeout=60)
        if headers.get("ce-type") == "dev.dumpflow.dump.closed" and name.encode() in body:
            break
    pids = {"sidecar": cfg["sidecar_pid"], "function": function["pid"], "s3proxy": cfg["s3proxy_pid"]}
    cpu_before = {k: cpu_seconds(p) for k, p in pids.items()}
    sampler = ThreadSampler(pids)
    sampler.start()
    load = loadavg()
    start = time.monotonic()
    status, reply_headers, payload = post(function["port"], headers, body, timeout=3600)
    seconds = time.monotonic() - start
    cpu = {k: cpu_seconds(p) - cpu_before[k] for k, p in pids.items()}
    threads = sampler.result()
    if status != 200:
        raise SystemExit(f"{function['name']}: HTTP {status}: {payload[:500]!r}")
    reply = json.loads(payload)
    if reply_headers.get("ce-type") != "dev.dumpflow.dump.archived":
        raise SystemExit(f"{function['name']}: reply type {reply_headers.get('ce-type')}")
    analysed = bool((reply.get("analysis") or {}).get("topClasses"))
    if analysed != function["analysis"]:
        raise SystemExit(f"{function['name']}: analysis in the reply: {analysed}")
    redaction = (reply.get("redaction") or {}).get("mode")
    if redaction != function.get("redaction"):
        raise SystemExit(f"{function['name']}: redaction in the reply: {redaction}")
    if os.path.exists(os.path.join(cfg["dumps"], name)):
        raise SystemExit(f"{function['name']}: the sidecar still holds {name} after the archive")
    return {
        "seconds": seconds,
        "load": load,
        "closed_to_event_ms": round((received - moved) * 1000),
        "stored_bytes": reply["storedBytes"],
        "raw_bytes": reply["rawBytes"],
        "cpu": cpu,
        "thread_cpu": threads,
        "function_peak_rss_mib": peak_rss_mib(function["pid"]),
        "function_alive": os.path.exists(f"/proc/{function['pid']}"),
        "top_class": (reply.get("analysis") or {}).get("topClasses", [{}])[0].get("className")
        if analysed
        else None,
    }


def main():
    cfg = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", cfg["sink_port"]), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if cfg.get("warmup"):
        for function in cfg["functions"]:
            archive(cfg, function, cfg["warmup"], f"warmup-{function['name']}.hprof")
        shutil.rmtree(cfg["s3_dumps_prefix"], ignore_errors=True)
    for dump in cfg["dumps_to_run"]:
        path, size = dump["path"], os.path.getsize(dump["path"])
        row = {
            "bench": cfg["bench"],
            "machine": cfg["machine"],
            "run": cfg["run"],
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "dump": os.path.basename(path),
            "bytes": size,
            "cores": os.cpu_count(),
            "zstd1_bytes": zstd_size(path),
        }
        warm(path)
        row["zstd_load"] = loadavg()
        row["zstd_seconds"], row["zstd_cpu"] = timed_child(
            ["zstd", "-q", "-f", "-1", "-T2", path, "-o", "/dev/null"])
        if dump["zip"]:
            target = os.path.join(cfg["scratch"], "dump.zip")
            if os.path.exists(target):
                os.unlink(target)
            row["zip_load"] = loadavg()
            row["zip_seconds"], row["zip_cpu"] = timed_child(
                ["zip", "-q", "-6", "-j", target, path])
            row["zip_bytes"] = os.path.getsize(target)
            os.unlink(target)
        for function in cfg["functions"]:
            warm(path)
            name = f"bench-r{cfg['run']}-{function['name']}-{row['dump']}"
            row[function["name"]] = archive(cfg, function, path, name)
            shutil.rmtree(cfg["s3_dumps_prefix"], ignore_errors=True)  # keep the disk free
        with open(out, "a") as f:
            f.write(json.dumps(row) + "\n")
        summary = {k: row[k] for k in ("dump", "zstd_seconds")}
        for function in cfg["functions"]:
            summary[function["name"]] = round(size / 1e6 / row[function["name"]]["seconds"], 1)
        summary["zstd_mb_s"] = round(size / 1e6 / row["zstd_seconds"], 1)
        print("BENCH", json.dumps(summary), flush=True)
    server.shutdown()

if __name__ == "__main__":
    main()
