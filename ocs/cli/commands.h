// The subcommands of `lightpath ocs` (ocs_command.h groups them) and what they share.
#pragma once

#include "core/cli.h"
#include "topo/fabric.h"
#include "topo/traffic.h"

#include <string>

namespace lp::ocs {

cli::Command eval_command();
cli::Command plan_command();
cli::Command verify_command();
cli::Command report_command();

// The traffic file seen on the fabric's blocks (demand.h's block_traffic), with a note on
// stderr when ranks were placed on the fabric's hosts.
topo::TrafficMatrix load_block_traffic(const std::string& path, const topo::Fabric& fabric);

}  // namespace lp::ocs
