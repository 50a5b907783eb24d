#include "ocs/metrics.h"

#include <algorithm>
#include <iterator>

namespace lp::ocs {

double direct_fraction(const Demand& demand, const PairCircuits& circuits, double link_gbps) {
  double served = 0;
  double total = 0;
  for (int i = 0; i < demand.blocks; ++i) {
    for (int j = 0; j < demand.blocks; ++j) {
      if (i == j) continue;
      const double d = demand.at(i, j);
      total += d;
      served += std::min(d, circuits[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] * link_gbps);
    }
  }
  return total > 0 ? served / total : 1.0;
}

int churn(const topo::OcsConfig& from, const topo::OcsConfig& to) {
  std::vector<topo::Circuit> changed;
  std::set_symmetric_difference(from.circuits.begin(), from.circuits.end(), to.circuits.begin(),
                                to.circuits.end(), std::back_inserter(changed));
  return static_cast<int>(changed.size());
}

}  // namespace lp::ocs
