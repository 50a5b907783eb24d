#!/usr/bin/env bash
# Configures and builds lightpath into ./build (or $LP_BUILD_DIR); $LP_BUILD_TARGETS limits what
# is built (default: everything). Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${LP_BUILD_DIR:-build}
launcher=()
# Lets several checkouts share one compiler cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build" -G Ninja "${launcher[@]}" "$@" >/dev/null
targets=()
for t in ${LP_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j "$(nproc)" "${targets[@]}"
