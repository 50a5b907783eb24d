# The fabric lab end to end (root): 4 blocks of 2 hosts come up on a ring of circuits. p2p
# between blocks without a circuit of their own (mpi and tcp transports) crosses one transit
# block (measured hop count 2); a ring all-reduce over hosts of blocks b0, b2, b1, b3 crosses
# one on half its steps (1.5). `lightpath ocs plan` proposes circuits for that traffic,
# `lab apply` applies the proposal stage by stage (refusing a stale or a tampered one), and
# the same runs measure the planner's predicted hop count; the lab goes down leaving nothing.
# Skips (exit 77) where network namespaces cannot be made.
source "$(dirname "$0")/lib.sh"
data="$(cd "$(dirname "$0")/../data" && pwd)"

if ! unshare --net --mount true 2>/dev/null; then
  echo "SKIP: cannot create network namespaces here (the lab needs root: CAP_NET_ADMIN and CAP_SYS_ADMIN)"
  exit 77
fi
prefix="t$(($$ % 100000))"
lab() { local sub=$1; shift; "$LIGHTPATH" lab "$sub" --prefix "$prefix" "$@"; }
trap 'lab down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

leftovers() {  # what a lab with $prefix would leave behind
  ip netns list | grep -E "^$prefix-(mgmt|b-|h-)" || true
  findmnt -rn -o TARGET | grep "/run/lightpath/$prefix/" || true
  [ ! -e "/run/lightpath/$prefix" ] || echo "/run/lightpath/$prefix"
}
[ -z "$(leftovers)" ] || fail "leftovers of prefix $prefix before the test: $(leftovers)"

lab up --fabric "$data/fabric-4.json" --config "$data/ring-4.json" --scale 1/100 >"$work/up.out"
grep -Eq "^lab up: 4 blocks, 8 hosts, 4 circuits at 1 Gbit/s" "$work/up.out" || { cat "$work/up.out"; fail "lab up said otherwise"; }
expect_exit 1 "leftovers are here.*--force" lab up --fabric "$data/fabric-4.json" --config "$data/ring-4.json"
[ "$(lab exec h5 hostname)" = h5 ] || fail "lab host h5 does not carry its own hostname"
[ "$(lab exec h5 'echo $LP_TCP_IFNAME')" = "${prefix}f" ] || fail "lab exec does not point the tcp transport at the fabric"
expect_exit 2 "not a host of the lab" lab exec nosuchhost true

hops_of() { sed -n 's/^measured hop count: \([0-9.]*\)$/\1/p' "$1"; }
near() { awk -v x="$1" -v want="$2" 'BEGIN { exit !(x != "" && x >= want * 0.95 && x <= want * 1.05) }'; }

# p2p halves pairs host i with host i+4: blocks b0-b2 and b1-b3, which the ring does not join.
workload() {  # TRANSPORT NAME
  lab hops --reset >/dev/null
  lab run -- "$MPIRUN" -np 8 "$LIGHTPATH" p2p --transport "$1" --mode bw --sizes 64K --window 16 \
    --iters 20 --warmup 2 --traffic-out "$work/$2.traffic.json" >"$work/$2.p2p" 2>&1 \
    || { cat "$work/$2.p2p"; fail "p2p over $1 in the lab failed"; }
  lab hops --json "$work/$2.hops.json" >"$work/$2.hops"
}
check_hops() {  # NAME WANT
  near "$(hops_of "$work/$1.hops")" "$2" || { cat "$work/$1.hops"; fail "$1: measured hop count is not $2 within 5%"; }
}

for t in mpi tcp; do
  workload "$t" "before-$t"
  check_hops "before-$t" 2
done
# Without LP_TCP_IFNAME the tcp transport takes the first address, the management network's.
lab hops --reset >/dev/null
lab run -- "$MPIRUN" -np 8 -x LP_TCP_IFNAME= "$LIGHTPATH" p2p --transport tcp --mode bw --sizes 64K \
  --window 16 --iters 20 --warmup 2 >"$work/mgmt.p2p" 2>&1 || { cat "$work/mgmt.p2p"; fail "p2p over tcp failed"; }
