// The alpha-beta(-gamma) figures `auto` prices algorithms with when it has no tuning table,
// measured at start-up: ping-pong of a small and a large message between the first rank and
// a rank on its host (alpha, beta) and one on another host (alpha_inter, beta_inter), the
// same with one-sided puts into transport memory where the transport has put (beta_put) and
// with copies into a peer's memory mapped here where the transport maps it (beta_map), and
// the reduction kernel on a buffer (gamma). Rank 0 measures, everyone gets its figures, so
// every rank decides alike.
#pragma once

#include "bench/allreduce/algorithm.h"

#include <string>

namespace lp::bench::allreduce {

// Collective over every rank of `t`. `host_of` is the host index of each rank.
Network measure_network(transport::Transport& t, const std::vector<int>& host_of,
                        const Reduction& red);

// "alpha 0.42 us, beta 0.05 ns/B (20.1 GB/s), gamma 0.03 ns/B" (and the inter-host pair).
std::string describe(const Network& net, bool multi_host);

}  // namespace lp::bench::allreduce
