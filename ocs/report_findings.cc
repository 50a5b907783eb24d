#include "ocs/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace lp::ocs {
namespace {

// A pair without a circuit is worth a warning when it is among the kHeavyPairs heaviest or
// carries kHeavyPairShare of all traffic; a block is near its port limit from kPortLimitShare
// of its uplinks' capacity on.
constexpr std::size_t kHeavyPairs = 10;
constexpr double kHeavyPairShare = 0.01;
constexpr double kPortLimitShare = 0.8;
// Warnings of one kind listed before the rest are counted.
constexpr std::size_t kListed = 10;

}  // namespace

Findings find(const Proposal& p) {
  Findings out;
  const BlockSummary& g = p.block_graph;
  const int n = static_cast<int>(g.blocks.size());
  std::vector<int> at(p.traffic.names.size(), -1);  // traffic row -> block
  for (std::size_t k = 0; k < at.size(); ++k) {
    const auto it = std::find(g.blocks.begin(), g.blocks.end(), p.traffic.names[k]);
    if (it != g.blocks.end()) at[k] = static_cast<int>(it - g.blocks.begin());
  }
  std::vector<double> d(static_cast<std::size_t>(n * n), 0.0);
  for (std::size_t i = 0; i < at.size(); ++i) {
    for (std::size_t j = 0; j < at.size(); ++j) {
      if (at[i] < 0 || at[j] < 0 || at[i] == at[j]) continue;
      d[static_cast<std::size_t>(at[i] * n + at[j])] += p.traffic.at(i, j) * 8 / p.traffic.duration_s / 1e9;
    }
  }
  const auto D = [&](int i, int j) { return d[static_cast<std::size_t>(i * n + j)]; };
  double total = 0;
  std::vector<double> block_gbps(static_cast<std::size_t>(n), 0.0);  // the larger of egress and ingress
  for (int i = 0; i < n; ++i) {
    double egress = 0, ingress = 0;
    for (int j = 0; j < n; ++j) {
      egress += D(i, j);
      ingress += D(j, i);
    }
    total += egress;
    block_gbps[static_cast<std::size_t>(i)] = std::max(egress, ingress);
  }
  const double c = g.link_gbps;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const int x = g.after[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
      const int before = g.before[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
      const double gbps = D(i, j) + D(j, i);
      if (gbps > 0) out.pairs.push_back({i, j, gbps, x, (std::min(D(i, j), x * c) + std::min(D(j, i), x * c)) / gbps});
      if (x != before) out.changes.push_back({i, j, before, x, gbps});
    }
  }
  std::stable_sort(out.pairs.begin(), out.pairs.end(), [](const auto& a, const auto& b) { return a.gbps > b.gbps; });
  std::stable_sort(out.changes.begin(), out.changes.end(), [](const auto& a, const auto& b) {
    if (a.gbps != b.gbps) return a.gbps > b.gbps;
    return std::abs(a.after - a.before) > std::abs(b.after - b.before);
  });

  if (!p.after.mlu) {
    out.warnings.push_back("some traffic has no path of one or two circuits in the target: its MLU is unbounded");
  } else if (*p.after.mlu > 1) {
    out.warnings.push_back(fmt::format("the target's MLU is {:.3f}: the traffic does not fit the circuits, even with "
                                       "one-transit paths", *p.after.mlu));
  }
  std::size_t listed = 0, more = 0;
  for (std::size_t k = 0; k < out.pairs.size(); ++k) {
    const auto& pair = out.pairs[k];
    if (pair.circuits > 0 || (k >= kHeavyPairs && pair.gbps < kHeavyPairShare * total)) continue;
    if (listed++ == kListed) {
      ++more;
      continue;
    }
    out.warnings.push_back(fmt::format("blocks '{}' and '{}' exchange {:.6g} Gbit/s ({:.1f}% of all traffic) without a "
                                       "direct circuit", g.blocks[static_cast<std::size_t>(pair.i)],
                                       g.blocks[static_cast<std::size_t>(pair.j)], pair.gbps, 100 * pair.gbps / total));
  }
  if (more > 0) out.warnings.push_back(fmt::format("and {} more pairs with heavy traffic and no direct circuit", more));
  listed = more = 0;
  for (int b = 0; b < n; ++b) {
    const double capacity = g.uplinks[static_cast<std::size_t>(b)] * c;
    const double gbps = block_gbps[static_cast<std::size_t>(b)];
    if (gbps <= 0 || gbps < kPortLimitShare * capacity) continue;
    if (listed++ == kListed) {
      ++more;
      continue;
    }
    out.warnings.push_back(fmt::format("block '{}' sends or receives {:.6g} Gbit/s, {:.0f}% of its {} working uplinks' "
                                       "capacity: near its port limit, more traffic needs more uplinks",
                                       g.blocks[static_cast<std::size_t>(b)], gbps,
                                       capacity > 0 ? 100 * gbps / capacity : 100.0, g.uplinks[static_cast<std::size_t>(b)]));
  }
  if (more > 0) out.warnings.push_back(fmt::format("and {} more blocks near their port limits", more));
  const double gap = p.bound_direct_fraction - p.after.direct_fraction;
  if (gap > 0.01) {
    out.warnings.push_back(fmt::format("the direct fraction is {:.4f} below its upper bound {:.4f}", gap, p.bound_direct_fraction));
  }
  return out;
}

}  // namespace lp::ocs
