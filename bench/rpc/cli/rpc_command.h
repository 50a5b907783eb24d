#pragma once

#include "core/cli.h"

namespace lp::bench::rpc {
// `lightpath rpc`: inference request latency under open-loop load, tail percentiles and SLO
// verdicts (bench/rpc/).
cli::Command rpc_command();
}  // namespace lp::bench::rpc
