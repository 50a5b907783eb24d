// Whether every block reaches every other over the circuits: ICMP echo from each block
// router's gateway address to every other block's, all in flight at once from one process
// (a raw socket opened inside each block's namespace), resent every 100 ms until answered.
#pragma once

#include "lab/plan.h"

#include <chrono>
#include <utility>
#include <vector>

namespace lp::lab {

// The (from, to) block pairs with no echo reply within `timeout`.
std::vector<std::pair<int, int>> unreachable_blocks(const Plan& plan, std::chrono::milliseconds timeout);

}  // namespace lp::lab
