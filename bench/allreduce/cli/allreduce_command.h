#pragma once

#include "core/cli.h"

namespace lp::bench::allreduce {
// `lightpath allreduce`: all-reduce algorithms timed, checked and compared with MPI_Allreduce.
cli::Command allreduce_command();
}  // namespace lp::bench::allreduce
