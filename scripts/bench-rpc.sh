#!/usr/bin/env bash
# Performance figures for `lightpath rpc`, each taken in this run against its target:
#  1. 64 B request and response over ucx on shared memory at low load: the median round trip
#     (latency from the actual send time) over the one-way median of `ucx_perftest -t tag_lat`
#     with the same UCX_TLS, server and client on loopback (target: at most 2.3); beside it,
#     for reference, `lightpath p2p --gap` pinging at the same rate
#  2. recording one latency into the histogram, Google Benchmark (target: at most 20 ns)
#  3. one client rank offered 200,000 requests/s: achieved over offered (target: at least 0.99)
# Prints every figure with PASS or FAIL and exits 1 if one fails. On a loaded machine this
# mostly measures the scheduler: take figures from a quiet one.
#
# Environment: LP_BUILD_DIR (build), UCX_TLS (sm,self), LP_BENCH_DURATION (5s),
# LP_BENCH_LOW_RATE (10000 requests/s), REPS (9 runs of each tool for figure 1, 1 s each).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${LP_BUILD_DIR:-build}
export UCX_TLS=${UCX_TLS:-sm,self}
duration=${LP_BENCH_DURATION:-5s}
low_rate=${LP_BENCH_LOW_RATE:-10000}
reps=${REPS:-9}
low_duration=1s
if [[ $EUID -eq 0 ]]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
lightpath=$build/lightpath
for f in "$lightpath" "$build/tests/benchmark_histogram"; do
  [[ -x $f ]] || { echo "bench-rpc: $f is missing (scripts/build.sh builds it)" >&2; exit 2; }
