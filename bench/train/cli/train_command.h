#pragma once

#include "core/cli.h"

namespace lp::bench::train {
// `lightpath train`: replays the gradient all-reduces of data-parallel training steps.
cli::Command train_command();
}  // namespace lp::bench::train
