#!/usr/bin/env bash
# The closed loop on one machine (root): observe -> plan -> apply -> measure again.
#   1. lab up: a lab of the fabric on a uniform mesh of circuits;
#   2. a skewed workload, traffic recorded with --traffic-out, aggregated to blocks;
#   3. lightpath ocs plan, then lightpath ocs verify;
#   4. lab apply, stage by stage;
#   5. the same workload again; before and after: the measured hop count (lab hops), the
#      workload's figures, and the planner's predicted hop count.
# Exits 1 unless the measured hop count after agrees with the planner's within 5% and is at
# least 20% below the one before.
# Usage: scripts/closed-loop.sh [--fabric F --config C] [--scale S] [--prefix P] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTPATH=${LIGHTPATH:-$PWD/build/lightpath}
PY=/usr/bin/python3

# The workload (LP_WORKLOAD): collectives, a ring all-reduce over the hosts of two blocks and
# rpc clients in one block asking servers in another, each pair of blocks without a circuit;
# or p2p, bandwidth and latency between blocks that no circuit joins.
workload=${LP_WORKLOAD:-collectives}

fabric=examples/lab/fabric-8x2.json
config=examples/lab/mesh-8x2.json
scale=1/1000
prefix=lp
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --fabric) fabric=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "closed-loop.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || out=$(mktemp -d /tmp/lightpath-closed-loop.XXXXXX)
mkdir -p "$out"

die() { echo "closed-loop.sh: $*" >&2; exit 2; }
[ -x "$LIGHTPATH" ] || die "no lightpath binary at $LIGHTPATH (scripts/build.sh builds it, or set LIGHTPATH)"
# has GROUP... NAME: whether `lightpath GROUP... --help` lists the subcommand NAME.
has() { local name=${*: -1}; "$LIGHTPATH" "${@:1:$#-1}" --help 2>/dev/null | grep -Eq "^  $name( |$)"; }
for sub in plan verify; do
  has ocs "$sub" || die "this lightpath has no 'ocs $sub' command (the OCS planner); build one that has it"
done
case "$workload" in
  p2p) ;;
  collectives)
    for cmd in allreduce rpc; do
      has "$cmd" || die "this lightpath has no '$cmd' command (LP_WORKLOAD=collectives needs it)"
    done ;;
  *) die "LP_WORKLOAD=$workload is not a workload (p2p or collectives)" ;;
esac

lab() { local sub=$1; shift; "$LIGHTPATH" lab "$sub" --prefix "$prefix" "$@"; }
on_lab() { lab run -- mpirun "$@"; }

# Facts about the fabric and configuration, read once, as NAME=VALUE.
hosts="" first_pair="" ring_hosts="" rpc_servers="" rpc_hosts=""
while IFS='=' read -r name value; do printf -v "$name" '%s' "$value"; done < <("$PY" - "$fabric" "$config" <<'PY'
import json, sys
fabric, config = (json.load(open(p)) for p in sys.argv[1:])
blocks = fabric["blocks"]
owner = {(u["ocs"], u["port"]): i for i, b in enumerate(blocks) for u in b["uplinks"]}
joined = {frozenset((owner[(c["ocs"], c["ports"][0])], owner[(c["ocs"], c["ports"][1])]))
          for c in config["circuits"]}
apart = [(i, j) for i in range(len(blocks)) for j in range(i + 1, len(blocks))
         if frozenset((i, j)) not in joined and blocks[i]["hosts"] and blocks[j]["hosts"]]
everyone = [h for b in blocks for h in b["hosts"]]
print(f"hosts={len(everyone)}")
print(f"first_pair={everyone[0]},{everyone[len(everyone) // 2]}")  # p2p's first pair
# Two pairs of blocks without a circuit, sharing no block if they can.
pairs = next(([p, q] for p in apart for q in apart if not set(p) & set(q)), apart[:1] * 2)
if pairs:
    hosts = lambda b: blocks[b]["hosts"]
    (a, b), (c, d) = pairs
    print(f"ring_hosts={','.join(x for pair in zip(hosts(a), hosts(b)) for x in pair)}")  # interleaved
    print(f"rpc_servers={len(hosts(c))}")                                               # block c serves
    print(f"rpc_hosts={','.join(hosts(c) + hosts(d))}")                                 # block d asks
PY
)
[ "$workload" != collectives ] || [ -n "$ring_hosts" ] ||
  die "$config joins every pair of blocks: no workload can be skewed away from the circuits"

