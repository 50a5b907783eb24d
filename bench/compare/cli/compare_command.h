#pragma once

#include "core/cli.h"

namespace lp::bench {

// `lightpath compare BASE.jsonl NEW.jsonl [--threshold 5%]`: exit 1 when anything regressed.
cli::Command compare_command();

}  // namespace lp::bench
