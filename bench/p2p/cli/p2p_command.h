#pragma once

#include "core/cli.h"

namespace lp::bench::p2p {

// `lightpath p2p`: point-to-point latency and bandwidth (osu_latency / osu_bw / osu_bibw).
cli::Command p2p_command();

}  // namespace lp::bench::p2p