# Each workload runs TAG's jobs, leaves their rank-level traffic in $out/TAG.*.traffic.json and
# their records in $out/TAG.jsonl; figures_* print "LABEL<TAB>VALUE" lines from the records.
workload_p2p() {
  # p2p pairs host i with host i + hosts/2: on the shipped mesh, blocks four apart, which reach
  # each other only through a transit block. Bandwidth over all pairs, latency over the first.
  # Counts, not durations, so that every run moves the same bytes between the same blocks.
  on_lab -np "$hosts" "$LIGHTPATH" p2p --mode bw --sizes 256K --window 8 --iters 12 --warmup 2 \
    --json "$out/$1.jsonl" --traffic-out "$out/$1.bw.traffic.json" >"$out/$1.bw.txt"
  on_lab -np 2 --host "$first_pair" "$LIGHTPATH" p2p --mode lat --sizes 4K --iters 2000 --warmup 100 \
    --json "$out/$1.jsonl" --traffic-out "$out/$1.lat.traffic.json" >"$out/$1.lat.txt"
}
figures_p2p() {
  "$PY" - "$out/$1.jsonl" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
bw = next(r for r in records if r["mode"] == "bw")
lat = next(r for r in records if r["mode"] == "lat")
print(f"p2p bandwidth, all pairs (GB/s)\t{bw['bandwidth_GBps']:.3f}")
print(f"p2p latency p50, one pair (us)\t{lat['latency_us']['p50']:.1f}")
print(f"p2p latency p99, one pair (us)\t{lat['latency_us']['p99']:.1f}")
PY
}
workload_collectives() {
  local n_ring n_rpc
  n_ring=$(tr ',' '\n' <<<"$ring_hosts" | wc -l)
  n_rpc=$(tr ',' '\n' <<<"$rpc_hosts" | wc -l)
  on_lab -np "$n_ring" --host "$ring_hosts" "$LIGHTPATH" allreduce --algo ring --sizes 16M --check \
    --json "$out/$1.jsonl" --traffic-out "$out/$1.allreduce.traffic.json" >"$out/$1.allreduce.txt"
  on_lab -np "$n_rpc" --host "$rpc_hosts" "$LIGHTPATH" rpc --servers "$rpc_servers" --req 4K --resp 16K \
    --rate 200 --duration 5s --json "$out/$1.jsonl" --traffic-out "$out/$1.rpc.traffic.json" >"$out/$1.rpc.txt"
}
figures_collectives() {
  "$PY" - "$out/$1.jsonl" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
ar = max((r for r in records if r["benchmark"] == "allreduce"), key=lambda r: r["size"])
rpc = next(r for r in records if r["benchmark"] == "rpc")
print(f"all-reduce busbw (GB/s)\t{ar['busbw_GBps']:.3f}")
print(f"rpc p50 (us)\t{rpc['latency_us']['p50']:.1f}")
print(f"rpc p99 (us)\t{rpc['latency_us']['p99']:.1f}")
PY
}

# Runs the workload as TAG under lab hops; leaves $out/TAG.hops.json and the block-level
# traffic $out/TAG.blocks.json.
measure() {
  local tag=$1 parts=() f
  lab hops --reset >/dev/null
  "workload_$workload" "$tag"
  lab hops --json "$out/$tag.hops.json" >"$out/$tag.hops.txt"
  for f in "$out/$tag".*.traffic.json; do
    "$LIGHTPATH" traffic aggregate "$f" --fabric "$fabric" --level block -o "${f%.traffic.json}.blocks.json"
    parts+=("${f%.traffic.json}.blocks.json")
  done
  "$LIGHTPATH" traffic merge "${parts[@]}" -o "$out/$tag.blocks.json"
}

echo "closed-loop: $fabric on $config, workload $workload, files in $out"
trap 'lab down >/dev/null 2>&1 || true' EXIT
lab up --fabric "$fabric" --config "$config" --scale "$scale" | tee "$out/up.txt"
measure before
"$LIGHTPATH" ocs plan --fabric "$fabric" --traffic "$out/before.blocks.json" --current "$config" \
  -o "$out/proposal.json" | tee "$out/plan.txt"
"$LIGHTPATH" ocs verify --fabric "$fabric" --proposal "$out/proposal.json" | tee "$out/verify.txt"
lab apply --proposal "$out/proposal.json" | tee "$out/apply.txt"
measure after

"$PY" - "$out" "$workload" <(figures_"$workload" before) <(figures_"$workload" after) <<'PY'
import json, sys
out, workload, before_figs, after_figs = sys.argv[1:]
hops = {t: json.load(open(f"{out}/{t}.hops.json"))["hop_count"] for t in ("before", "after")}
if None in hops.values():
    sys.exit("closed-loop.sh: nothing crossed between blocks in a run; see " + out)
metrics = json.load(open(f"{out}/proposal.json")).get("metrics", {})
predicted = metrics.get("after", {}).get("hop_count")
if predicted is None:
    sys.exit("closed-loop.sh: the proposal has no metrics.after.hop_count")
print(f"measured hop count: before {hops['before']:.3f} after {hops['after']:.3f}")
rows = [line.rstrip("\n").split("\t") for line in open(before_figs)]
after = dict(line.rstrip("\n").split("\t") for line in open(after_figs))
width = max(len(label) for label, _ in rows)
print(f"{'':{width}}  {'before':>10}  {'after':>10}")
for label, value in rows:
    print(f"{label:{width}}  {value:>10}  {after[label]:>10}")
agree = abs(hops["after"] - predicted) / predicted
drop = 1 - hops["after"] / hops["before"]
print(f"planner's predicted hop count {predicted:.3f}: measured after is {agree:.1%} away (at most 5%)")
print(f"measured hop count drop: {drop:.1%} (at least 20%)")
sys.exit(0 if agree <= 0.05 and drop >= 0.20 else 1)
PY
