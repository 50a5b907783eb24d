// The one-sided transfer of `rd` (rd_put.cc), which rd's prepare() takes when it can.
#pragma once

#include "bench/allreduce/algorithm.h"

namespace lp::bench::allreduce {

// A power-of-two group, a transport with put, and the job's buffers in transport regions.
bool can_rd_put(const Setup& s, const Job& job);
std::unique_ptr<Plan> prepare_rd_put(const Setup& s, const Job& job);

}  // namespace lp::bench::allreduce
