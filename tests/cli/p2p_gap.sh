#!/usr/bin/env bash
# p2p --gap: the initiator idles before each ping, and that idle time stays out of the latency.
source "$(dirname "$0")/lib.sh"
transport=$1
skip_unless_available "$transport"
start=$(date +%s.%N)
mpirun_np 2 p2p --transport "$transport" --sizes 8 --iters 200 --warmup 0 --gap 2ms --check \
  --json "$work/r.jsonl" >"$work/out" 2>&1 || { cat "$work/out"; fail "p2p --gap failed"; }
end=$(date +%s.%N)
cat "$work/out"
$PY - "$work/r.jsonl" "$start" "$end" <<'PYEOF'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
wall = float(sys.argv[3]) - float(sys.argv[2])
assert r["gap_us"] == 2000, r.get("gap_us")
assert r["iters"] == 200 and r["samples"] == 200 and r["check"] == "pass", r
# 200 pings 2 ms apart take 0.4 s at least, none of which is in the one-way figures.
assert wall >= 0.4, wall
assert r["latency_us"]["p50"] < 1000, r["latency_us"]
print(f"200 pings, 2 ms apart, in {wall:.2f} s; one-way p50 {r['latency_us']['p50']} us")
PYEOF
