#!/usr/bin/env python3
"""Time to insight through the whole local stack (issue 23: 1 GiB, closed to Slack, ≤ 10 s warm).

Starts `bin/local-stack` (S3Proxy, the functions, the local broker routing by knative/, the
sidecar) with its Slack webhook pointed at a real HTTP server here, which records each message
and when it came. Then, one after another, it moves real HPROFs into the watched directory (a
hard link, renamed in: the file is complete when it appears, as a JVM's finished dump) and times
each from that rename to its Slack message. The first dump goes to a fresh functions process
(what a scale-from-zero start sees) and is reported apart; the next ones are the warm figures.
Each message must carry the heap's top classes.

Usage: closed_to_slack.py [--warmup FILE] FILE [FILE ...]     (JDK 25, built jars; run.sh's files)
Prints one line per dump and a last JSON line: E2E {...}.
"""
import http.server
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
messages = queue.Queue()


class Slack(http.server.BaseHTTPRequestHandler):
    """A Slack incoming webhook: keeps each posted message and when it arrived."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        messages.put((time.time(), body.decode()))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(log_path, text, deadline):
    while time.time() < deadline:
        if os.path.exists(log_path) and text in open(log_path, errors="replace").read():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {text!r} in {log_path}")


def session_process(session, marker):
    """The pid of the process of this session whose command line holds marker."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read()
        except OSError:
            continue
        if int(stat[3]) == session and marker in cmdline:
            return int(pid)
    raise SystemExit(f"no process with {marker!r} in session {session}")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Steps(threading.Thread):
    """Follows the stack's log and notes, at each step of a dump, the wall time and the functions
    process's CPU seconds: so index and notify get their own CPU figures (they run in the same
    process as the archive, one after the other)."""

    MARKS = {"archiving ": "archiving", "archived ": "archived", "indexed at": "indexed",
             "posted to Slack": "slack"}

    def __init__(self, log, pid):
        super().__init__(daemon=True)
        self.log, self.pid, self.seen = log, pid, []

    def run(self):
        with open(self.log, errors="replace") as f:
            while True:
                line = f.readline()
                if not line:
                    time.sleep(0.02)
                    continue
                for mark, step in self.MARKS.items():
                    if mark in line and "[functions]" in line:
                        self.seen.append((step, time.time(), cpu_seconds(self.pid)))

    def since(self, moved):
        """Seconds after the move and CPU seconds of each step of the dump moved at that time."""
        steps = [s for s in self.seen if s[1] >= moved]
        return {step: {"at": round(t - moved, 2), "cpu": c} for step, t, c in steps}


def send_through(dumps, staging, path, name, timeout=300):
    """Moves the dump in and waits for the Slack message that names it: (seconds, message)."""
    staged = os.path.join(staging, name)
    os.link(path, staged)
    moved = time.time()
    os.rename(staged, os.path.join(dumps, name))
    deadline = moved + timeout
    while True:
        arrived, body = messages.get(timeout=max(0.1, deadline - time.time()))
        # One dump at a time, and no process is watched (no threshold messages): the next
        # message about a stored dump is this one's.
        if "Dump id" in body:
            return arrived - moved, body


def main():
    args = sys.argv[1:]
    warmup = None
    if args[:1] == ["--warmup"]:
        warmup, args = args[1], args[2:]
    work = tempfile.mkdtemp(prefix="e2e-", dir=os.path.join(ROOT, "bench", "out"))
    dumps, staging, state = (os.path.join(work, d) for d in ("dumps", "staging", "state"))
    for d in (dumps, staging, state):
        os.makedirs(d)
    slack_port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", slack_port), Slack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, DUMPFLOW_LOCAL_DUMPS=dumps, DUMPFLOW_LOCAL_STATE=state,
               DUMPFLOW_NOTIFY_SLACK_WEBHOOK_URL=f"http://127.0.0.1:{slack_port}/hook",
               DUMPFLOW_PROCESS_MATCH="no-process-matches-this-dumpflow-e2e")
    log = os.path.join(work, "local-stack.log")
    stack = subprocess.Popen([os.path.join(ROOT, "bin", "local-stack")], cwd=ROOT, env=env,
                             stdout=open(log, "w"), stderr=subprocess.STDOUT,
                             start_new_session=True)
    results = {"load_at_start": os.getloadavg()[0], "first_event": None, "warm": []}
    try:
        wait_for(log, "Drop a heap dump", time.time() + 300)
        time.sleep(2)  # the sidecar's watcher is up once it said so; leave it a moment
        steps = Steps(log, session_process(stack.pid, b"quarkus-run.jar"))
        steps.start()
        dumps_to_send = ([("first", warmup)] if warmup else []) + [("warm", f) for f in args]
        for i, (kind, path) in enumerate(dumps_to_send):
            load = os.getloadavg()[0]
            moved = time.time()
            seconds, body = send_through(dumps, staging, path, f"e2e-{i}-{os.path.basename(path)}")
            time.sleep(0.3)  # the log line of the Slack post follows the post
            marks = steps.since(moved)
            if "Top classes by shallow size" not in body or "Partial figures" in body:
                raise SystemExit(f"the Slack message lacks the exact histogram: {body[:300]}")
            entry = {"file": os.path.basename(path), "bytes": os.path.getsize(path),
                     "seconds": round(seconds, 2), "load": load,
                     "steps_at": {k: v["at"] for k, v in marks.items()}}
            if {"archived", "indexed", "slack"} <= marks.keys():
                entry["index_cpu"] = round(marks["indexed"]["cpu"] - marks["archived"]["cpu"], 2)
                entry["notify_cpu"] = round(marks["slack"]["cpu"] - marks["indexed"]["cpu"], 2)
            print(kind, json.dumps(entry), flush=True)
            if kind == "first":
                results["first_event"] = entry
            else:
                results["warm"].append(entry)
            time.sleep(3)  # the sidecar deletes the file; S3Proxy's writes settle
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
        server.shutdown()
        shutil.rmtree(os.path.join(state, "s3"), ignore_errors=True)  # the stored dumps; logs stay
    print("E2E", json.dumps(results), flush=True)
    print(f"logs in {log}")


if __name__ == "__main__":
    main()
