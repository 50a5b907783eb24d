#!/usr/bin/env bash
# p2p under mpirun: NP ranks over TRANSPORT, every payload checked, records and traffic read back.
source "$(dirname "$0")/lib.sh"
np=$1 transport=$2
skip_unless_available "$transport"
mpirun_np "$np" p2p --transport "$transport" --sizes 0:64K:16 --iters 30 --warmup 3 --check \
  --json "$work/r.jsonl" --traffic-out "$work/t.json" >"$work/out" 2>&1 || { cat "$work/out"; fail "p2p failed"; }
cat "$work/out"
for mode in bw bibw; do
  mpirun_np "$np" p2p --transport "$transport" --mode $mode --sizes 1K:64K:64 --iters 5 --window 8 \
    --check --json "$work/r.jsonl" >/dev/null 2>&1 || fail "p2p --mode $mode failed"
done
$PY - "$work/r.jsonl" "$work/t.json" "$np" "$transport" <<'PYEOF'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
traffic = json.load(open(sys.argv[2]))
np, transport = int(sys.argv[3]), sys.argv[4]
sizes = [0, 1, 16, 256, 4096, 65536]
assert len(records) == len(sizes) + 2 * 2, len(records)
for r, size in zip(records, sizes + [1024, 65536] * 2):
    for k in ("format", "benchmark", "transport", "ranks", "hosts", "version", "git", "command",
              "started", "mode", "size", "pairs", "latency_us", "bandwidth_GBps", "msg_rate"):
        assert k in r, k
    assert r["format"] == "lightpath.result/1" and r["benchmark"] == "p2p"
    assert r["transport"] == transport and r["ranks"] == np and r["pairs"] == np // 2
    assert r["size"] == size, (r["size"], size)
    assert r["check"] == "pass"
    lat = r["latency_us"]
    assert 0 <= lat["min"] <= lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["p999"] <= lat["max"], lat
    assert len(r["per_pair"]) == np // 2
assert traffic["format"] == "lightpath.traffic/1" and traffic["level"] == "rank"
m = traffic["matrix"]
assert len(m) == np and all(len(row) == np for row in m) and len(traffic["hosts"]) == np
for i in range(np):
    for j in range(np):
        paired = j == (i + np // 2) % np and (i < np // 2 * 2 and j < np // 2 * 2)
        if not paired:
            assert m[i][j] == 0, (i, j, m[i][j])
# lat mode: 33 messages of every size each way per pair.
assert m[0][np // 2] == 33 * sum(sizes), m[0][np // 2]
print("records and traffic check out")
PYEOF
