#!/usr/bin/env bash
# --bind under mpirun: the binding read back lands in every record; oversubscription is warned about.
source "$(dirname "$0")/lib.sh"
cores=$(hwloc-calc --number-of core all)
for policy in none core numa auto; do
  mpirun_np 2 p2p --bind "$policy" --sizes 8 --iters 10 --json "$work/$policy.jsonl" >"$work/out" 2>&1 \
    || { cat "$work/out"; fail "--bind $policy failed"; }
done
$PY - "$work" "$cores" <<'PYEOF'
import json, sys
work, cores = sys.argv[1], int(sys.argv[2])
def ranks(policy):
    r = json.loads(open(f"{work}/{policy}.jsonl").readline())
    assert r["binding"]["policy"] == policy, r["binding"]
    assert r["host_topology"], r
    return r["binding"]["ranks"]
for policy in ("none", "core", "numa", "auto"):
    b = ranks(policy)
    assert len(b) == 2 and all(x["cpus"] and x["numa"] for x in b), b
core = ranks("core")
assert all("," not in x["cpus"] and "-" not in x["cpus"] for x in core), core  # one thread each
if cores >= 2:
    assert core[0]["cpus"] != core[1]["cpus"], core
auto = ranks("auto")
if cores >= 2:
    assert auto[0]["cpus"] != auto[1]["cpus"], auto
PYEOF
pus=$(hwloc-calc --number-of pu all)
mpirun_np $((pus + 1)) p2p --sizes 8 --iters 5 >"$work/over" 2>&1 || { cat "$work/over"; fail "oversubscribed run failed"; }
grep -q "warning: $((pus + 1)) ranks share $pus hardware threads" "$work/over" || { cat "$work/over"; fail "no oversubscription warning"; }
[ "$(grep -c 'ranks share' "$work/over")" = 1 ] || fail "the warning should come once per host"
expect_exit 2 "--bind: 'socket' is not a binding" mpirun_np 2 p2p --bind socket
echo "bindings are read back and recorded"
