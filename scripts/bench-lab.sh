#!/usr/bin/env bash
# The lab's performance figures (issue: `lab up` of 16 blocks and 32 hosts in 30 s or less,
# each stage of `lab apply` in 2 s or less): brings up examples/lab/fabric-16x2.json on its
# uniform mesh, applies a four-stage proposal that rewires 16 of its 64 circuits, takes the
# lab down, and prints each time against its target. Root; a shared machine gives noisy times.
# Usage: scripts/bench-lab.sh [--prefix P] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTPATH=${LIGHTPATH:-$PWD/build/lightpath}
PY=/usr/bin/python3
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

# Stage s takes the circuits b -> b+4 (uplink 6 to uplink 7) of blocks b = 4s .. 4s+3 and
# turns them, on the same ports, into b -> b'+4 with b' the next block of the four.
"$PY" - "$config" >"$work/proposal.json" <<'PY'
import json, sys
base = json.load(open(sys.argv[1]))
uplinks, blocks = 8, 16
def c(a, b): return {"ocs": "ocs0", "ports": [a, b]}
stages = []
for s in range(4):
    group = range(4 * s, 4 * s + 4)
    remove = [c(b * uplinks + 6, (b + 4) % blocks * uplinks + 7) for b in group]
    add = [c(b * uplinks + 6, (4 * s + (b - 4 * s + 1) % 4 + 4) % blocks * uplinks + 7) for b in group]
    stages.append({"remove": remove, "add": add})
json.dump({"format": "lightpath.ocs-proposal/1", "fabric": "lab-16x2", "base": base,
           "target": base, "stages": stages}, sys.stdout)
PY

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
