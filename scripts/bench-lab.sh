#!/usr/bin/env bash
# The lab's performance figures (issue: `lab up` of 16 blocks and 32 hosts in 30 s or less,
# each stage of `lab apply` in 2 s or less): brings up examples/lab/fabric-16x2.json on its
# uniform mesh, applies the planner's proposal for hotspot traffic (6 stages, 68 circuits
# removed or added), takes the lab down, and prints each time against its target. Root; a
# shared machine gives noisy times.
# Usage: scripts/bench-lab.sh [--prefix P] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTPATH=${LIGHTPATH:-$PWD/build/lightpath}
prefix=lp
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "bench-lab.sh: unknown argument $1 (expected --prefix P or --runs N)" >&2; exit 2 ;;
  esac
done
fabric=examples/lab/fabric-16x2.json
config=examples/lab/mesh-16x2.json
work=$(mktemp -d)
trap '"$LIGHTPATH" lab down --prefix "$prefix" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# What an operator would apply: the planner's staged proposal for hotspot traffic (seeded), from
# the uniform mesh in place.
"$LIGHTPATH" traffic gen --pattern hotspot --fabric "$fabric" --seed 1 -o "$work/traffic.json" >/dev/null
"$LIGHTPATH" ocs plan --fabric "$fabric" --traffic "$work/traffic.json" --current "$config" \
  -o "$work/proposal.json" >"$work/plan.out"
sed -n 's/^\(stages: .*\)/# proposal: \1/p' "$work/plan.out"

seconds() { sed -n "s/.* in \([0-9.]*\) s.*/\1/p"; }
printf '%-28s %10s %10s\n' "figure" "seconds" "target"
for run in $(seq "$runs"); do
  "$LIGHTPATH" lab down --prefix "$prefix" >/dev/null
  up=$("$LIGHTPATH" lab up --prefix "$prefix" --fabric "$fabric" --config "$config" | head -1 | seconds)
  printf '%-28s %10s %10s\n' "lab up (run $run)" "$up" "30"
  "$LIGHTPATH" lab apply --prefix "$prefix" --proposal "$work/proposal.json" >"$work/apply.out"
  while read -r stage; do
    printf '%-28s %10s %10s\n' "apply stage $stage" "$(grep "^stage $stage:" "$work/apply.out" | seconds)" "2"
  done < <(sed -n 's/^stage \([0-9]*\/[0-9]*\):.*/\1/p' "$work/apply.out")
  t0=$(date +%s%N)
  "$LIGHTPATH" lab down --prefix "$prefix" >/dev/null
  printf '%-28s %10.2f %10s\n' "lab down" "$(( $(date +%s%N) - t0 ))e-9" "-"
done
