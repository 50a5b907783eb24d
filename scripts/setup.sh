#!/usr/bin/env bash
# Installs everything lightpath needs to build, test and plot, on Debian 12. Idempotent and
# non-interactive; run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ccache
  clang libclang-rt-14-dev              # fuzzing (libFuzzer) and sanitizer runs
  libopenmpi-dev openmpi-bin            # MPI: launcher, bootstrap, baseline transport
  libucx-dev ucx-utils                  # UCX transport; ucx_perftest as the peer to beat
  libibverbs-dev librdmacm-dev          # RDMA verbs transport
  libhwloc-dev hwloc                    # host topology and binding
  nlohmann-json3-dev libcli11-dev libfmt-dev
  liblemon-dev coinor-libcbc-dev        # OCS planner: graphs, LP/MIP
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-matplotlib                    # scripts/plot.py (run with /usr/bin/python3)
  iproute2                              # the fabric lab: ip (namespaces, veths, routes) and tc
  chromium chromium-driver              # the OCS report's browser test (headless)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
