#pragma once

#include "core/cli.h"

namespace lp::bench {

// `lightpath summary RESULTS.jsonl... [--slo FILE] [--json]`: exit 1 when a budget is missed.
cli::Command summary_command();

}  // namespace lp::bench
