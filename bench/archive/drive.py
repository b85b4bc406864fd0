#!/usr/bin/env python3
"""Measures one run of the archive benchmark, side by side, and appends it to a JSON-lines file.

Started by bench/archive/run.sh, which starts the processes (S3Proxy, the sidecar, two packaged
functions) and passes their pids and ports. For each dump, in this order and on the same file,
warm in the page cache:
  1. zstd -q -1 -T2 FILE -o /dev/null              (timed; CPU seconds from the child's rusage)
  2. zip -6 (the hand-written sidecar script), if ZIP is on for this size
  3. the script a team would write instead, zstd -1 -T2 -c FILE | an S3 multipart upload
     (boto3, 16 MiB parts, 4 threads) into the same S3Proxy, and that upload alone of the
     already-compressed file (baseline.py)
  4. dumpflow end to end, analysis on, then analysis off (then a compared build, if any): the
     dump is hard-linked into a staging directory and moved into the sidecar's watched directory; the sidecar announces it with a real
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
import shutil
import subprocess
import sys
import threading
import time

import baseline
from measure import ThreadSampler, cpu_seconds, loadavg, peak_rss_mib, timed_child, warm

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
    posted = time.time()
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
        "posted": posted,
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
    first = {}
    if cfg.get("warmup"):
        # The first event of a fresh process (what a scale-from-zero start sees), reported apart.
        for function in cfg["functions"]:
            case = archive(cfg, function, cfg["warmup"], f"warmup-{function['name']}.hprof")
            first[function["name"]] = {k: case[k] for k in ("seconds", "posted", "raw_bytes", "cpu", "thread_cpu")}
        shutil.rmtree(cfg["s3_dumps_prefix"], ignore_errors=True)
        print("FIRST", json.dumps(first), flush=True)
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
        if first:
            row["first_event"] = first
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
        name = f"bench-r{cfg['run']}-{row['dump']}"
        row["script"] = baseline.scripted(cfg, path, name, row["zstd1_bytes"])
        row["upload_only"] = baseline.upload_only(cfg, path, name, row["zstd1_bytes"])
        row["functions"] = [f["name"] for f in cfg["functions"]]
        for function in cfg["functions"]:
            warm(path)
            name = f"bench-r{cfg['run']}-{function['name']}-{row['dump']}"
            row[function["name"]] = archive(cfg, function, path, name)
            shutil.rmtree(cfg["s3_dumps_prefix"], ignore_errors=True)  # keep the disk free
        with open(out, "a") as f:
            f.write(json.dumps(row) + "\n")
        mb_s = {"zstd": size / 1e6 / row["zstd_seconds"]}
        for case in ["script", "upload_only"] + row["functions"]:
            mb_s[case] = size / 1e6 / row[case]["seconds"]
        summary = {"dump": row["dump"], "MB/s": {k: round(v, 1) for k, v in mb_s.items()}}
        summary["archive/script"] = {
            f: round(mb_s[f] / mb_s["script"], 2) for f in row["functions"]}
        summary["archive/zstd"] = {f: round(mb_s[f] / mb_s["zstd"], 2) for f in row["functions"]}
        print("BENCH", json.dumps(summary), flush=True)
    server.shutdown()

if __name__ == "__main__":
    main()
