# The fabric lab end to end (root): 4 blocks of 2 hosts come up on a ring of circuits; p2p
# between blocks without a circuit of their own runs under mpirun over the mpi and tcp
# transports and crosses one transit block (measured hop count 2); a two-stage proposal
# written here adds the direct circuits (hop count 1); the lab goes down leaving nothing.
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

# Stage 1 adds b0-b2 and b1-b3 on free ports; stage 2 moves b0-b1 to other ports.
circuits() { local out="" p; for p in "$@"; do out+="${out:+,}{\"ocs\":\"ocs0\",\"ports\":[${p%-*},${p#*-}]}"; done; echo "[$out]"; }
cat >"$work/proposal.json" <<JSON
{"format": "lightpath.ocs-proposal/1", "fabric": "test-4",
 "base": {"format": "lightpath.ocs-config/1", "circuits": $(circuits 0-5 4-9 8-13 12-1)},
 "target": {"format": "lightpath.ocs-config/1", "circuits": $(circuits 3-6 4-9 8-13 12-1 2-10 7-14)},
 "stages": [{"remove": [], "add": $(circuits 2-10 7-14)},
            {"remove": $(circuits 0-5), "add": $(circuits 3-6)}],
 "metrics": {"after": {"hop_count": 1.0}}}
JSON
cp "$work/proposal.json" "$work/stale.json"
lab apply --proposal "$work/proposal.json" >"$work/apply.out" || { cat "$work/apply.out"; fail "lab apply failed"; }
[ "$(grep -c '^stage [12]/2: .*every block reaches every other$' "$work/apply.out")" = 2 ] \
  || { cat "$work/apply.out"; fail "lab apply did not report both stages"; }
expect_exit 2 "stale.json: its base is not the lab's circuits" lab apply --proposal "$work/stale.json"

for t in mpi tcp; do
  workload "$t" "after-$t"
  check_hops "after-$t" 1
done

lab down >"$work/down.out"
grep -q "^lab down: removed 13 namespaces, 8 hostnames" "$work/down.out" || { cat "$work/down.out"; fail "lab down said otherwise"; }
[ -z "$(leftovers)" ] || fail "lab down left: $(leftovers)"
expect_exit 0 "nothing to remove" lab down
