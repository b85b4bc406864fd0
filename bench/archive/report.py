#!/usr/bin/env python3
"""Writes docs/performance-archive-results.md and docs/performance-archive.svg from the rows that
bench/archive/run.sh appended to bench/out/archive-results.jsonl (python3 standard library only).

Usage: report.py RESULTS.jsonl [--bench ID]   (default: the rows of the latest invocation)
"""
import json
import os
import statistics
import sys
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUNCTIONS = [("analysis", "archive, analysis on"), ("plain", "archive, analysis off")]


def mb_s(size, seconds):
    return size / 1e6 / seconds


def load(path, bench):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    if not rows:
        raise SystemExit(f"no results in {path}")
    bench = bench or rows[-1]["bench"]
    chosen = [r for r in rows if r["bench"] == bench]
    if not chosen:
        raise SystemExit(f"no rows of bench {bench} in {path}")
    return bench, chosen


def per_gb(cpu, size):
    return cpu / (size / 1e9)


def markdown(bench, rows):
    first = rows[0]
    out = [
        "# Archive benchmark: results",
        "",
        f"Written by `bench/archive/report.py` from `bench/archive/run.sh` (bench `{bench}`,"
        f" {len({r['run'] for r in rows})} run(s), started {first['started']}).",
        f"Machine: {first['machine']}. Load average (1 min) is the one at the start of each measure:"
        " this machine is shared, so read the ratios of one row, measured side by side.",
        "",
        "## Ratios (targets: archive ≥ 0.6× zstd, with analysis ≥ 0.5×; stored ratio ≥ zstd -1's)",
        "",
        "| run | dump | load | with analysis / zstd | without / zstd | zip -6 / zstd"
        " | stored ratio | zstd -1 ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        zstd = mb_s(r["bytes"], r["zstd_seconds"])
        a, p = r["analysis"], r["plain"]
        zip_ratio = f"{mb_s(r['bytes'], r['zip_seconds']) / zstd:.3f}×" if "zip_seconds" in r else "—"
        out.append(
            f"| {r['run']} | {r['dump']} | {r['zstd_load']:.2f} / {a['load']:.2f} / {p['load']:.2f}"
            f" | **{mb_s(r['bytes'], a['seconds']) / zstd:.2f}×**"
            f" | **{mb_s(r['bytes'], p['seconds']) / zstd:.2f}×** | {zip_ratio}"
            f" | {r['bytes'] / p['stored_bytes']:.3f} | {r['bytes'] / r['zstd1_bytes']:.3f} |"
        )
    out += [
        "",
        "Load: at the start of zstd / archive with analysis / archive without.",
        "",
        "## Throughput (MB/s, 10^6 bytes per second of wall time)",
        "",
        "| run | dump | bytes | zstd -1 -T2 | zip -6 | with analysis | without analysis"
        " | function peak RSS (with / without) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        a, p = r["analysis"], r["plain"]
        zip_rate = f"{mb_s(r['bytes'], r['zip_seconds']):.1f}" if "zip_seconds" in r else "—"
        out.append(
            f"| {r['run']} | {r['dump']} | {r['bytes']:,} | {mb_s(r['bytes'], r['zstd_seconds']):.1f}"
            f" | {zip_rate} | {mb_s(r['bytes'], a['seconds']):.1f} | {mb_s(r['bytes'], p['seconds']):.1f}"
            f" | {a['function_peak_rss_mib']:.0f} / {p['function_peak_rss_mib']:.0f} MiB |"
        )
    out += [
        "",
        "Function peak RSS is `VmHWM` of the function process (`-Xmx256m`) since it started.",
        "",
        "## CPU seconds per GB of dump (from `/proc/<pid>/stat`, and the children's rusage)",
        "",
        "What bounds the archive on 2 cores: the sum of every process's CPU per GB against"
        " 2 cores × the wall time.",
        "",
        "| run | dump | zstd | zip | case | function | sidecar | S3Proxy | sum | wall × 2 cores |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        size = r["bytes"]
        zip_cpu = f"{per_gb(r['zip_cpu'], size):.2f}" if "zip_cpu" in r else "—"
        for name, label in FUNCTIONS:
            c = r[name]["cpu"]
            total = c["function"] + c["sidecar"] + c["s3proxy"]
            out.append(
                f"| {r['run']} | {r['dump']} | {per_gb(r['zstd_cpu'], size):.2f} | {zip_cpu}"
                f" | {label} | {per_gb(c['function'], size):.2f} | {per_gb(c['sidecar'], size):.2f}"
                f" | {per_gb(c['s3proxy'], size):.2f} | {per_gb(total, size):.2f}"
                f" | {per_gb(2 * r[name]['seconds'], size):.2f} |"
            )
    out += [
        "",
        "## CPU seconds per GB by thread (largest five per process)",
        "",
        "Sampled from `/proc/<pid>/task/*/stat` every 200 ms during the archive; numbers in thread"
        " names after `-` or `#` are folded to `#`. zstd's native workers inherit the name of the thread that"
        " started them, so `executor-thread` is the fetch, SHA-256 and zstd together.",
        "",
        "| run | dump | case | function | S3Proxy | sidecar |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        for name, label in FUNCTIONS:
            threads = r[name].get("thread_cpu", {})
            cells = []
            for process in ("function", "s3proxy", "sidecar"):
                top = list(threads.get(process, {}).items())[:5]
                cells.append(", ".join(f"`{t}` {per_gb(s, r['bytes']):.2f}" for t, s in top))
            out.append(f"| {r['run']} | {r['dump']} | {label} | " + " | ".join(cells) + " |")
    out += [
        "",
        "## Dump closed → event, and the analysis",
        "",
        "| run | dump | closed → dump.closed (with / without) | largest class in the analysis |",
        "|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['run']} | {r['dump']} | {r['analysis']['closed_to_event_ms']} /"
            f" {r['plain']['closed_to_event_ms']} ms | `{r['analysis']['top_class']}` |"
        )
    out += ["", "![archive throughput](performance-archive.svg)", ""]
    return "\n".join(out)


def svg(rows):
    """Grouped bars: median MB/s per dump of zstd, zip, and the two archives."""
    series = [
        ("zstd -1 -T2", "#4c72b0", lambda r: mb_s(r["bytes"], r["zstd_seconds"])),
        ("zip -6", "#999999",
         lambda r: mb_s(r["bytes"], r["zip_seconds"]) if "zip_seconds" in r else None),
        ("archive, analysis off", "#55a868", lambda r: mb_s(r["bytes"], r["plain"]["seconds"])),
        ("archive, analysis on", "#c44e52", lambda r: mb_s(r["bytes"], r["analysis"]["seconds"])),
    ]
    dumps = list(dict.fromkeys(r["dump"] for r in rows))
    values = {}
    for d in dumps:
        for label, _, f in series:
            got = [v for v in (f(r) for r in rows if r["dump"] == d) if v is not None]
            values[(d, label)] = statistics.median(got) if got else None
    top = max(v for v in values.values() if v) * 1.15
    width, height, left, bottom, top_pad = 720, 380, 60, 60, 40
    plot_h = height - bottom - top_pad
    group_w = (width - left - 20) / len(dumps)
    bar_w = group_w / (len(series) + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">'
        "Archive throughput, MB/s (median of runs; dashed: 0.6× and 0.5× zstd)</text>",
    ]
    for i in range(6):
        v = top * i / 5
        y = height - bottom - plot_h * i / 5
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.0f}</text>')
    for gi, d in enumerate(dumps):
        x0 = left + gi * group_w + bar_w / 2
        zstd = values[(d, "zstd -1 -T2")]
        for factor in (0.6, 0.5):
            y = height - bottom - plot_h * zstd * factor / top
            parts.append(
                f'<line x1="{x0:.1f}" x2="{x0 + bar_w * len(series):.1f}" y1="{y:.1f}" y2="{y:.1f}"'
                ' stroke="#333" stroke-dasharray="4,3"/>')
        for si, (label, colour, _) in enumerate(series):
            v = values[(d, label)]
            if v is None:
                continue
            h = plot_h * v / top
            x = x0 + si * bar_w
            y = height - bottom - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.9:.1f}" height="{h:.1f}"'
                         f' fill="{colour}"/>')
            parts.append(f'<text x="{x + bar_w * 0.45:.1f}" y="{y - 4:.1f}" text-anchor="middle"'
                         f' font-size="10">{v:.0f}</text>')
        parts.append(f'<text x="{x0 + bar_w * len(series) / 2:.1f}" y="{height - bottom + 16}"'
                     f' text-anchor="middle">{escape(d)}</text>')
    lx = left
    for label, colour, _ in series:
        parts.append(f'<rect x="{lx}" y="{height - 24}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 14}" y="{height - 15}">{escape(label)}</text>')
        lx += 160
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    args = sys.argv[1:]
    bench = args[args.index("--bench") + 1] if "--bench" in args else None
    bench, rows = load(args[0], bench)
    docs = os.path.join(ROOT, "docs")
    with open(os.path.join(docs, "performance-archive-results.md"), "w") as f:
        f.write(markdown(bench, rows))
    with open(os.path.join(docs, "performance-archive.svg"), "w") as f:
        f.write(svg(rows))
    print(f"wrote docs/performance-archive-results.md and docs/performance-archive.svg ({bench})")


if __name__ == "__main__":
    main()
