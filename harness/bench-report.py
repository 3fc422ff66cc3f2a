#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console log of a bench run into tables and a JSON file.

    bench-report.py CONSOLE_LOG OUT.json

The VM (harness/bench-vm.sh) prints one line per measurement:
    bench-result CONTENDER METRIC WORKLOAD REP VALUE
WORKLOAD is a number of MiB (one process holding that much memory, with
the copy limits next to it: "sizes_mib" in the JSON file), treeN (a tree
of N processes) or threadsN (one process of N threads): "workloads".
Each value kept is the median of the runs.  Ratios: CRIU/ours (above 1:
CRIU takes longer) and limit/ours (the fraction of the time ours takes
that the bare copy of the same bytes needs: 1 would be ideal).
"""

import json
import re
import statistics
import sys
from collections import defaultdict

KINDS = {"tree": "a tree of {} processes", "threads": "one process of {} threads"}

log_path, json_path = sys.argv[1], sys.argv[2]
runs = defaultdict(list)        # (contender, metric, workload) -> [values]
notes = []
with open(log_path, errors="replace") as f:
    for line in f:
        line = line.strip("\r\n")
        m = re.match(r"bench-result (\S+) (\S+) ((?:tree|threads)?\d+) (\d+) (\d+)\s*$",
                     line)
        if m:
            c, metric, w, _rep, value = m.groups()
            runs[(c, metric, int(w) if w.isdigit() else w)].append(int(value))
        elif line.startswith("bench: "):
            notes.append(line[len("bench: "):])

if not runs:
    sys.exit(f"no bench-result lines in {log_path}")


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
    "unit": {"time": "s", "size": "bytes"},
    "note": "medians; ratios are criu/ours and limit/ours; sizes_mib: one "
            "process holding that many MiB; workloads: trees of processes "
            "and a process of threads",
    "vm": [n for n in notes
           if n.startswith(("kernel", "sizes", "workloads", "Version"))],
    "criu_check": [n[len("criu check: "):] for n in notes
                   if n.startswith("criu check: ")],
    "problems": [n[len("problem: "):] for n in notes
                 if n.startswith("problem: ")],
    "sizes_mib": {},
    "workloads": {},
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
            "runs": n,
            # A failed restart leaves no verdict: count it as a failure.
            "restored_and_verified": f"{sum(v)}/{max(n, len(v))}",
            "checkpoint_s_all": [x / 1e9 for x in runs.get((c, "checkpoint_ns", w), [])],
            "restart_s_all": [x / 1e9 for x in runs.get((c, "restart_ns", w), [])],
        }
    return entry


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
    entry["ratios"]["image"] = {
        "criu/ours": ratio(criu.get("image_bytes"), ours.get("image_bytes")),
    }
    result["sizes_mib"][str(mib)] = entry

for w in others:
    kind, n = split(w)
    entry = {"what": KINDS[kind].format(n)}
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


def op_rows(name, e):
    o, c = e.get("ours", {}), e.get("criu", {})
    rows = [(name, op, fmt(o.get(f"{op}_s"), "s"), fmt(c.get(f"{op}_s"), "s"),
             fmt(e["ratios"][op]["criu/ours"], "r"))
            for op in ("checkpoint", "restart")]
    rows.append((name, "image", fmt(o.get("image_bytes"), "b"),
                 fmt(c.get("image_bytes"), "b"),
                 fmt(e["ratios"]["image"]["criu/ours"], "r")))
    return rows


def verified(e):
    return ", ".join(f"{c} {e[c]['restored_and_verified']}"
                     for c in ("ours", "criu") if c in e)


if sizes:
    rows = []
    for mib in sizes:
        e = result["sizes_mib"][str(mib)]
        lim = e["limit"]
        for r in op_rows(str(mib), e):
            if r[1] == "image":
                rows.append(r + ("",) * 6)
                continue
            q = e["ratios"][r[1]]
            rows.append(r + (fmt(lim["memcpy_fresh_s"], "s"), fmt(q["memcpy/ours"], "r"),
                             fmt(lim["tmpfs_write_s"], "s"), fmt(q["tmpfs_write/ours"], "r"),
                             fmt(lim["tmpfs_read_s"], "s"), fmt(q["tmpfs_read/ours"], "r")))
    table(("MiB", "what", "ours", "CRIU", "CRIU/ours", "memcpy", "memcpy/ours",
           "tmpfs wr", "wr/ours", "tmpfs rd", "rd/ours"), rows)
    print()
    for mib in sizes:
        e = result["sizes_mib"][str(mib)]
        print(f"{mib} MiB: restored and verified: {verified(e)}; memcpy into populated "
              f"memory {fmt(e['limit']['memcpy_warm_s'], 's')}")
    print("medians of the runs; memcpy: into fresh memory (page faults included); "
          "tmpfs wr/rd: 1 MiB write()/read() of a file on /tmp")

if others:
    if sizes:
        print()
    rows = []
    for w in others:
        rows += op_rows(w, result["workloads"][w])
    table(("workload", "what", "ours", "CRIU", "CRIU/ours"), rows)
    print()
    for w in others:
        e = result["workloads"][w]
        print(f"{w}: {e['what']}: restored and verified: {verified(e)}")
    print("medians of the runs; treeN: N processes, each forking up to 4, "
          "with a few pages each; threadsN: N threads, the main one included")

for p in result["problems"]:
    print(f"problem: {p}")
print(f"written: {json_path}")
