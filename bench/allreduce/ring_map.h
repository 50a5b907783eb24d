// The mapped-memory transfer of `ring` (ring_map.cc), which ring's prepare() takes first when
// every rank is on one host and the transport maps their memory.
#pragma once

#include "bench/allreduce/algorithm.h"

namespace lp::bench::allreduce {

// A plan, or nullptr when the transfer cannot be used here (ring then puts or sends). Every
// member decides alike: the members agree before any of them commits.
std::unique_ptr<Plan> prepare_ring_map(const Setup& s, const Job& job);

}  // namespace lp::bench::allreduce
