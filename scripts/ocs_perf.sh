#!/usr/bin/env bash
# The OCS planner's performance figures: a Jupiter-sized plan (64 blocks x 512 uplinks over
# 256 OCSes of 136 ports, gravity traffic, a uniform mesh in place): wall time, peak memory and
# F against the LP bound; eval of the same fabric with MLU; and the fast planner against
# --exact on seeded random small fabrics. The planner is single-threaded; on a shared machine
# the times are indicative only.
# Usage: scripts/ocs_perf.sh [RANDOM_INSTANCES (200)] [GRAVITY_LOADS ("0.2 0.5")]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${LP_BUILD_DIR:-build}
count=${1:-200}
loads=${2:-0.2 0.5}
lightpath=$build/lightpath
perf=$build/bench/ocs/ocs_perf
[ -x "$lightpath" ] && [ -x "$perf" ] || { echo "build first (scripts/build.sh)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for load in $loads; do
  dir=$work/jupiter-$load
  mkdir -p "$dir"
  "$perf" jupiter "$dir" "$load" 1 > /dev/null
  echo "== Jupiter-sized fabric, gravity traffic at load $load (of the uplinks' capacity)"
  /usr/bin/time -f "%e %M" -o "$dir/plan.time" "$lightpath" ocs plan --fabric "$dir/fabric.json" \
    --traffic "$dir/traffic.json" --current "$dir/mesh.json" -o "$dir/proposal.json" > "$dir/plan.out"
  read -r secs kib < "$dir/plan.time"
  python3 - "$dir/proposal.json" "$secs" "$kib" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
m = p["metrics"]
f, bound = m["after"]["direct_fraction"], m["bound"]["direct_fraction"]
print(f"plan: {float(sys.argv[2]):.2f} s, peak memory {int(sys.argv[3]) / 1024:.0f} MiB (targets: 10 s, 2 GiB)")
print(f"  F before {m['before']['direct_fraction']:.4f} -> after {f:.4f}, LP bound {bound:.4f}: "
      f"{100 * f / bound:.2f}% of the bound (target: within 1%)")
print(f"  MLU {m['before']['mlu']} -> {m['after']['mlu']}, churn {m['after']['churn']}, {len(p['stages'])} stages")
PY
  python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1]))["target"], open(sys.argv[2], "w"))' \
    "$dir/proposal.json" "$dir/target.json"
  /usr/bin/time -f "%e" -o "$dir/later.time" "$lightpath" ocs plan --fabric "$dir/fabric.json" \
    --traffic "$dir/traffic-later.json" --current "$dir/target.json" -o "$dir/later.json" > /dev/null
  python3 - "$dir/later.json" "$(cat "$dir/later.time")" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
m, n = p["metrics"], len(p["base"]["circuits"])
print(f"again a while later (a tenth of the traffic moved), from that target: {float(sys.argv[2]):.2f} s, "
      f"churn {m['after']['churn']} = {100 * m['after']['churn'] / (2 * n):.1f}% of the circuits changed, "
      f"F {m['before']['direct_fraction']:.4f} -> {m['after']['direct_fraction']:.4f}")
PY
  /usr/bin/time -f "%e %M" -o "$dir/eval.time" "$lightpath" ocs eval --fabric "$dir/fabric.json" \
    --config "$dir/mesh.json" --traffic "$dir/traffic.json" > "$dir/eval.out"
  read -r secs kib < "$dir/eval.time"
  echo "eval with MLU: $secs s, peak memory $((kib / 1024)) MiB (target: 5 s); $(head -2 "$dir/eval.out" | tail -1)"
done

echo "== fast planner against --exact"
"$perf" compare "$count" 1
