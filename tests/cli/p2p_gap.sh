#!/usr/bin/env bash
# p2p --gap: the initiator idles before each ping, and that idle time stays out of the latency.
source "$(dirname "$0")/lib.sh"
transport=$1
skip_unless_available "$transport"
start=$(date +%s.%N)
mpirun_np 2 p2p --transport "$transport" --sizes 8 --iters 50 --warmup 0 --gap 20ms --check \
  --json "$work/r.jsonl" >"$work/out" 2>&1 || { cat "$work/out"; fail "p2p --gap failed"; }
end=$(date +%s.%N)
cat "$work/out"
$PY - "$work/r.jsonl" "$start" "$end" <<'PYEOF'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
wall = float(sys.argv[3]) - float(sys.argv[2])
assert r["gap_us"] == 20000, r.get("gap_us")
assert r["iters"] == 50 and r["samples"] == 50 and r["check"] == "pass", r
# 50 pings 20 ms apart take 1 s at least. Were the gap timed, every one-way figure would be
# 10 ms or more; this bound holds even where the ranks share cores with other runs (a
# descheduled rank costs a few ms; under a sanitizer in a loaded suite p50 read 3 ms).
assert wall >= 1.0, wall
assert r["latency_us"]["p50"] < 10000, r["latency_us"]
print(f"50 pings, 20 ms apart, in {wall:.2f} s; one-way p50 {r['latency_us']['p50']} us")
PYEOF
