#!/usr/bin/env bash
# Installs, builds and runs every test. The README's second command and .ci/run call this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
# mpirun refuses root unless told; CI runs as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cd "${LP_BUILD_DIR:-build}"
ctest --output-on-failure --timeout 300 -j 2
