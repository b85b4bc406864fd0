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


def cpu_ratio(row, case, every_process):
    cpu = case["cpu"]
    spent = sum(cpu.values()) if every_process else cpu["function"]
    return row["zstd_cpu"] / spent


def per_gb(cpu, size):
    return cpu / (size / 1e9)


def compared(rows):
    """Whether the rows have a third, compared function (run.sh's COMPARE_APP)."""
    return all("compare" in r for r in rows)


def cases(rows):
    return FUNCTIONS + ([("compare", "compared build, analysis on")] if compared(rows) else [])


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
        "## Ratios to the script (issue 23: archive with analysis ≥ 1.0× the script)",
        "",
        "The script is `zstd -1 -T2 -c FILE | script_upload.py` (boto3, 16 MiB parts, 4 threads)"
        " into the same S3Proxy; upload only is that upload of the already-compressed file alone.",
        "",
        "| run | dump | load (script / on / off) | script MB/s | upload only MB/s"
        " | **on / script** | **off / script** | on / zstd | off / zstd"
        + ("" if not compared(rows) else " | compare / script | compare / on") + " |",
        "|---|---|---|---|---|---|---|---|---|" + ("" if not compared(rows) else "---|---|"),
    ]
    for r in rows:
        if "script" not in r:
            continue
        size, a, p = r["bytes"], r["analysis"], r["plain"]
        script = mb_s(size, r["script"]["seconds"])
        zstd = mb_s(size, r["zstd_seconds"])
        line = (
            f"| {r['run']} | {r['dump']} | {r['script']['load']:.2f} / {a['load']:.2f} / {p['load']:.2f}"
            f" | {script:.0f} | {mb_s(size, r['upload_only']['seconds']):.0f}"
            f" | **{mb_s(size, a['seconds']) / script:.2f}×** | **{mb_s(size, p['seconds']) / script:.2f}×**"
            f" | {mb_s(size, a['seconds']) / zstd:.2f}× | {mb_s(size, p['seconds']) / zstd:.2f}×"
        )
        if compared(rows):
            c = r["compare"]
            line += (f" | {mb_s(size, c['seconds']) / script:.2f}×"
                     f" | {a['seconds'] / c['seconds']:.2f}×")
        out.append(line + " |")
    out += [
        "",
        "## Ratios to zstd (issue 9: archive ≥ 0.6× zstd, with analysis ≥ 0.5×; stored ratio ≥ zstd -1's)",
        "",
        "| run | dump | load | with analysis / zstd | without / zstd | zip -6 / zstd"
        " | CPU-bound, with / without: all processes | function only"
        " | stored ratio | zstd -1 ratio |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        zstd = mb_s(r["bytes"], r["zstd_seconds"])
        a, p = r["analysis"], r["plain"]
        zip_ratio = f"{mb_s(r['bytes'], r['zip_seconds']) / zstd:.3f}×" if "zip_seconds" in r else "—"
        out.append(
            f"| {r['run']} | {r['dump']} | {r['zstd_load']:.2f} / {a['load']:.2f} / {p['load']:.2f}"
            f" | **{mb_s(r['bytes'], a['seconds']) / zstd:.2f}×**"
            f" | **{mb_s(r['bytes'], p['seconds']) / zstd:.2f}×** | {zip_ratio}"
            f" | {cpu_ratio(r, a, True):.2f}× / {cpu_ratio(r, p, True):.2f}×"
            f" | {cpu_ratio(r, a, False):.2f}× / {cpu_ratio(r, p, False):.2f}×"
            f" | {r['bytes'] / p['stored_bytes']:.3f} | {r['bytes'] / r['zstd1_bytes']:.3f} |"
        )
    out += [
        "",
        "Load: at the start of zstd / archive with analysis / archive without. CPU-bound: zstd's"
        " CPU seconds divided by the archive's, of every process (function, sidecar, S3Proxy) or"
        " of the function alone (as in a cluster, where the sidecar and S3 run elsewhere): the best"
        " wall-time ratio an idle 2-core machine allows, with both cores busy for both.",
        "",
        "## Throughput (MB/s, 10^6 bytes per second of wall time)",
        "",
        "| run | dump | bytes | zstd -1 -T2 | zip -6 | script | upload only | with analysis"
        " | without analysis | function peak RSS (with / without) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        a, p = r["analysis"], r["plain"]
        zip_rate = f"{mb_s(r['bytes'], r['zip_seconds']):.1f}" if "zip_seconds" in r else "—"
        script = (f"{mb_s(r['bytes'], r['script']['seconds']):.1f}"
                  f" | {mb_s(r['bytes'], r['upload_only']['seconds']):.1f}") if "script" in r else "— | —"
        out.append(
            f"| {r['run']} | {r['dump']} | {r['bytes']:,} | {mb_s(r['bytes'], r['zstd_seconds']):.1f}"
            f" | {zip_rate} | {script} | {mb_s(r['bytes'], a['seconds']):.1f}"
            f" | {mb_s(r['bytes'], p['seconds']):.1f}"
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
        "| run | dump | zstd | zip | case | function (script: zstd and python) | sidecar | S3Proxy"
        " | sum | wall × 2 cores |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        size = r["bytes"]
        zip_cpu = f"{per_gb(r['zip_cpu'], size):.2f}" if "zip_cpu" in r else "—"
        if "script" in r:
            for key, label in (("script", "script (zstd + boto3)"), ("upload_only", "upload only")):
                c = r[key]["cpu"]
                out.append(
                    f"| {r['run']} | {r['dump']} | {per_gb(r['zstd_cpu'], size):.2f} | {zip_cpu}"
                    f" | {label} | {per_gb(c['script'], size):.2f} | — | {per_gb(c['s3proxy'], size):.2f}"
                    f" | {per_gb(c['script'] + c['s3proxy'], size):.2f}"
                    f" | {per_gb(2 * r[key]['seconds'], size):.2f} |"
                )
        for name, label in cases(rows):
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
        "## CPU seconds per GB by thread (largest six per process)",
        "",
        "Sampled from `/proc/<pid>/task/*/stat` every 200 ms during the archive; numbers in thread"
        " names after `-` or `#` are folded to `#`; `+` marks threads that started during the archive."
        " zstd's native workers inherit the name of the thread that started them, so"
        " `executor-thread-#+` is zstd's workers, and `executor-thread-#` the Java thread that pulls,"
        " hashes (SHA-256), copies to the analysis and feeds zstd.",
        "",
        "| run | dump | case | function | S3Proxy | sidecar |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        for name, label in cases(rows):
            threads = r[name].get("thread_cpu", {})
            cells = []
            for process in ("function", "s3proxy", "sidecar"):
                top = list(threads.get(process, {}).items())[:6]
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
    redacted = [r for r in rows if "redacted" in r]
    if redacted:
        out += [
            "",
            "## Redaction (target: costs at most 15 % of the archive's throughput)",
            "",
            "The same dump, analysis on, in two function processes side by side: without redaction,"
            " and with `dumpflow.redaction.mode=strings` (gunzip if needed, every `char[]` and"
            " `byte[]` zeroed, SHA-256 of both the original and the stored bytes).",
            "",
            "| run | dump | load (without / with) | without MB/s | with `strings` MB/s"
            " | cost | function CPU s/GB (without / with) | stored ratio (without / with) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in redacted:
            a, x = r["analysis"], r["redacted"]
            without, with_ = mb_s(r["bytes"], a["seconds"]), mb_s(r["bytes"], x["seconds"])
            out.append(
                f"| {r['run']} | {r['dump']} | {a['load']:.2f} / {x['load']:.2f}"
                f" | {without:.0f} | {with_:.0f} | **{(1 - with_ / without) * 100:.1f} %**"
                f" | {per_gb(a['cpu']['function'], r['bytes']):.2f} /"
                f" {per_gb(x['cpu']['function'], r['bytes']):.2f}"
                f" | {r['bytes'] / a['stored_bytes']:.3f} / {r['bytes'] / x['stored_bytes']:.3f} |"
            )
    out += ["", "![archive throughput](performance-archive.svg)", ""]
    return "\n".join(out)


def bars(rows, title, series, y0, height, stacked=False):
    """One panel of grouped bars per dump; with stacked, each series is a list of
    (label, colour, value function) parts drawn on top of each other."""
    dumps = list(dict.fromkeys(r["dump"] for r in rows))
    width, left, bottom, top_pad = 860, 60, 60, 40
    plot_h = height - bottom - top_pad
    base = y0 + height - bottom

    def median(d, f):
        got = [v for v in (f(r) for r in rows if r["dump"] == d) if v is not None]
        return statistics.median(got) if got else None

    values = {}
    for d in dumps:
        for name, parts in series:
            values[(d, name)] = [(label, colour, median(d, f)) for label, colour, f in parts]
    top = max(sum(v or 0 for _, _, v in parts) for parts in values.values()) * 1.15
    group_w = (width - left - 20) / len(dumps)
    bar_w = group_w / (len(series) + 1)
    out = [f'<text x="{width / 2}" y="{y0 + 20}" text-anchor="middle" font-size="14">'
           f"{escape(title)}</text>"]
    for i in range(6):
        v = top * i / 5
        y = base - plot_h * i / 5
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.{1 if stacked else 0}f}</text>')
    for gi, d in enumerate(dumps):
        x0 = left + gi * group_w + bar_w / 2
        if not stacked and (d, "script") in values and values[(d, "script")][0][2]:
            # The target of issue 23: 1.0x the scripted zstd | upload.
            y = base - plot_h * values[(d, "script")][0][2] / top
            out.append(f'<line x1="{x0:.1f}" x2="{x0 + bar_w * len(series):.1f}"'
                       f' y1="{y:.1f}" y2="{y:.1f}" stroke="#333" stroke-dasharray="4,3"/>')
        for si, (name, _) in enumerate(series):
            x = x0 + si * bar_w
            y = base
            for label, colour, v in values[(d, name)]:
                if v is None:
                    continue
                h = plot_h * v / top
                y -= h
                out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.9:.1f}"'
                           f' height="{h:.1f}" fill="{colour}"><title>{escape(name)}: '
                           f"{escape(label)} {v:.2f}</title></rect>")
            total = sum(v or 0 for _, _, v in values[(d, name)])
            if total:
                out.append(f'<text x="{x + bar_w * 0.45:.1f}" y="{y - 4:.1f}" text-anchor="middle"'
                           f' font-size="10">{total:.{2 if stacked else 0}f}</text>')
            if stacked:
                out.append(f'<text x="{x + bar_w * 0.45:.1f}" y="{base + 12}" text-anchor="middle"'
                           f' font-size="9">{escape(name)}</text>')
        out.append(f'<text x="{x0 + bar_w * len(series) / 2:.1f}" y="{base + (28 if stacked else 16)}"'
                   f' text-anchor="middle">{escape(d)}</text>')
    legend = list(dict.fromkeys((label, colour) for _, parts in series for label, colour, _ in parts))
    lx = left
    for label, colour in legend:
        out.append(f'<rect x="{lx}" y="{y0 + height - 24}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{lx + 14}" y="{y0 + height - 15}">{escape(label)}</text>')
        lx += len(label) * 7 + 24
    return out


def svg(rows):
    """Two panels: median MB/s of zstd, the upload alone, the script and the archives; median CPU
    seconds per GB of each process, which is what bounds the archive on 2 cores."""
    def rate(key):
        return lambda r: mb_s(r["bytes"], r[key]["seconds"])

    def maybe(key):
        return lambda r: mb_s(r["bytes"], r[key]["seconds"]) if key in r else None

    throughput = [
        ("zstd", [("zstd -1 -T2", "#4c72b0", lambda r: mb_s(r["bytes"], r["zstd_seconds"]))]),
        ("upload only", [("upload only", "#64b5cd", maybe("upload_only"))]),
        ("script", [("script: zstd | upload", "#999999", maybe("script"))]),
        ("off", [("archive, analysis off", "#55a868", rate("plain"))]),
        ("on", [("archive, analysis on", "#c44e52", rate("analysis"))]),
    ]
    if compared(rows):
        throughput.append(("compare", [("compared build", "#dd8452", rate("compare"))]))

    def cpu(key, process):
        return lambda r: per_gb(r[key]["cpu"][process], r["bytes"])

    def stack(key):
        return [("function", "#dd8452", cpu(key, "function")),
                ("sidecar", "#8172b3", cpu(key, "sidecar")),
                ("S3Proxy", "#937860", cpu(key, "s3proxy"))]

    def script_cpu(process):
        return lambda r: per_gb(r["script"]["cpu"][process], r["bytes"]) if "script" in r else None

    cpu_series = [
        ("zstd", [("zstd -1 -T2", "#4c72b0", lambda r: per_gb(r["zstd_cpu"], r["bytes"]))]),
        ("script", [("zstd + boto3", "#999999", script_cpu("script")),
                    ("S3Proxy", "#937860", script_cpu("s3proxy"))]),
        ("analysis off", stack("plain")),
        ("analysis on", stack("analysis")),
    ]
    width, height = 860, 760
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    parts += bars(rows, "Archive throughput, MB/s (median of runs; dashed: the script, the target)",
                  throughput, 0, 380)
    parts += bars(rows, "CPU seconds per GB of dump (median of runs): what bounds it on 2 cores",
                  cpu_series, 380, 380, stacked=True)
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
