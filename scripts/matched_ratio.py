#!/usr/bin/env python3
"""Ratio of two tools' figures measured in the same host placement.

On a virtual machine the host moves the vCPUs between physical placements (the same core's
threads, one core complex, two dies) from one run to the next, and a ping-pong's figure follows
the placement, not the tool: consecutive ucx_perftest runs 0.3 s apart read 0.085, 0.19 and
0.66 us one-way. A ratio of two plain medians then compares placements whenever the two tools
drew different ones. This pools every run's figure of both tools, splits the pool where one
sorted value exceeds the one below it by more than --gap, and compares the two tools inside
the group both visited most (the largest min(peer runs, our runs)). With one group it compares
all runs. Our runs in a group without a peer run (a placement the peer did not draw, or one
where we are over --gap slower than the peer) are not judged, and the note says how many.

Inside a group the runs are summed up by their interquartile mean (the mean of the middle half,
as robust as a median to an odd run): per-iteration times come from a clock that steps in
10 ns on this VM, so each run's p50 lies on a 5 ns grid (2.7% at 0.19 us), and a median of runs
stays on it, while a mean of the middle half resolves the steps.

Usage: matched_ratio.py --peer 0.19,0.66,... --ours 0.20,0.65,... [--gap 1.2]
Prints: PEER OURS RATIO NOTE   (NOTE names the groups when there is more than one)
"""
import argparse


def groups(values, gap):
    ordered = sorted(values)
    out = [[ordered[0]]]
    for below, value in zip(ordered, ordered[1:]):
        if value > below * gap:
            out.append([])
        out[-1].append(value)
    return out


def middle_mean(values):
    ordered = sorted(values)
    cut = len(ordered) // 4
    middle = ordered[cut:len(ordered) - cut]
    return sum(middle) / len(middle)


def matched(peer, ours, gap):
    tagged = [(v, 0) for v in peer] + [(v, 1) for v in ours]
    bounds = [(g[0], g[-1]) for g in groups([v for v, _ in tagged], gap)]
    best = None
    described = []
    alone = 0  # our runs in groups without a peer run: not judged
    for lo, hi in bounds:
        p = [v for v, t in tagged if t == 0 and lo <= v <= hi]
        o = [v for v, t in tagged if t == 1 and lo <= v <= hi]
        ratio = f" x{middle_mean(o) / middle_mean(p):.3f}" if p and o else ""
        described.append(f"{lo:g}..{hi:g}: {len(p)}/{len(o)}{ratio}")
        if not p:
            alone += len(o)
        key = (min(len(p), len(o)), len(p) + len(o))
        if p and o and (best is None or key > best[0]):
            best = (key, p, o, len(described) - 1)
    if best is None:  # the two never shared a placement: say so, compare all runs
        return middle_mean(peer), middle_mean(ours), "no shared placement; all runs"
    _, p, o, index = best
    note = "" if len(bounds) == 1 else f"placement {index + 1} of [{'; '.join(described)}] (runs peer/ours, ratio)"
    if alone:
        note += f"; {alone} of our {len(ours)} runs in groups without a peer run, not judged"
    return middle_mean(p), middle_mean(o), note


def floats(text):
    try:
        values = [float(v) for v in text.split(",") if v]
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from e
    if not values or min(values) <= 0:
        raise argparse.ArgumentTypeError(f"need positive numbers: {text!r}")
    return values


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peer", type=floats, required=True)
    ap.add_argument("--ours", type=floats, required=True)
    ap.add_argument("--gap", type=float, default=1.2)
    args = ap.parse_args()
    if args.gap <= 1:
        ap.error("--gap must exceed 1")
    p, o, note = matched(args.peer, args.ours, args.gap)
    print(f"{p:.4f} {o:.4f} {o / p:.4f} {note}".rstrip())


if __name__ == "__main__":
    main()
