#!/usr/bin/env python3
"""The anchor of issue 23, measured by drive.py beside the archive, on the same file, into the
same S3Proxy:

  script:      zstd -q -1 -T2 -c FILE | script_upload.py ...   (what a team would script instead)
  upload only: script_upload.py ... FILE.zst                    (the already-compressed object
               alone: the most the S3 server takes here, whatever compresses)

Each is timed from its start to the upload's end; its CPU is the children's rusage (zstd and
python) plus S3Proxy's from /proc. The stored object's size is checked against zstd -1's, so a
short upload cannot pass for a fast one.
"""
import os
import shlex
import shutil
import subprocess

from measure import cpu_seconds, loadavg, timed_child, warm

HERE = os.path.dirname(os.path.abspath(__file__))
UPLOAD = os.path.join(HERE, "script_upload.py")


def compressed_copy(cfg, path):
    """FILE.zst in the run's scratch directory, made once per run with zstd -1."""
    target = os.path.join(cfg["scratch"], os.path.basename(path) + ".zst")
    if not os.path.exists(target):
        subprocess.run(["zstd", "-q", "-f", "-1", "-T2", path, "-o", target], check=True)
    return target


def _timed_upload(cfg, shell_command, key, expected_bytes):
    s3 = cfg["s3proxy_pid"]
    before = cpu_seconds(s3)
    load = loadavg()
    seconds, cpu = timed_child(["bash", "-o", "pipefail", "-c", shell_command])
    s3_cpu = cpu_seconds(s3) - before
    stored = os.path.join(cfg["s3_bucket_dir"], key)
    size = os.path.getsize(stored)
    if size != expected_bytes:
        raise SystemExit(f"{key}: stored {size} bytes, zstd -1 writes {expected_bytes}")
    shutil.rmtree(os.path.join(cfg["s3_bucket_dir"], "script"), ignore_errors=True)
    return {"seconds": seconds, "load": load, "cpu": {"script": cpu, "s3proxy": s3_cpu}}


def scripted(cfg, path, name, zstd1_bytes):
    """zstd -1 -T2 -c FILE | upload, with the file warm in the page cache."""
    warm(path)
    key = f"script/{name}.zst"
    upload = f"python3 {shlex.quote(UPLOAD)} {cfg['s3_endpoint']} {cfg['bucket']} {key} -"
    command = f"zstd -q -1 -T2 -c {shlex.quote(path)} | {upload}"
    return _timed_upload(cfg, command, key, zstd1_bytes)


def upload_only(cfg, path, name, zstd1_bytes):
    """The compressed object alone, warm in the page cache."""
    source = compressed_copy(cfg, path)
    warm(source)
    key = f"script/{name}-upload-only.zst"
    command = (f"python3 {shlex.quote(UPLOAD)} {cfg['s3_endpoint']} {cfg['bucket']} {key}"
               f" {shlex.quote(source)}")
    return _timed_upload(cfg, command, key, zstd1_bytes)
