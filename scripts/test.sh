#!/usr/bin/env bash
# Installs, builds and runs every test. The README's second command and .ci/run call this.
#   1. the suite (CTest: unit tests, mpirun and end-to-end CLI tests), in ./build
#   2. the suite again under ASan+UBSan, and the threaded parts under TSan (scripts/sanitize.sh)
#   3. every fuzz target for LP_FUZZ_SECONDS (default 20) from its seed corpus (scripts/fuzz.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
stage() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
stage "set-up"
scripts/setup.sh
stage "build"
scripts/build.sh
stage "test suite"
# mpirun refuses root unless told; CI runs as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
(cd "${LP_BUILD_DIR:-build}" && ctest --output-on-failure --timeout 300 -j 2)
stage "sanitizers"
scripts/sanitize.sh
stage "fuzzing"
LP_FUZZ_SECONDS=${LP_FUZZ_SECONDS:-20} scripts/fuzz.sh
stage "done"
