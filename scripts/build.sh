#!/usr/bin/env bash
# Configures and builds lightpath. LP_PROFILE picks the build:
#   (unset)  ./build: RelWithDebInfo with the system compiler
#   asan     ./build-asan: clang with AddressSanitizer + UndefinedBehaviorSanitizer and the
#            libFuzzer targets (scripts/sanitize.sh runs the suite there, scripts/fuzz.sh the fuzzers)
#   tsan     ./build-tsan: ThreadSanitizer
# LP_BUILD_DIR overrides the folder; LP_BUILD_TARGETS limits what is built (default: all).
# Builds are unity builds (batches of 16 files, the heavy headers parsed once per batch: a
# fresh build takes about half the time; 16 against CMake's default 8 took ./build from 6m15s
# to 5m30s on 2 cores); LP_UNITY=OFF compiles file by file, for quicker rebuilds while
# editing. Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=()
case "${LP_PROFILE:-}" in
  "") build=build ;;
  asan) build=build-asan
        # -O1 and line tables only: what the sanitizers' reports need, at a third less compile time.
        profile=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DLP_SANITIZE=address,undefined -DLP_FUZZ=ON
                 "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only"
                 "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only") ;;
  tsan) build=build-tsan; profile=(-DLP_SANITIZE=thread) ;;
  *) echo "build.sh: unknown LP_PROFILE '$LP_PROFILE' (expected asan or tsan)" >&2; exit 2 ;;
esac
build=${LP_BUILD_DIR:-$build}
launcher=()
# Lets several checkouts share one compiler cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build" -G Ninja -DCMAKE_UNITY_BUILD="${LP_UNITY:-ON}" -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 "${launcher[@]}" "${profile[@]}" "$@" >/dev/null
targets=()
for t in ${LP_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j "$(nproc)" "${targets[@]}"
