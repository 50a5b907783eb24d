#!/usr/bin/env bash
# --pairs all: every pair once, in round-robin rounds; a rank slowed on purpose is the one the
# latency matrix points at. Launched without mpirun (a resting rank then blocks in the TCP
# bootstrap instead of spinning), so three ranks fit two cores.
source "$(dirname "$0")/lib.sh"
args=(p2p --transport tcp --pairs all --sizes 8 --iters 30 --warmup 3 --inject-delay 2:20ms)
start_listener "${args[@]}" --ranks 3 --json "$work/r.jsonl" --matrix-out "$work/m.json"
for i in 1 2; do
  "$LIGHTPATH" "${args[@]}" --connect "127.0.0.1:$port" >"$work/c$i.out" 2>&1 &
done
wait "$listen_pid" || { cat "$work/listen.out"; fail "the listening rank failed"; }
wait
cat "$work/listen.out"
grep -q "3 pair(s) in 3 round(s)" "$work/listen.out" || fail "3 ranks make 3 pairs in 3 rounds"
grep -q "in most of the slow pairs: rank 2 (2 of 2)" "$work/listen.out" || fail "the slow rank is not named"
$PY - "$work/m.json" "$work/r.jsonl" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["format"] == "lightpath.latency-matrix/1" and m["names"] == ["rank 0", "rank 1", "rank 2"], m
p50 = m["p50_us"]
assert all(p50[i][j] == p50[j][i] and p50[i][j] > 0 for i in range(3) for j in range(3) if i != j), p50
assert p50[0][2] > 9000 and p50[1][2] > 9000, p50  # about half of the 20 ms spun per reply
assert p50[0][1] < p50[0][2] / 2, p50
assert m["suspects"][0]["name"] == "rank 2", m["suspects"]
r = json.loads(open(sys.argv[2]).readline())
assert r["pair_schedule"] == "all" and r["pairs"] == 3 and len(r["per_pair"]) == 3, r
PYEOF
expect_exit 2 "--pairs: 'some' is not a pairing" "$LIGHTPATH" p2p --pairs some --listen :0
expect_exit 2 "--matrix-out needs --pairs all" "$LIGHTPATH" p2p --matrix-out x.json --listen :0
expect_exit 2 "--inject-delay" "$LIGHTPATH" p2p --inject-delay soon --listen :0
echo "the pairwise sweep finds the slow rank"
