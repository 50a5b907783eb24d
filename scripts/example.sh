#!/usr/bin/env bash
# The README's first command: installs what lightpath needs, builds it, and runs the main job
# on the built-in example: benchmarks under mpirun and the traffic they recorded. Results go
# to ./example-out (LP_EXAMPLE_OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
lp=${LP_BUILD_DIR:-build}/lightpath
out=${LP_EXAMPLE_OUT:-example-out}
mkdir -p "$out"
rm -f "$out"/results.jsonl
transport=ucx
"$lp" transports | grep -Eq "^ucx +available" || transport=tcp
step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "What can run here" "$lp" transports
step "Point-to-point latency, every payload checked" \
  mpirun -np 2 --bind-to none "$lp" p2p --transport "$transport" --mode lat --sizes 1:1M:4 --check \
  --json "$out/results.jsonl" --traffic-out "$out/p2p-traffic.json"
step "Point-to-point bandwidth" \
  mpirun -np 2 --bind-to none "$lp" p2p --transport "$transport" --mode bw --sizes 4K:4M:4 \
  --json "$out/results.jsonl"
printf '\nResults: %s/results.jsonl (%s records); traffic: %s/p2p-traffic.json\n' \
  "$out" "$(wc -l <"$out/results.jsonl")" "$out"
