#!/usr/bin/env bash
# Builds the libFuzzer targets (clang + ASan/UBSan, the asan profile of scripts/build.sh) and
# runs each for a bounded time (LP_FUZZ_SECONDS, default 60; LP_FUZZ_RUNS caps executions),
# starting from the seed corpus in fuzz/corpus/. A crash or leak fails the script; libFuzzer
# leaves the input as crash-*/leak-* in build-asan/fuzz-artifacts: copy it into
# fuzz/regressions/TARGET/ so CTest replays it forever after.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${LP_FUZZ_SECONDS:-60}
runs=${LP_FUZZ_RUNS:-200000}
targets=$(sed -n 's/^set(lp_fuzz_targets \(.*\))$/\1/p' fuzz/CMakeLists.txt)
LP_PROFILE=asan LP_BUILD_TARGETS="$(printf 'fuzz_%s ' $targets)" scripts/build.sh
mkdir -p build-asan/fuzz-artifacts
status=0
for bin in build-asan/fuzz/fuzz_*; do
  target=${bin##*/fuzz_}
  work=build-asan/fuzz-corpus/$target
  mkdir -p "$work"
  cp -n fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
  log=build-asan/fuzz-artifacts/$target.log
  if "$bin" -max_total_time="$seconds" -runs="$runs" -rss_limit_mb=2048 -timeout=10 \
       -artifact_prefix=build-asan/fuzz-artifacts/"$target"- "$work" >"$log" 2>&1; then
    echo "fuzz $target: ok, $(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+') executions"
  else
    echo "fuzz $target: FAILED (see $log)"; tail -30 "$log"; status=1
  fi
done
exit $status
