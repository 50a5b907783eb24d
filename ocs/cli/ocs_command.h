#pragma once

#include "core/cli.h"

namespace lp::ocs {
// `lightpath ocs eval|plan|verify|report`: the OCS planner's command group.
cli::Command ocs_command();
}  // namespace lp::ocs
