#!/usr/bin/env python3
"""Runs `lightpath rpc` (under mpirun or not) with --json and checks the records it wrote.

usage: check_records.py [--streaming] [--kv METHOD] -- COMMAND...
Each record must carry the fields DESIGN.md promises for rpc, every measured request must be
answered (no timeouts, no mismatched responses), and the percentiles must be ordered.
"""
import json
import os
import subprocess
import sys
import tempfile

CONTRACT = ["format", "benchmark", "transport", "ranks", "hosts", "version", "git", "command",
            "started", "req", "resp", "arrival", "offered_rps", "achieved_rps", "count",
            "timeouts", "latency_us", "service_latency_us"]
KEYS = ["p50", "p90", "p99", "p999", "p9999", "max"]


def check_percentiles(record, field, problems):
    values = record.get(field)
    if not isinstance(values, dict) or sorted(values) != sorted(KEYS):
        problems.append(f"{field}: expected keys {KEYS}, got {values}")
        return
    ordered = [values[k] for k in KEYS]
    if any(v is None for v in ordered):
        problems.append(f"{field}: a percentile is a timeout: {values}")
    elif ordered != sorted(ordered) or ordered[0] <= 0:
        problems.append(f"{field}: percentiles out of order: {values}")


def main():
    args = sys.argv[1:]
    if "--" not in args:
        sys.exit(__doc__)
    split = args.index("--")
    options, command = args[:split], args[split + 1:]
    streaming = "--streaming" in options
    kv = options[options.index("--kv") + 1] if "--kv" in options else None
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rpc.jsonl")
        run = subprocess.run(command + ["--json", out], capture_output=True, text=True,
                             timeout=120)
        if run.returncode != 0:
            sys.exit(f"exit status {run.returncode}\n{run.stdout}\n{run.stderr}")
        with open(out) as f:
            records = [json.loads(line) for line in f]
    problems = []
    if not records:
        problems.append("no records")
    for r in records:
        problems += [f"missing {k}" for k in CONTRACT if k not in r]
        if r.get("benchmark") != "rpc" or r.get("format") != "lightpath.result/1":
            problems.append("not an rpc result record")
        if not r.get("count", 0) > 0 or r.get("timeouts") != 0 or r.get("mismatched") != 0:
            problems.append(f"count {r.get('count')}, timeouts {r.get('timeouts')}, "
                            f"mismatched {r.get('mismatched')}")
        if r.get("answered") != r.get("count"):
            problems.append(f"answered {r.get('answered')} of {r.get('count')}")
        check_percentiles(r, "latency_us", problems)
        check_percentiles(r, "service_latency_us", problems)
        if streaming:
            check_percentiles(r, "ttft_us", problems)
            check_percentiles(r, "itl_us", problems)
        if kv:
            if r.get("kv_method") != kv:
                problems.append(f"kv_method {r.get('kv_method')}, expected {kv}")
            check_percentiles(r, "kv_us", problems)
    if problems:
        sys.exit("\n".join(problems) + "\n" + run.stdout)
    print(run.stdout)


if __name__ == "__main__":
    main()
