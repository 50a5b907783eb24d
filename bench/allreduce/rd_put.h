// The one-sided transfer of `rd` (rd_put.cc), which rd's prepare() takes when it can.
#pragma once

#include "bench/allreduce/algorithm.h"

namespace lp::bench::allreduce {

// The largest vector rd puts: past it rd is not the algorithm to pick, and its landing slots
// (two per round, per plan) would cost more memory than they save time.
inline constexpr std::size_t kRdPutMaxBytes = std::size_t{1} << 20;

// A power-of-two group of several ranks, a transport with put, the job's buffers in transport regions, and a
// vector of at most kRdPutMaxBytes.
bool can_rd_put(const Setup& s, const Job& job);
std::unique_ptr<Plan> prepare_rd_put(const Setup& s, const Job& job);

}  // namespace lp::bench::allreduce
