#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan into build-fuzz and runs each for a
# bounded time (LP_FUZZ_SECONDS, default 60; LP_FUZZ_RUNS caps executions). A crash or leak
# fails the script; libFuzzer leaves the input as crash-*/leak-* in build-fuzz/artifacts:
# copy it into fuzz/regressions/TARGET/ so CTest replays it forever after.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${LP_FUZZ_SECONDS:-60}
runs=${LP_FUZZ_RUNS:-200000}
export CCACHE_BASEDIR=$PWD
cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DLP_FUZZ=ON -DLP_SANITIZE=address,undefined \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=$(sed -n 's/^set(lp_fuzz_targets \(.*\))$/\1/p' fuzz/CMakeLists.txt)
cmake --build build-fuzz -j "$(nproc)" --target $(printf 'fuzz_%s ' $targets)
mkdir -p build-fuzz/artifacts
status=0
for bin in build-fuzz/fuzz/fuzz_*; do
  target=${bin##*/fuzz_}
  work=build-fuzz/corpus/$target
  mkdir -p "$work"
  cp -n fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
  log=build-fuzz/artifacts/$target.log
  if "$bin" -max_total_time="$seconds" -runs="$runs" -rss_limit_mb=2048 -timeout=10 \
       -artifact_prefix=build-fuzz/artifacts/"$target"- "$work" >"$log" 2>&1; then
    echo "fuzz $target: ok, $(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+') executions"
  else
    echo "fuzz $target: FAILED (see $log)"; tail -30 "$log"; status=1
  fi
done
exit $status