lab hops --json "$work/mgmt.hops.json" >/dev/null
"$PY" - "$work/mgmt.hops.json" "$work/before-tcp.hops.json" <<'PY' || fail "tcp traffic crossed the fabric though LP_TCP_IFNAME did not point there"
import json, sys
mgmt, fabric = (json.load(open(f))["delivered_bytes"] for f in sys.argv[1:])
sys.exit(not mgmt < fabric / 10)
PY
# The ranks ran on the lab's hosts, under their own names.
"$LIGHTPATH" traffic aggregate "$work/before-mpi.traffic.json" --fabric "$data/fabric-4.json" --level block \
  -o "$work/blocks.json"
"$PY" - "$work/blocks.json" <<'PY' || fail "the recorded traffic is not between b0-b2 and b1-b3"
import json, sys
m = json.load(open(sys.argv[1]))
names, rows = m["names"], m["matrix"]
heavy = {(names[i], names[j]) for i in range(len(names)) for j in range(len(names)) if rows[i][j] > 1e6}
assert heavy == {("b0", "b2"), ("b1", "b3")}, heavy
PY

# A ring all-reduce whose neighbours sit in blocks b0, b2, b1, b3: two of its four block pairs
# have no circuit of their own.
allreduce() {  # NAME
  lab hops --reset >/dev/null
  lab run -- "$MPIRUN" -np 4 --host h0,h4,h2,h6 "$LIGHTPATH" allreduce --transport tcp --algo ring \
    --sizes 1M --iters 20 --check --traffic-out "$work/$1.traffic.json" >"$work/$1.allreduce" 2>&1 \
    || { cat "$work/$1.allreduce"; fail "allreduce in the lab failed"; }
  lab hops --json "$work/$1.hops.json" >"$work/$1.hops"
}
allreduce before-allreduce
check_hops before-allreduce 1.5

# The planner, from both runs' traffic on the fabric's blocks.
"$LIGHTPATH" traffic aggregate "$work/before-allreduce.traffic.json" --fabric "$data/fabric-4.json" \
  --level block -o "$work/blocks-allreduce.json"
"$LIGHTPATH" traffic merge "$work/blocks.json" "$work/blocks-allreduce.json" -o "$work/observed.json"
"$LIGHTPATH" ocs plan --fabric "$data/fabric-4.json" --traffic "$work/observed.json" \
  --current "$data/ring-4.json" -o "$work/proposal.json" >"$work/plan.out" || { cat "$work/plan.out"; fail "ocs plan failed"; }
predicted=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["metrics"]["after"]["hop_count"])' "$work/proposal.json")
stages=$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["stages"]))' "$work/proposal.json")
[ "$stages" -ge 1 ] || fail "the proposal changes nothing"

# A tampered proposal (a circuit of the target dropped) fails verification and changes nothing.
"$PY" - "$work/proposal.json" "$work/tampered.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["target"]["circuits"].pop()
json.dump(doc, open(sys.argv[2], "w"))
PY
expect_exit 2 'tampered.json: fails [0-9]+ of the [0-9]+ checks of .lightpath ocs verify., so nothing was applied' \
  lab apply --proposal "$work/tampered.json"

cp "$work/proposal.json" "$work/stale.json"
lab apply --proposal "$work/proposal.json" >"$work/apply.out" || { cat "$work/apply.out"; fail "lab apply failed"; }
grep -q "^lab apply: .*, $stages stage(s), verified; predicted hop count" "$work/apply.out" \
  || { cat "$work/apply.out"; fail "lab apply did not announce the verified proposal"; }
[ "$(grep -c "^stage [0-9]*/$stages: .*every block reaches every other$" "$work/apply.out")" = "$stages" ] \
  || { cat "$work/apply.out"; fail "lab apply did not report every stage"; }
expect_exit 2 "stale.json: its base is not the lab's circuits" lab apply --proposal "$work/stale.json"

for t in mpi tcp; do
  workload "$t" "after-$t"
  check_hops "after-$t" "$predicted"
done
allreduce after-allreduce
check_hops after-allreduce "$predicted"

lab down >"$work/down.out"
grep -q "^lab down: removed 13 namespaces, 8 hostnames" "$work/down.out" || { cat "$work/down.out"; fail "lab down said otherwise"; }
[ -z "$(leftovers)" ] || fail "lab down left: $(leftovers)"
expect_exit 0 "nothing to remove" lab down
