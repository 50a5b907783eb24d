// The planner's metrics, as DESIGN.md defines them: direct fraction F, weighted hop count H,
// max link utilization (mlu.h) and churn. Reports and tests use these functions; verify has
// its own implementation (verify_metrics.cc) so that a planner bug cannot hide itself.
#pragma once

#include "ocs/demand.h"
#include "topo/fabric.h"

#include <optional>
#include <vector>

namespace lp::ocs {

// Circuits per block pair, symmetric, zero diagonal (topo::BlockGraph::circuits).
using PairCircuits = std::vector<std::vector<int>>;

struct Metrics {
  double direct_fraction = 1;
  double hop_count = 1;
  std::optional<double> mlu;  // empty: some demand has no path of one or two circuits
  int churn = 0;
};

// F = sum over i != j of min(D_ij, x_ij * C) / sum of D_ij; 1 when there is no demand.
double direct_fraction(const Demand& demand, const PairCircuits& circuits, double link_gbps);
// H = F * 1 + (1 - F) * 2.
inline double hop_count(double direct_fraction) { return 2.0 - direct_fraction; }
// Circuits removed plus circuits added going from `from` to `to`.
int churn(const topo::OcsConfig& from, const topo::OcsConfig& to);

}  // namespace lp::ocs
