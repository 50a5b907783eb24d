#pragma once

#include "core/cli.h"

namespace lp::transport {
// `lightpath transports`: which backends this build has and whether each can run here.
cli::Command transports_command();
}  // namespace lp::transport
