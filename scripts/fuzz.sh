#!/usr/bin/env bash
# Builds the libFuzzer targets (clang + ASan/UBSan, the asan profile of scripts/build.sh) and
# runs each for a bounded time (LP_FUZZ_SECONDS, default 60; LP_FUZZ_RUNS caps executions),
# starting from the seed corpus in fuzz/corpus/, as many at once as there are cores. A crash
# or leak fails the script; libFuzzer leaves the input as crash-*/leak-* in
# build-asan/fuzz-artifacts: copy it into fuzz/regressions/TARGET/ so CTest replays it forever after.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${LP_FUZZ_SECONDS:-60}
runs=${LP_FUZZ_RUNS:-200000}
targets=$(sed -n 's/^set(lp_fuzz_targets \(.*\))$/\1/p' fuzz/CMakeLists.txt)
LP_PROFILE=asan LP_BUILD_TARGETS="$(printf 'fuzz_%s ' $targets)" scripts/build.sh
artifacts=build-asan/fuzz-artifacts
mkdir -p "$artifacts"

# fuzz_one TARGET: runs it, leaves its log and, on failure, a .failed mark in $artifacts.
fuzz_one() {
  local target=$1 work=build-asan/fuzz-corpus/$1 log=$artifacts/$1.log
  mkdir -p "$work"
  cp -n fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
  rm -f "$artifacts/$target.failed"
  build-asan/fuzz/fuzz_"$target" -max_total_time="$seconds" -runs="$runs" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$artifacts/$target"- "$work" >"$log" 2>&1 || touch "$artifacts/$target.failed"
}
jobs_max=$(nproc)
for target in $targets; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  fuzz_one "$target" &
done
wait

status=0
for target in $targets; do
  log=$artifacts/$target.log
  if [ -e "$artifacts/$target.failed" ]; then
    echo "fuzz $target: FAILED (see $log)"; tail -30 "$log"; status=1
  else
    echo "fuzz $target: ok, $(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+') executions"
  fi
done
exit $status
