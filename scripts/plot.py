#!/usr/bin/python3
"""Pictures of lightpath results: reads JSON Lines result records (lightpath.result/1) and
traffic files (lightpath.traffic/1) and draws, as PNG and SVG:
  p2p-latency       one-way latency against message size, per transport (p50, p99 band)
  p2p-bandwidth     bandwidth against message size, per transport and mode
  allreduce-busbw   all-reduce bus bandwidth against size, per algorithm, MPI baseline dashed
  rpc-latency-load  request latency percentiles against offered load
  rpc-latency-cdf   the latency distribution at each load (from the recorded percentiles)
  train-breakdown   communication per training step, exposed and hidden behind compute
  traffic-NAME      a heatmap of each traffic file
Run with Debian's interpreter (it has python3-matplotlib):
  /usr/bin/python3 scripts/plot.py results.jsonl [--traffic t.json ...] -o plots/
"""
import argparse
import json
import math
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402


def fail(msg):
    print(f"plot.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def read_results(path):
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    fail(f"{path}:{n}: not JSON ({e.msg})")
                if not isinstance(r, dict) or r.get("format") != "lightpath.result/1":
                    fail(f"{path}:{n}: not a lightpath.result/1 record")
                records.append(r)
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    return records


def save(fig, out, name, written):
    for ext in ("png", "svg"):
        path = os.path.join(out, f"{name}.{ext}")
        tmp = path + ".tmp"
        fig.savefig(tmp, format=ext, dpi=120, bbox_inches="tight")
        os.replace(tmp, path)  # never a half-written picture
        written.append(path)
    plt.close(fig)


def size_axis(ax):
    ax.set_xscale("log", base=2)
    ax.set_xlabel("message size (bytes)")
    ax.grid(True, which="both", alpha=0.3)


def series_label(r, *keys):
    return " ".join(str(r.get(k)) for k in keys if r.get(k) is not None)


def plot_p2p(records, out, written):
    lat = defaultdict(list)
    bw = defaultdict(list)
    for r in records:
        if r.get("benchmark") != "p2p" or r.get("size", 0) <= 0:
            continue
        key = (r["transport"], r["ranks"], r.get("pair_schedule", "halves"))
        (lat if r.get("mode") == "lat" else bw)[key + (r.get("mode"),)].append(r)
    if lat:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for (transport, ranks, sched, _), rs in sorted(lat.items()):
            rs.sort(key=lambda r: r["size"])
            x = [r["size"] for r in rs]
            p50 = [r["latency_us"]["p50"] for r in rs]
            p99 = [r["latency_us"]["p99"] for r in rs]
            line, = ax.plot(x, p50, marker="o", label=f"{transport}, {ranks} ranks (p50; band to p99)")
            ax.fill_between(x, p50, p99, color=line.get_color(), alpha=0.15)
        size_axis(ax)
        ax.set_yscale("log")
        ax.set_ylabel("one-way latency (µs)")
        ax.set_title("p2p latency")
        ax.legend()
        save(fig, out, "p2p-latency", written)
    if bw:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for (transport, ranks, sched, mode), rs in sorted(bw.items()):
            rs.sort(key=lambda r: r["size"])
            ax.plot([r["size"] for r in rs], [r["bandwidth_GBps"] for r in rs], marker="o",
                    label=f"{transport} {mode}, {ranks} ranks")
        size_axis(ax)
        ax.set_ylabel("bandwidth (GB/s, 10^9 bytes/s)")
        ax.set_title("p2p bandwidth")
        ax.legend()
        save(fig, out, "p2p-bandwidth", written)


def plot_allreduce(records, out, written):
    series = defaultdict(list)
    for r in records:
        if r.get("benchmark") == "allreduce" and r.get("size", 0) > 0:
            series[(r.get("algo"), r["transport"], r["ranks"], r.get("dtype"))].append(r)
    if not series:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for (algo, transport, ranks, dtype), rs in sorted(series.items(), key=lambda kv: str(kv[0])):
        rs.sort(key=lambda r: r["size"])
        style = "--" if algo == "mpi" else "-"
        label = f"MPI_Allreduce (baseline), {ranks} ranks" if algo == "mpi" else f"{algo} over {transport}, {ranks} ranks"
        ax.plot([r["size"] for r in rs], [r["busbw_GBps"] for r in rs], style, marker="o", label=f"{label}, {dtype}")
    size_axis(ax)
    ax.set_xlabel("size per rank (bytes)")
    ax.set_ylabel("bus bandwidth (GB/s)")
    ax.set_title("all-reduce bus bandwidth")
    ax.legend(fontsize="small")
    save(fig, out, "allreduce-busbw", written)


QUANTILES = [("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9), ("p9999", 99.99)]


def plot_rpc(records, out, written):
    rs = [r for r in records if r.get("benchmark") == "rpc" and r.get("count", 0) > 0]
    if not rs:
        return
    groups = defaultdict(list)
    for r in rs:
        groups[(r["transport"], r.get("req"), r.get("resp"))].append(r)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for (transport, req, resp), g in sorted(groups.items(), key=lambda kv: str(kv[0])):
        g.sort(key=lambda r: r["offered_rps"])
        for key, _ in QUANTILES[:4]:
            ax.plot([r["offered_rps"] for r in g], [r["latency_us"][key] for r in g], marker="o",
                    label=f"{key}, {transport} {req}/{resp} B")
    ax.set_xlabel("offered load (requests/s)")
    ax.set_ylabel("latency from intended send (µs)")
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title("rpc latency against load")
    ax.legend(fontsize="small")
    save(fig, out, "rpc-latency-load", written)

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for r in sorted(rs, key=lambda r: (r["transport"], r["offered_rps"])):
        lat = r["latency_us"]
        pts = [(lat[k], q) for k, q in QUANTILES if k in lat]
        if "max" in lat:
            pts.append((lat["max"], 100.0))
        ax.step([p[0] for p in pts], [p[1] for p in pts], where="post", marker=".",
                label=f"{r['transport']} at {r['offered_rps']:g} req/s")
    ax.set_xscale("log")
    ax.set_xlabel("latency from intended send (µs)")
    ax.set_ylabel("requests at or below (%)")
    ax.set_ylim(45, 100.5)
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title("rpc latency distribution")
    ax.legend(fontsize="small")
    save(fig, out, "rpc-latency-cdf", written)


def plot_train(records, out, written):
    rs = [r for r in records if r.get("benchmark") == "train"]
    if not rs:
        return
    labels = [f"{r.get('model')}\n{r.get('algo', '')}, {r['ranks']} ranks" for r in rs]
    comm = [r["step_comm_ms"]["avg"] for r in rs]
    compute = [r.get("compute_ms", 0.0) for r in rs]
    exposed = [min(r.get("exposed_ms", 0.0), c) for r, c in zip(rs, comm)]
    fig, ax = plt.subplots(figsize=(max(5, 1.8 * len(rs)), 4.8))
    x = list(range(len(rs)))
    ax.bar(x, compute, label="compute (communication overlaps it)", color="tab:gray")
    ax.bar(x, exposed, bottom=compute, label="exposed communication (waited for)", color="tab:red")
    ax.scatter(x, comm, marker="_", s=900, color="black", zorder=3, label="all communication of the step")
    ax.set_xticks(x, labels, fontsize="small")
    ax.set_ylabel("time per training step (ms)")
    ax.set_title("training step: compute and exposed communication")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=1, fontsize="small")
    save(fig, out, "train-breakdown", written)


def plot_traffic(path, out, written):
    try:
        with open(path, encoding="utf-8") as f:
            t = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        fail(f"{path}: cannot read traffic ({e})")
    if t.get("format") != "lightpath.traffic/1":
        fail(f"{path}: not a lightpath.traffic/1 file")
    names, m = t["names"], t["matrix"]
    if len(m) != len(names) or any(len(row) != len(names) for row in m):
        fail(f"{path}: matrix is not {len(names)} x {len(names)}")
    positive = [v for row in m for v in row if v > 0]
    fig, ax = plt.subplots(figsize=(6, 5))
    masked = [[v if v > 0 else math.nan for v in row] for row in m]
    norm = LogNorm(vmin=min(positive), vmax=max(positive)) if positive else None
    im = ax.imshow(masked, cmap="viridis", norm=norm)
    fig.colorbar(im, ax=ax, label=f"bytes over {t.get('duration_s', 0):g} s")
    if len(names) <= 32:
        ax.set_xticks(range(len(names)), names, rotation=90, fontsize="small")
        ax.set_yticks(range(len(names)), names, fontsize="small")
    ax.set_xlabel("to")
    ax.set_ylabel("from")
    ax.set_title(f"{t.get('level', '')}-level traffic: {os.path.basename(path)}")
    stem = os.path.splitext(os.path.basename(path))[0]
    save(fig, out, f"traffic-{stem}", written)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results", nargs="*", help="JSON Lines result files")
    p.add_argument("--traffic", action="append", default=[], help="a traffic file to draw as a heatmap")
    p.add_argument("-o", "--out", required=True, help="folder for the pictures")
    a = p.parse_args()
    if not a.results and not a.traffic:
        fail("give result files, --traffic files, or both")
    records = [r for path in a.results for r in read_results(path)]
    os.makedirs(a.out, exist_ok=True)
    written = []
    plot_p2p(records, a.out, written)
    plot_allreduce(records, a.out, written)
    plot_rpc(records, a.out, written)
    plot_train(records, a.out, written)
    for t in a.traffic:
        plot_traffic(t, a.out, written)
    if not written:
        fail("nothing to draw: no p2p, allreduce, rpc or train records")
    for w in written:
        print(w)


if __name__ == "__main__":
    main()
