// Splitting a multigraph onto k interchangeable OCSes when every block has the same even
// number of ports on each (a class as ports.h groups them, Jupiter's 2 ports per block per
// OCS): Petersen's theorem made constructive. Walking Euler trails orients the circuits so
// that every block has as many leaving as entering, give or take one. Splitting each block into cap/2 copies on
// each side gives a bipartite multigraph of maximum degree k, which König's theorem colors
// with k colors (alternating-path recoloring); color c becomes OCS c, where each block has at
// most cap/2 circuits leaving and cap/2 entering. It always succeeds when the degrees fit.
#pragma once

#include "ocs/ports.h"

#include <vector>

namespace lp::ocs {

// `count[p]` circuits per pair with block degrees at most k * cap[block], every cap even.
// Returns [color][pair], k colors, each within cap per block.
std::vector<std::vector<int>> euler_split(const PairIndex& pairs, const std::vector<int>& count,
                                          const std::vector<int>& cap, int k);

// Which color goes to which OCS: the assignment maximizing the circuits each OCS already has
// (min(colored, current) summed over pairs), solved as a min-cost flow with LEMON's network
// simplex. `current[m][p]` for the k member OCSes; returns the color of each member.
std::vector<int> match_colors(const std::vector<std::vector<int>>& colors,
                              const std::vector<std::vector<int>>& current);

}  // namespace lp::ocs
