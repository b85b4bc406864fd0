#!/usr/bin/env python3
"""The upload half of what a team would script instead of dumpflow (issue 23):

    zstd -1 -T2 -c dump.hprof | script_upload.py ENDPOINT BUCKET KEY

reads stdin to its end and stores it as one object with boto3's transfer manager
(`upload_fileobj`): multipart, 16 MiB parts, 4 threads, as the issue measured it. Given a FILE
instead of `-`, it uploads that file (the already-compressed object alone: what the S3 server
allows by itself). Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.

boto3's defaults otherwise: over plain HTTP botocore signs each part's payload (SHA-256), as the
AWS SDK for Java does for the function. Since botocore 1.36 it also adds a CRC32 checksum to each
part when the operation supports one; CHECKSUM=when_required turns that off (S3Proxy's support
for flexible checksums varies by version).

Usage: script_upload.py ENDPOINT BUCKET KEY [-|FILE]
"""
import os
import sys

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

MIB = 1024 * 1024


def main():
    endpoint, bucket, key = sys.argv[1:4]
    source = sys.argv[4] if len(sys.argv) > 4 else "-"
    checksum = os.environ.get("CHECKSUM", "when_supported")
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(
            s3={"addressing_style": "path"},
            request_checksum_calculation=checksum,
            response_checksum_validation=checksum,
        ),
    )
    transfer = TransferConfig(
        multipart_threshold=16 * MIB, multipart_chunksize=16 * MIB, max_concurrency=4
    )
    if source == "-":
        s3.upload_fileobj(sys.stdin.buffer, bucket, key, Config=transfer)
    else:
        with open(source, "rb") as f:
            s3.upload_fileobj(f, bucket, key, Config=transfer)


if __name__ == "__main__":
    main()
