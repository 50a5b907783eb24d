// The one-sided transfer of `ring` (ring_put.cc), which ring's prepare() takes when it can.
#pragma once

#include "bench/allreduce/algorithm.h"

namespace lp::bench::allreduce {

// Several ranks, a transport with put, and the job's buffers in transport regions.
bool can_put(const Setup& s, const Job& job);
std::unique_ptr<Plan> prepare_ring_put(const Setup& s, const Job& job);

}  // namespace lp::bench::allreduce
