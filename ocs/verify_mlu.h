// MLU for verify, by a formulation of its own: the maximum concurrent flow. The largest
// lambda such that lambda times every demand can be routed over direct and one-transit paths
// within the circuits' capacity; MLU = 1 / lambda. The planner's mlu.cc minimizes the
// utilization directly instead; the two agree at the optimum, so a mistake in one shows.
#pragma once

#include <optional>
#include <vector>

namespace lp::ocs {

// `gbps[s * n + t]` demand, `circuits[i][j]` per block pair. Empty when a demand has no path.
std::optional<double> concurrent_flow_mlu(int n, const std::vector<double>& gbps,
                                          const std::vector<std::vector<int>>& circuits, double link_gbps);

}  // namespace lp::ocs
