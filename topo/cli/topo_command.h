#pragma once

#include "core/cli.h"

namespace lp::topo {

// `lightpath topo host|fabric`: this machine's topology, and a fabric file's summary.
cli::Command topo_command();
// `lightpath traffic show|merge|aggregate|gen`: traffic matrices.
cli::Command traffic_command();

}  // namespace lp::topo
