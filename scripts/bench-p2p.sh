#!/usr/bin/env bash
# lightpath p2p against ucx_perftest (Debian's ucx-utils), both on loopback in this run, with the
# same UCX_TLS. Runs each tool REPS times, interleaved, and prints per point the two tools'
# figures in the host placement both drew most, each the interquartile mean of its runs there
# (scripts/matched_ratio.py, docs/benchmarks.md: on a VM the host moves the vCPUs between
# placements from run to run, and a ping-pong follows the placement; the last column lists
# every placement seen with its run counts and ratio), and their ratio:
#   latency: lightpath p50 / ucx_perftest p50 (one-way; goal <= 1.05)
#   bandwidth: lightpath / ucx_perftest (goal >= 0.95)
#   tcp: lightpath --transport tcp p50 / ucx_perftest with UCX_TLS=tcp p50 at 8 B (goal <= 1.2)
# Usage: scripts/bench-p2p.sh [BUILD_DIR]   (REPS=21 ITERS=20000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
reps=${REPS:-21}
iters=${ITERS:-20000}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
port=$((20000 + RANDOM % 20000))

# perftest TEST SIZE ITERS [ENV...]: prints the p50 latency (us) or the bandwidth (GB/s).
perftest() {
  local test=$1 size=$2 n=$3; shift 3
  port=$((port + 1))
  env "$@" ucx_perftest -p "$port" >/dev/null 2>&1 &
  local server=$!
  local line=""
  for _ in $(seq 50); do
    line=$(env "$@" ucx_perftest 127.0.0.1 -p "$port" -t "$test" -s "$size" -n "$n" -w $((n / 10)) 2>/dev/null | grep '^Final:' || true)
    [ -n "$line" ] && break
    sleep 0.1
  done
  wait "$server" || true
  [ -n "$line" ] || { echo "ucx_perftest failed" >&2; exit 1; }
  # Final: iterations p50 avg overall MB/s-avg MB/s-overall msg/s-avg msg/s-overall (MB = 2^20)
  case $test in
    *_lat) awk '{print $3}' <<<"$line" ;;
    *) awk '{printf "%.4f\n", $6 * 1048576 / 1e9}' <<<"$line" ;;
  esac
}

# ours MODE TRANSPORT SIZE MESSAGES [ENV...]: the same figure from lightpath p2p under mpirun,
# over as many messages (a bw iteration is a window of 64).
ours() {
  local mode=$1 transport=$2 size=$3 n=$4; shift 4
  local out=$work/r.jsonl
  [ "$mode" = bw ] && n=$(( n / 64 > 20 ? n / 64 : 20 ))
  rm -f "$out"
  env "$@" mpirun -np 2 --bind-to none "$build/lightpath" p2p --transport "$transport" --mode "$mode" \
    --sizes "$size" --iters "$n" --warmup $(( n / 10 > 2 ? n / 10 : 2 )) --json "$out" >/dev/null
  /usr/bin/python3 -c "import json,sys; r=json.loads(open('$out').readline()); \
print(r['latency_us']['p50'] if '$mode'=='lat' else r['bandwidth_GBps'])"
}

tls=${UCX_TLS:-}
tls_env=()
[ -n "$tls" ] && tls_env=(UCX_TLS="$tls")
printf "# lightpath p2p vs ucx_perftest, UCX_TLS=%s, %s interleaved runs each, compared inside the placement both drew most\n" "${tls:-(default)}" "$reps"
printf "%-22s %8s %12s %12s %8s %-8s %s\n" "point" "size" "ucx_perftest" "lightpath" "ratio" "goal" "placements"

point() {  # point LABEL GOAL PERFTEST-TEST MODE TRANSPORT SIZE ITERS ENV...
  local label=$1 goal=$2 ptest=$3 mode=$4 transport=$5 size=$6 n=$7; shift 7
  local p=() o=()
  for _ in $(seq "$reps"); do
    p+=("$(perftest "$ptest" "$size" "$n" "$@")")
    o+=("$(ours "$mode" "$transport" "$size" "$n" "$@")")
  done
  local pm om ratio note
  read -r pm om ratio note < <(/usr/bin/python3 scripts/matched_ratio.py \
    --peer "$(IFS=,; echo "${p[*]}")" --ours "$(IFS=,; echo "${o[*]}")")
  printf "%-22s %8s %12.3f %12.3f %8.3f %-8s %s\n" "$label" "$size" "$pm" "$om" "$ratio" "$goal" "$note"
}

for size in 8 4096 65536 1048576; do
  n=$iters; [ "$size" -ge 65536 ] && n=$((iters / 10))
  point "ucx lat p50 (us)" "<= 1.05" tag_lat lat ucx "$size" "$n" "${tls_env[@]}"
done
for size in 65536 1048576; do
  n=$iters; [ "$size" -ge 1048576 ] && n=$((iters / 10))
  point "ucx bw (GB/s)" ">= 0.95" tag_bw bw ucx "$size" "$n" "${tls_env[@]}"
done
point "tcp lat p50 (us)" "<= 1.2" tag_lat lat tcp 8 $((iters / 5)) UCX_TLS=tcp
