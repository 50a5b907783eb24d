#!/usr/bin/env bash
# The traffic a real run records is what the algorithm sends: a ring all-reduce of S bytes on n
# ranks sends 2(n-1)/n x S per iteration from each rank to its successor, and nothing else.
# Aggregated onto a fabric, it is the block-level matrix the planner takes. Where the ring reads
# its neighbour's memory in place (ucx on one host: "transfer": "map"), it pushes each finished
# block straight to every rank: the same bytes per rank, spread differently.
source "$(dirname "$0")/lib.sh"
data=$(dirname "$0")/../data
transport=$1
skip_unless_available "$transport"
n=4 size=1048576 iters=3 warmup=1
mpirun_np $n allreduce --transport "$transport" --algo ring --sizes $size --iters $iters --warmup $warmup \
  --traffic-out "$work/t.json" --json "$work/r.jsonl" >"$work/out" 2>&1 || { cat "$work/out"; fail "allreduce failed"; }
"$LIGHTPATH" traffic aggregate "$work/t.json" --fabric "$data/fabric-4.json" --rank-hosts spread -o "$work/blocks.json"
"$LIGHTPATH" traffic show "$work/blocks.json"
$PY - "$work/t.json" "$work/blocks.json" $n $size $((iters + warmup)) "$work/r.jsonl" <<'PYEOF'
import json, sys
t, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n, size, runs = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
record = json.loads(open(sys.argv[6]).readline())
per_rank = runs * 2 * (n - 1) * size // n
m = t["matrix"]
if record.get("transfer") == "map":
    for i in range(n):
        sent = sum(m[i])
        assert abs(sent - per_rank) <= 0.001 * per_rank, (i, sent, per_rank)
        succ = m[i][(i + 1) % n]
        assert succ >= runs * (n - 1) * size // n, (i, succ)  # the reduce-scatter half
        assert m[i][i] == 0
    print(f"each rank sent {per_rank} bytes in all (ring over mapped memory)")
    sys.exit(0)
for i in range(n):
    for j in range(n):
        want = per_rank if j == (i + 1) % n else 0
        assert m[i][j] == want, (i, j, m[i][j], want)
assert t["level"] == "rank" and len(t["hosts"]) == n and t["duration_s"] > 0
# Ranks spread one per block (fabric-4: 4 blocks of 2 hosts): the ring crosses every block.
x = b["matrix"]
assert b["level"] == "block" and b["names"] == ["b0", "b1", "b2", "b3"], b["names"]
for i in range(4):
    for j in range(4):
        assert x[i][j] == (per_rank if j == (i + 1) % 4 else 0), (i, j, x[i][j])
print(f"each rank sent {per_rank} bytes to its successor only")
PYEOF
