#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console log of a bench run into a table and a JSON file.

    bench-report.py CONSOLE_LOG OUT.json

The VM (harness/bench-vm.sh) prints one line per measurement:
    bench-result CONTENDER METRIC MIB REP VALUE
Each value kept is the median of the runs.  Ratios: CRIU/ours (above 1:
CRIU takes longer) and limit/ours (the fraction of the time ours takes
that the bare copy of the same bytes needs: 1 would be ideal).
"""

import json
import re
import statistics
import sys
from collections import defaultdict

log_path, json_path = sys.argv[1], sys.argv[2]
runs = defaultdict(list)        # (contender, metric, mib) -> [values]
notes = []
with open(log_path, errors="replace") as f:
    for line in f:
        line = line.strip("\r\n")
        m = re.match(r"bench-result (\S+) (\S+) (\d+) (\d+) (\d+)\s*$", line)
        if m:
            c, metric, mib, _rep, value = m.groups()
            runs[(c, metric, int(mib))].append(int(value))
        elif line.startswith("bench: "):
            notes.append(line[len("bench: "):])

if not runs:
    sys.exit(f"no bench-result lines in {log_path}")


def median(c, metric, mib):
    v = runs.get((c, metric, mib))
    return statistics.median(v) if v else None


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


sizes = sorted({k[2] for k in runs})
result = {
    "unit": {"time": "s", "size": "bytes"},
    "note": "medians; ratios are criu/ours and limit/ours",
    "vm": [n for n in notes if n.startswith(("kernel", "sizes", "Version"))],
    "criu_check": [n[len("criu check: "):] for n in notes
                   if n.startswith("criu check: ")],
    "problems": [n[len("problem: "):] for n in notes
                 if n.startswith("problem: ")],
    "sizes_mib": {},
}

s = lambda ns: None if ns is None else ns / 1e9     # noqa: E731
for mib in sizes:
    entry = {}
    for c in ("ours", "criu"):
        if not any(k[0] == c and k[2] == mib for k in runs):
            continue
        v = runs.get((c, "verified", mib), [])
        entry[c] = {
            "checkpoint_s": s(median(c, "checkpoint_ns", mib)),
            "restart_s": s(median(c, "restart_ns", mib)),
            "image_bytes": median(c, "image_bytes", mib),
            "runs": len(runs.get((c, "checkpoint_ns", mib), [])),
            "restored_and_verified": f"{sum(v)}/{len(v)}",
            "checkpoint_s_all": [x / 1e9 for x in runs.get((c, "checkpoint_ns", mib), [])],
            "restart_s_all": [x / 1e9 for x in runs.get((c, "restart_ns", mib), [])],
        }
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

with open(json_path, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")


def fmt(x, kind):
    if x is None:
        return "-"
    if kind == "s":
        return f"{x:.3f} s"
    if kind == "b":
        return f"{x / 2**20:.1f} MiB"
    return f"{x:.2f}"


head = ("MiB", "what", "ours", "CRIU", "CRIU/ours", "memcpy", "memcpy/ours",
        "tmpfs wr", "wr/ours", "tmpfs rd", "rd/ours")
rows = []
for mib in sizes:
    e = result["sizes_mib"][str(mib)]
    o, c, lim = e.get("ours", {}), e.get("criu", {}), e["limit"]
    for op in ("checkpoint", "restart"):
        r = e["ratios"][op]
        rows.append((str(mib), op, fmt(o.get(f"{op}_s"), "s"),
                     fmt(c.get(f"{op}_s"), "s"), fmt(r["criu/ours"], "r"),
                     fmt(lim["memcpy_fresh_s"], "s"), fmt(r["memcpy/ours"], "r"),
                     fmt(lim["tmpfs_write_s"], "s"), fmt(r["tmpfs_write/ours"], "r"),
                     fmt(lim["tmpfs_read_s"], "s"), fmt(r["tmpfs_read/ours"], "r")))
    rows.append((str(mib), "image", fmt(o.get("image_bytes"), "b"),
                 fmt(c.get("image_bytes"), "b"),
                 fmt(e["ratios"]["image"]["criu/ours"], "r"),
                 "", "", "", "", "", ""))
width = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
for r in [head] + rows:
    print("  ".join(x.rjust(w) if i > 1 else x.ljust(w)
                    for i, (x, w) in enumerate(zip(r, width))).rstrip())
print()
for mib in sizes:
    e = result["sizes_mib"][str(mib)]
    ver = ", ".join(f"{c} {e[c]['restored_and_verified']}"
                    for c in ("ours", "criu") if c in e)
    print(f"{mib} MiB: restored and verified: {ver}; memcpy into populated "
          f"memory {fmt(e['limit']['memcpy_warm_s'], 's')}")
print("medians of the runs; memcpy: into fresh memory (page faults included); "
      "tmpfs wr/rd: 1 MiB write()/read() of a file on /tmp")
for p in result["problems"]:
    print(f"problem: {p}")
print(f"written: {json_path}")
