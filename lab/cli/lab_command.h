#pragma once

#include "core/cli.h"

namespace lp::lab {

// `lightpath lab up|down|run|exec|apply|hops`: the fabric lab, a multi-host cluster in network
// namespaces on one Linux machine (root).
cli::Command lab_command();

}  // namespace lp::lab
