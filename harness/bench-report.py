#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console logs of a bench run into tables, JSON and a plot.

    bench-report.py OUT.json OUT.svg CONSOLE_LOG [OVERHEAD_LOG...]

The VM (harness/bench-vm.sh) prints one line per measurement:
    bench-result CONTENDER METRIC WORKLOAD REP VALUE
WORKLOAD is a number of MiB (one process holding that much memory, with
the copy limits next to it: "sizes_mib" in the JSON file), treeN (a tree
of N processes), threadsN (one process of N threads) or filesN (one
process with N files and N/10 pipes): "workloads".  Each value kept is
the median of the runs.  Ratios: CRIU/ours (above 1: CRIU takes longer)
and limit/ours (the fraction of the time ours takes that the bare copy
of the same bytes needs: 1 would be ideal).

The overhead microbenchmarks print
    bench-overhead KERNEL OP REP NS
in every log, KERNEL y (CONFIG_CHECKPOINT=y) or n.  For each operation
the report gives the median of all runs on each kernel, their ratio, and
the noise: the spread (max - min) / median of the runs on one kernel,
the larger of the two.  A ratio within 1 +- noise is no measurable
difference.
"""

import json
import math
import re
import statistics
import sys
from collections import defaultdict

KINDS = {
    "tree": lambda n: f"a tree of {n} processes",
    "threads": lambda n: f"one process of {n} threads",
    "files": lambda n: f"one process with {n} open files and {n // 10} pipes",
}
MIB = 2**20

json_path, svg_path, logs = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = defaultdict(list)        # (contender, metric, workload) -> [values]
over = defaultdict(list)        # (kernel, op) -> [(boot, ns)]
notes = []
for boot, path in enumerate(logs):
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip("\r\n")
            m = re.match(r"bench-result (\S+) (\S+) ((?:tree|threads|files)?\d+) "
                         r"(\d+) (\d+)\s*$", line)
            if m:
                c, metric, w, _rep, value = m.groups()
                runs[(c, metric, int(w) if w.isdigit() else w)].append(int(value))
                continue
            m = re.match(r"bench-overhead ([yn]) (\S+) (\d+) ([0-9.]+)\s*$", line)
            if m:
                k, op, _rep, ns = m.groups()
                over[(k, op)].append((boot, float(ns)))
            elif line.startswith("bench: "):
                notes.append(line[len("bench: "):])

if not runs:
    sys.exit(f"no bench-result lines in {logs[0]}")


def median(c, metric, w):
    v = runs.get((c, metric, w))
    return statistics.median(v) if v else None


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def split(w):
    """"tree512" -> ("tree", 512)"""
    m = re.fullmatch(r"([a-z]+)(\d+)", w)
    return m.group(1), int(m.group(2))


def order(w):
    kind, n = split(w)
    return (list(KINDS).index(kind), n)


sizes = sorted({k[2] for k in runs if isinstance(k[2], int)})
others = sorted({k[2] for k in runs if isinstance(k[2], str)}, key=order)
result = {
    "unit": {"time": "s", "size": "bytes", "overhead": "ns per operation"},
    "note": "medians; ratios are criu/ours and limit/ours; sizes_mib: one "
            "process holding that many MiB; workloads: trees of processes, "
            "a process of threads, a process of files and pipes; extra: the "
            "most memory the system used during the operation above what it "
            "used before and after (sampled every 2 ms); frozen: the longest "
            "time the target's heartbeat thread did not run during a "
            "checkpoint that lets it go on",
    "vm": [n for n in notes
           if n.startswith(("kernel", "sizes", "workloads", "Version"))],
    "criu_check": [n[len("criu check: "):] for n in notes
                   if n.startswith("criu check: ")],
    "problems": [n[len("problem: "):] for n in notes
                 if n.startswith("problem: ")],
    "sizes_mib": {},
    "workloads": {},
    "overhead": {},
    "targets": [],
}

s = lambda ns: None if ns is None else ns / 1e9     # noqa: E731


def contenders(w):
    """The measurements of ours and CRIU for workload w."""
    entry = {}
    for c in ("ours", "criu"):
        if not any(k[0] == c and k[2] == w for k in runs):
            continue
        v = runs.get((c, "verified", w), [])
        n = len(runs.get((c, "checkpoint_ns", w), []))
        entry[c] = {
            "checkpoint_s": s(median(c, "checkpoint_ns", w)),
            "restart_s": s(median(c, "restart_ns", w)),
            "image_bytes": median(c, "image_bytes", w),
            "checkpoint_extra_bytes": median(c, "checkpoint_extra_bytes", w),
            "restart_extra_bytes": median(c, "restart_extra_bytes", w),
            "runs": n,
            # A failed restart leaves no verdict: count it as a failure.
            "restored_and_verified": f"{sum(v)}/{max(n, len(v))}",
            "checkpoint_s_all": [x / 1e9 for x in runs.get((c, "checkpoint_ns", w), [])],
            "restart_s_all": [x / 1e9 for x in runs.get((c, "restart_ns", w), [])],
        }
        if (c, "frozen_ns", w) in runs:
            entry[c]["frozen_s"] = s(median(c, "frozen_ns", w))
            entry[c]["continue_s"] = s(median(c, "continue_ns", w))
            entry[c]["continue_extra_bytes"] = median(c, "continue_extra_bytes", w)
    return entry


def target(what, value, want, ok):
    result["targets"].append({"what": what, "value": value, "want": want,
                              "met": None if value is None else ok(value)})


for mib in sizes:
    entry = contenders(mib)
    entry["limit"] = {
        "memcpy_fresh_s": s(median("limit", "memcpy_fresh_ns", mib)),
        "memcpy_warm_s": s(median("limit", "memcpy_warm_ns", mib)),
        "tmpfs_write_s": s(median("limit", "tmpfs_write_ns", mib)),
        "tmpfs_read_s": s(median("limit", "tmpfs_read_ns", mib)),
    }
    ours, criu, lim = entry.get("ours", {}), entry.get("criu", {}), entry["limit"]
    entry["ratios"] = {}
    for op in ("checkpoint", "restart"):
        o = ours.get(f"{op}_s")
        entry["ratios"][op] = {
            "criu/ours": ratio(criu.get(f"{op}_s"), o),
            "memcpy/ours": ratio(lim["memcpy_fresh_s"], o),
            "tmpfs_write/ours": ratio(lim["tmpfs_write_s"], o),
            "tmpfs_read/ours": ratio(lim["tmpfs_read_s"], o),
        }
    entry["ratios"]["frozen"] = {
        "criu/ours": ratio(criu.get("frozen_s"), ours.get("frozen_s")),
    }
    entry["ratios"]["image"] = {
        "criu/ours": ratio(criu.get("image_bytes"), ours.get("image_bytes")),
        "ours/touched": ratio(ours.get("image_bytes"), mib * MIB),
    }
    result["sizes_mib"][str(mib)] = entry
    r = entry["ratios"]
    for op in ("checkpoint", "restart"):
        target(f"{mib} MiB {op}: CRIU/ours", r[op]["criu/ours"], ">= 3",
               lambda x: x >= 3)
    # One copy of the bytes to where the image goes: the limit, for
    # sizes large enough that the fixed costs do not count.
    if mib >= 256:
        target(f"{mib} MiB checkpoint: tmpfs write/ours", r["checkpoint"]["tmpfs_write/ours"],
               ">= 0.9", lambda x: x >= 0.9)
    target(f"{mib} MiB image: ours/touched", r["image"]["ours/touched"], "<= 1.01",
           lambda x: x <= 1.01)

for w in others:
    kind, n = split(w)
    entry = {"what": KINDS[kind](n)}
    entry.update(contenders(w))
    ours, criu = entry.get("ours", {}), entry.get("criu", {})
    entry["ratios"] = {
        op: {"criu/ours": ratio(criu.get(f"{op}_s"), ours.get(f"{op}_s"))}
        for op in ("checkpoint", "restart")
    }
    entry["ratios"]["image"] = {
        "criu/ours": ratio(criu.get("image_bytes"), ours.get("image_bytes")),
    }
    result["workloads"][w] = entry
    want = 10 if w == "tree512" or kind == "threads" else 3
    for op in ("checkpoint", "restart"):
        target(f"{w} {op}: CRIU/ours", entry["ratios"][op]["criu/ours"], f">= {want}",
               lambda x, want=want: x >= want)


def spread(values):
    m = statistics.median(values)
    return (max(values) - min(values)) / m if m else 0


for op in dict.fromkeys(k[1] for k in over):
    y = [ns for _, ns in over.get(("y", op), [])]
    n = [ns for _, ns in over.get(("n", op), [])]
    if not y or not n:
        continue
    noise = max(spread(y), spread(n))
    r = statistics.median(y) / statistics.median(n)
    result["overhead"][op] = {
        "y_ns": round(statistics.median(y), 1), "n_ns": round(statistics.median(n), 1),
        "y/n": round(r, 3), "noise": round(noise, 3),
        "within_noise": abs(r - 1) <= noise,
        "runs": {"y": len(y), "n": len(n)},
        "y_all": y, "n_all": n,
    }

with open(json_path, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")


def fmt(x, kind):
    if x is None:
        return "-"
    if kind == "s":
        return f"{x:.3f} s"
    if kind == "b":
        if x < 2**20:
            return f"{x / 2**10:.0f} KiB"
        return f"{x / 2**20:.1f} MiB"
    return f"{x:.2f}"


def table(head, rows):
    width = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(x.rjust(w) if i > 1 else x.ljust(w)
                        for i, (x, w) in enumerate(zip(r, width))).rstrip())


def extra(x, op):
    """The memory a checkpointer used for itself: for a checkpoint, that
    of one that let the target go on if there was one, for one that kills
    it (as timed) overlaps the image being written with the target being
    freed."""
    if op == "checkpoint" and "continue_extra_bytes" in x:
        return fmt(x["continue_extra_bytes"], "b")
    return fmt(x.get(f"{op}_extra_bytes"), "b")


def op_rows(name, e):
    o, c = e.get("ours", {}), e.get("criu", {})
    rows = [(name, op, fmt(o.get(f"{op}_s"), "s"), fmt(c.get(f"{op}_s"), "s"),
             fmt(e["ratios"][op]["criu/ours"], "r"), extra(o, op), extra(c, op))
            for op in ("checkpoint", "restart")]
    if "frozen" in e["ratios"]:
        rows.append((name, "frozen", fmt(o.get("frozen_s"), "s"),
                     fmt(c.get("frozen_s"), "s"), fmt(e["ratios"]["frozen"]["criu/ours"], "r"),
                     "", ""))
    rows.append((name, "image", fmt(o.get("image_bytes"), "b"),
                 fmt(c.get("image_bytes"), "b"),
                 fmt(e["ratios"]["image"]["criu/ours"], "r"), "", ""))
    return rows


def verified(e):
    return ", ".join(f"{c} {e[c]['restored_and_verified']}"
                     for c in ("ours", "criu") if c in e)


HEAD = ("what", "ours", "CRIU", "CRIU/ours", "ours extra", "CRIU extra")
if sizes:
    rows = []
    for mib in sizes:
        e = result["sizes_mib"][str(mib)]
        lim = e["limit"]
        for r in op_rows(str(mib), e):
            if r[1] not in ("checkpoint", "restart"):
                rows.append(r + ("",) * 4)
                continue
            q = e["ratios"][r[1]]
            if r[1] == "checkpoint":
                rows.append(r + (fmt(lim["memcpy_fresh_s"], "s"), fmt(q["memcpy/ours"], "r"),
                                 fmt(lim["tmpfs_write_s"], "s"),
                                 fmt(q["tmpfs_write/ours"], "r")))
            else:
                rows.append(r + (fmt(lim["memcpy_fresh_s"], "s"), fmt(q["memcpy/ours"], "r"),
                                 fmt(lim["tmpfs_read_s"], "s"),
                                 fmt(q["tmpfs_read/ours"], "r")))
    table(("MiB",) + HEAD + ("memcpy", "memcpy/ours", "tmpfs", "tmpfs/ours"), rows)
    print()
    for mib in sizes:
        e = result["sizes_mib"][str(mib)]
        print(f"{mib} MiB: restored and verified: {verified(e)}; memcpy into populated "
              f"memory {fmt(e['limit']['memcpy_warm_s'], 's')}; image/touched "
              f"{fmt(e['ratios']['image']['ours/touched'], 'r')}")
    print("medians of the runs; memcpy: into fresh memory (page faults included); "
          "tmpfs: 1 MiB write() (checkpoint) or read() (restart) of a file on /tmp; "
          "frozen: longest gap of the target's 1 ms heartbeat during a checkpoint "
          "that lets it go on; extra: memory used above before and after (for a "
          "checkpoint: one that lets the target go on)")

if others:
    if sizes:
        print()
    rows = []
    for w in others:
        rows += op_rows(w, result["workloads"][w])
    table(("workload",) + HEAD, rows)
    print()
    for w in others:
        e = result["workloads"][w]
        print(f"{w}: {e['what']}: restored and verified: {verified(e)}")
    print("medians of the runs; treeN: N processes, each forking up to 4, "
          "with a few pages each; threadsN: N threads, the main one included; "
          "filesN: N files open at offsets and N/10 pipes holding data")

if result["overhead"]:
    print()
    rows = [(op, f"{e['y_ns']:.0f}", f"{e['n_ns']:.0f}", f"{e['y/n']:.3f}",
             f"{e['noise']:.3f}", "yes" if e["within_noise"] else "NO",
             f"{e['runs']['y']}/{e['runs']['n']}")
            for op, e in result["overhead"].items()]
    table(("operation", "ns =y", "ns =n", "y/n", "noise", "within noise", "runs y/n"), rows)
    print("CONFIG_CHECKPOINT=y against =n: medians of all runs on each kernel "
          "(alternate boots); noise: (max - min) / median of one kernel's runs")

if result["targets"]:
    print()
    short = [t for t in result["targets"] if t["met"] is False]
    print(f"targets met: {sum(1 for t in result['targets'] if t['met'])} of "
          f"{len(result['targets'])}")
    for t in short:
        print(f"short of target: {t['what']} = {t['value']} (want {t['want']})")

for p in result["problems"]:
    print(f"problem: {p}")


def svg_plot(path):
    """Bars of CRIU/ours for each workload, log scale, with the targets."""
    names, bars = [], []
    for mib in sizes:
        names.append(f"{mib} MiB")
        e = result["sizes_mib"][str(mib)]["ratios"]
        bars.append((e["checkpoint"]["criu/ours"], e["restart"]["criu/ours"],
                     e["frozen"]["criu/ours"]))
    for w in others:
        names.append(w)
        e = result["workloads"][w]["ratios"]
        bars.append((e["checkpoint"]["criu/ours"], e["restart"]["criu/ours"], None))
    colours = ("#3465a4", "#73d216", "#f57900")
    labels = ("checkpoint", "restart", "frozen")
    width, height, left, bottom, top = 120 * len(names) + 120, 420, 70, 60, 40
    lo, hi = 0.1, 100.0
    values = [v for b in bars for v in b if v]
    if values:
        hi = max(hi, 10 ** math.ceil(math.log10(max(values))))
        lo = min(lo, 10 ** math.floor(math.log10(min(values))))

    def y(v):
        f = (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return height - bottom - f * (height - bottom - top)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="20" font-size="14">checkpoint(2)/restart(2) '
           'against CRIU: CRIU time / our time (log scale; above 1: we are faster)</text>']
    d = 0
    while lo * 10 ** d <= hi:
        v = lo * 10 ** d
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   'stroke="#ccc"/>')
        out.append(f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        d += 1
    for v, what in ((3, "target 3x"), (10, "target 10x")):
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   'stroke="#cc0000" stroke-dasharray="6,4"/>')
        out.append(f'<text x="{width - 22}" y="{y(v) - 4:.1f}" text-anchor="end" '
                   f'fill="#cc0000">{what}</text>')
    for i, (name, b) in enumerate(zip(names, bars)):
        x0 = left + 20 + i * 120
        for j, v in enumerate(b):
            if not v:
                continue
            x = x0 + j * 28
            out.append(f'<rect x="{x}" y="{y(v):.1f}" width="24" '
                       f'height="{height - bottom - y(v):.1f}" fill="{colours[j]}"/>')
            out.append(f'<text x="{x + 12}" y="{y(v) - 3:.1f}" text-anchor="middle" '
                       f'font-size="10">{v:.1f}</text>')
        out.append(f'<text x="{x0 + 40}" y="{height - bottom + 18}" '
                   f'text-anchor="middle">{name}</text>')
    for j, what in enumerate(labels):
        x = left + j * 110
        out.append(f'<rect x="{x}" y="{height - 22}" width="12" height="12" '
                   f'fill="{colours[j]}"/>')
        out.append(f'<text x="{x + 16}" y="{height - 12}">{what}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


svg_plot(svg_path)
print(f"written: {json_path}, {svg_path}")