done
command -v ucx_perftest >/dev/null || { echo "bench-rpc: ucx_perftest is missing (ucx-utils)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Nothing is pinned, ucx_perftest nor lightpath (as in scripts/bench-p2p.sh): on a machine of
# two cores a pinned rank shares its core with mpirun's own threads and cannot move away, and
# its round trip turns bimodal (p50 0.4 us, p90 1.2 us here, against 0.35 us and 0.4 us unpinned).
json() { /usr/bin/env python3 -c "import json,sys; r=json.loads(open(sys.argv[1]).readlines()[-1]); print($2)" "$1"; }
verdict() { /usr/bin/env python3 -c "import sys; print('PASS' if $1 else 'FAIL')"; }
status=0
report() {  # name, figure, unit, target text, pass expression
  local v; v=$(verdict "$5")
  printf '%-58s %12s %-8s %-14s %s\n' "$1" "$2" "$3" "$4" "$v"
  [[ $v == PASS ]] || status=1
}

echo "# lightpath rpc performance ($(date -u +%FT%TZ), $(nproc) cores, UCX_TLS=$UCX_TLS, $duration per run)"

# 1. ucx_perftest's one-way median and lightpath's round trip at low load, REPS runs of each,
#    interleaved. On a VM the host moves the vCPUs between placements from run to run and both
#    figures follow the placement (scripts/matched_ratio.py), so the ratio is taken inside the
#    placement both drew most: the pool is half round trips beside one-way figures.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Beside them, for reference: lightpath p2p pinging once every 1/rate (--gap), which shows what
# a message that finds both ranks idle costs on this host, apart from anything rpc does.
gap_us=$(python3 -c "print(f'{1e6 / $low_rate:g}')")
one_ways=() halves=() gapped=()
for _ in $(seq "$reps"); do
  port=$((port + 1))
  ucx_perftest -p "$port" >"$tmp/perftest-server.txt" 2>&1 &
  server=$!
  sleep 0.5
  ucx_perftest 127.0.0.1 -p "$port" -t tag_lat -s 64 -n 200000 -w 20000 >"$tmp/perftest.txt" 2>&1
  wait "$server" || true
  one_way=$(awk '/^Final:/ {print $3}' "$tmp/perftest.txt")
  [[ -n $one_way ]] || { cat "$tmp/perftest.txt"; echo "bench-rpc: ucx_perftest gave no result" >&2; exit 1; }
  rm -f "$tmp/low.jsonl"
  mpirun -np 2 --bind-to none -x UCX_TLS "$lightpath" rpc --transport ucx --req 64 --resp 64 \
    --rate "$low_rate" --arrival poisson --warmup 0.5s --duration "$low_duration" \
    --json "$tmp/low.jsonl" >"$tmp/low.txt"
  mpirun -np 2 --bind-to none -x UCX_TLS "$lightpath" p2p --transport ucx --sizes 64 --iters 5000 \
    --gap "${gap_us}us" --json "$tmp/gap.jsonl" >"$tmp/gap.txt"
  gapped+=("$(json "$tmp/gap.jsonl" 'r["latency_us"]["p50"]')")
  one_ways+=("$one_way")
  halves+=("$(json "$tmp/low.jsonl" 'r["service_latency_us"]["p50"] / 2')")
done
read -r one_way half _ note < <(/usr/bin/python3 scripts/matched_ratio.py \
  --peer "$(IFS=,; echo "${one_ways[*]}")" --ours "$(IFS=,; echo "${halves[*]}")")
rtt=$(python3 -c "print(f'{2 * $half:.4f}')")
ratio=$(python3 -c "print(f'{$rtt / $one_way:.2f}')")
echo "  ucx_perftest tag_lat 64 B one-way median: $one_way us; lightpath rpc median round trip at" \
     "$low_rate req/s: $rtt us; $reps runs each${note:+; $note}"
report "64 B rpc round trip / ucx_perftest one-way (median)" "$ratio" "x" "<= 2.3" "$ratio <= 2.3"
# Each reference ratio is taken inside the placement its own two tools shared most.
read -r _ _ idle _ < <(/usr/bin/python3 scripts/matched_ratio.py \
  --peer "$(IFS=,; echo "${one_ways[*]}")" --ours "$(IFS=,; echo "${gapped[*]}")")
read -r _ _ own _ < <(/usr/bin/python3 scripts/matched_ratio.py \
  --peer "$(IFS=,; echo "${gapped[*]}")" --ours "$(IFS=,; echo "${halves[*]}")")
echo "  for reference, the transport alone at this rate (lightpath p2p, a ping every $gap_us us):" \
     "round trip $(python3 -c "print(f'{2 * $idle:.2f}')")x ucx_perftest's one-way median;" \
     "rpc's round trip over it: ${own}x"
# For reference (no target): one request in flight, each sent as the last answer arrives, as
# a ping-pong does; on a busy machine this is far less sensitive to scheduling than open loop.
mpirun -np 2 --bind-to none -x UCX_TLS "$lightpath" rpc --transport ucx --req 64 --resp 64 \
  --concurrency 1 --warmup 1s --duration "$duration" --json "$tmp/closed.jsonl" >"$tmp/closed.txt"
closed=$(json "$tmp/closed.jsonl" 'r["service_latency_us"]["p50"]')
echo "  for reference, closed loop with 1 request in flight: median round trip $closed us" \
     "($(python3 -c "print(f'{$closed / $one_way:.2f}')")x the one-way median)"

# 2. Histogram record cost.
"$build/tests/benchmark_histogram" --benchmark_min_time=1 --benchmark_format=json \
  >"$tmp/histogram.json" 2>/dev/null
record_ns=$(python3 -c "import json; b=json.load(open('$tmp/histogram.json'))['benchmarks'][0]; print(f\"{b['cpu_time']:.2f}\")")
report "histogram record (Google Benchmark)" "$record_ns" "ns" "<= 20" "$record_ns <= 20"

# 3. One client rank at 200,000 requests/s.
mpirun -np 2 --bind-to none -x UCX_TLS "$lightpath" rpc --transport ucx --req 64 --resp 64 \
  --rate 200000 --arrival poisson --warmup 1s --duration "$duration" \
  --json "$tmp/high.jsonl" >"$tmp/high.txt"
offered=$(json "$tmp/high.jsonl" 'r["offered_rps"]')
achieved=$(json "$tmp/high.jsonl" 'r["achieved_rps"]')
kept=$(python3 -c "print(f'{$achieved / $offered:.4f}')")
echo "  one client at 200000 req/s: offered $offered, achieved $achieved req/s"
report "achieved / offered, one client rank at 200k req/s" "$kept" "" ">= 0.99" "$kept >= 0.99"
exit $status
