#!/usr/bin/env bash
# scripts/plot.py draws valid, non-empty PNG and SVG pictures from a small real run, and refuses
# bad input with exit 2.
source "$(dirname "$0")/lib.sh"
plot="$(dirname "$0")/../../scripts/plot.py"
mpirun_np 2 p2p --sizes 1:64K:8 --iters 100 --json "$work/r.jsonl" --traffic-out "$work/t.json" >/dev/null 2>&1 || fail "p2p lat"
mpirun_np 2 p2p --mode bw --sizes 1K:64K:8 --iters 5 --json "$work/r.jsonl" >/dev/null 2>&1 || fail "p2p bw"
mpirun_np 2 allreduce --algo auto,ring,mpi --sizes 8:1M:8 --iters 3 --warmup 1 --json "$work/r.jsonl" >/dev/null 2>&1 || fail "allreduce"
mpirun_np 2 train --model gpt2 --bucket 25M --steps 2 --compute-ms 5 --json "$work/r.jsonl" >/dev/null 2>&1 || fail "train"
for rate in 200 400; do
  mpirun_np 2 rpc --transport tcp --rate $rate --warmup 50ms --duration 300ms --request-timeout 20s \
    --json "$work/r.jsonl" >/dev/null 2>&1 || fail "rpc at $rate"
done
$PY "$plot" "$work/r.jsonl" --traffic "$work/t.json" -o "$work/plots" >"$work/list" || fail "plot.py failed"
$PY - "$work/plots" "$work/list" p2p-latency p2p-bandwidth allreduce-busbw rpc-latency-load rpc-latency-cdf train-breakdown traffic-t <<'PYEOF'
import os, sys
import xml.etree.ElementTree as ET
folder, listing, expect = sys.argv[1], sys.argv[2], " ".join(sys.argv[3:]).split()
written = open(listing).read().split()
for name in expect:
    png = os.path.join(folder, name + ".png")
    svg = os.path.join(folder, name + ".svg")
    assert png in written and svg in written, (name, written)
    data = open(png, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, (png, len(data))
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg"), root.tag
    text = open(svg).read()
    assert "<path" in text or "<use" in text, svg
print("pictures:", " ".join(expect))
PYEOF
echo "not json" >"$work/bad.jsonl"
expect_exit 2 "bad.jsonl:1: not JSON" $PY "$plot" "$work/bad.jsonl" -o "$work/p2"
expect_exit 2 "nothing to draw" $PY "$plot" /dev/null -o "$work/p3"
expect_exit 2 "nosuch.json: cannot read" $PY "$plot" --traffic "$work/nosuch.json" -o "$work/p4"
echo "plots check out"
