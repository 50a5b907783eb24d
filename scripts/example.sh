#!/usr/bin/env bash
# The README's first command: installs what lightpath needs, builds it, and runs the main job
# on the built-in example:
#   1. benchmarks under mpirun: point-to-point, all-reduce, a training-step replay and
#      inference requests under load, every payload checked, results as JSON Lines;
#   2. the traffic the all-reduce recorded, rank by rank, summed onto the blocks of the example
#      fabric (examples/lab/fabric-8x2.json: 8 blocks of 2 hosts, 4 OCS uplinks each) as if
#      the scheduler had scattered the 8 ranks over the blocks;
#   3. an OCS proposal for that traffic from the fabric's current circuits (a uniform mesh,
#      examples/lab/mesh-8x2.json), verified, and its review for an operator;
#   4. the readiness summary against latency budgets, and plots where matplotlib is installed.
# Everything lands in ./example-out (LP_EXAMPLE_OUT); the run takes about a minute once built.
# LP_EXAMPLE_PREBUILT=1 skips set-up and build and runs ${LP_BUILD_DIR:-build}/lightpath as it is
# (the test suite's example test).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${LP_EXAMPLE_PREBUILT:-0}" != 1 ]; then
  scripts/setup.sh
  scripts/build.sh
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
lp=${LP_BUILD_DIR:-build}/lightpath
out=${LP_EXAMPLE_OUT:-example-out}
fabric=examples/lab/fabric-8x2.json
current=examples/lab/mesh-8x2.json
mkdir -p "$out"
rm -f "$out"/results.jsonl
transport=ucx
"$lp" transports | grep -Eq "^ucx +available" || transport=tcp
step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }
# Ranks past the machine's cores share them: correct, but their timings are not representative.
run8=(mpirun -np 8 --oversubscribe --bind-to none "$lp")
run2=(mpirun -np 2 --bind-to none "$lp")

step "What can run here" "$lp" transports
step "Point-to-point latency, every payload checked" \
  "${run2[@]}" p2p --transport "$transport" --mode lat --sizes 1:1M:4 --check \
  --json "$out/results.jsonl"
step "Point-to-point bandwidth" \
  "${run2[@]}" p2p --transport "$transport" --mode bw --sizes 4K:4M:4 --json "$out/results.jsonl"
# Over TCP the ring moves its data as between hosts; on shared memory UCX maps peers' buffers and
# the all-gather writes every rank's output directly, a pattern only one machine has.
step "All-reduce on 8 ranks, checked exactly, against MPI_Allreduce, recording who talked to whom" \
  "${run8[@]}" allreduce --transport tcp --algo ring --sizes 4K:1M:4 --iters 20 --check \
  --compare mpi --json "$out/results.jsonl" --traffic-out "$out/allreduce-traffic.json"
step "Training-step replay: GPT-2's gradient buckets behind 50 ms of backward compute" \
  "${run2[@]}" train --transport "$transport" --model gpt2 --steps 3 --warmup-steps 1 \
  --compute-ms 50 --json "$out/results.jsonl"
step "Inference requests under open-loop load, against a 1 ms p99 budget" \
  "${run2[@]}" rpc --transport "$transport" --servers 1 --req 4K --resp 16K --rate 2000 \
  --duration 2s --warmup 500ms --slo p99=1ms --json "$out/results.jsonl"

# Where the scheduler put the ranks: rank r on block (0,4,1,5,2,6,3,7)[r], the first host of it.
placement=h0,h8,h2,h10,h4,h12,h6,h14
step "The all-reduce's traffic on the example fabric's blocks" \
  "$lp" traffic aggregate "$out/allreduce-traffic.json" --fabric "$fabric" --level block \
  --rank-hosts "$placement" -o "$out/block-traffic.json"
"$lp" traffic show "$out/block-traffic.json"
step "How the current circuits serve it" \
  "$lp" ocs eval --fabric "$fabric" --config "$current" --traffic "$out/block-traffic.json" --top 4
step "An OCS proposal: circuits for that traffic, staged from the current ones" \
  "$lp" ocs plan --fabric "$fabric" --traffic "$out/block-traffic.json" --current "$current" \
  -o "$out/proposal.json"
step "The proposal checked again on its own, as an operator would before applying it" \
  "$lp" ocs verify --fabric "$fabric" --proposal "$out/proposal.json"
"$lp" ocs report "$out/proposal.json" -o "$out/report.html"
"$lp" ocs report "$out/proposal.json" -o "$out/report.md"
# summary exits 1 when a budget is missed: on a shared laptop-sized machine that is news, not failure.
step "Readiness against latency budgets" "$lp" summary "$out/results.jsonl" || true
if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  step "Plots" /usr/bin/python3 scripts/plot.py "$out/results.jsonl" \
    --traffic "$out/allreduce-traffic.json" --traffic "$out/block-traffic.json" -o "$out/plots"
fi
printf '\nResults: %s/results.jsonl (%s records); traffic: %s/allreduce-traffic.json, %s;\n' \
  "$out" "$(wc -l <"$out/results.jsonl")" "$out" "$out/block-traffic.json"
printf 'proposal: %s/proposal.json, review: %s/report.html (and .md)\n' "$out" "$out"
