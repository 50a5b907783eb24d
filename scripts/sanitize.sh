#!/usr/bin/env bash
# The test suite under sanitizers (part of scripts/test.sh):
#  1. AddressSanitizer + UndefinedBehaviorSanitizer (clang): every test (build-asan, which also
#     holds the fuzz targets scripts/fuzz.sh runs). Leak checking is on
#     for everything but the processes Open MPI launches: MPI unloads its components at exit,
#     so their allocations cannot be attributed (tests/sanitizers/lsan.supp lists the libraries
#     whose exit-time allocations are expected). The example test (a minute of the benchmarks
#     the other CLI tests already run) is left to the plain suite.
#  2. ThreadSanitizer: the multi-threaded parts (the in-process bootstrap and transports with
#     ranks as threads, the benchmarks' thread-rank tests, whole rpc runs with the server and
#     its clients as threads) in build-tsan. UCX's memory hooks
#     (libucm) do not work under TSan, so UCX_MEM_EVENTS=no.
set -euo pipefail
cd "$(dirname "$0")/.."
supp=$PWD/tests/sanitizers/lsan.supp
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

LP_PROFILE=asan scripts/build.sh
(
  cd build-asan
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$supp ctest --output-on-failure --timeout 600 -j 2 -LE cli
  ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure --timeout 600 -j 2 -L cli -LE example
)

tsan_tests=(test_transport test_conformance test_bench test_rpc_run)
# TSan slows every thread several times over: of the whole rpc runs, those whose checks are
# counts and sizes (every request answered, KV caches moved), not timings.
declare -A tsan_filter=([test_rpc_run]='Rpc/*')
LP_PROFILE=tsan LP_BUILD_TARGETS="${tsan_tests[*]}" scripts/build.sh
for t in "${tsan_tests[@]}"; do
  echo "tsan: $t"
  UCX_MEM_EVENTS=no TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 build-tsan/tests/"$t" --gtest_brief=1 --gtest_filter="${tsan_filter[$t]:-*}"
done
