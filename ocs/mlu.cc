// Path formulation: minimize U subject to, for each demand (s, t), its paths' flows summing to
// d_st, and for each directed link (i, j) the flows over it at most U * x_ij. Demands are
// scaled to a largest value of 1 for the solver's sake and U scaled back.
#include "ocs/mlu.h"

#include "core/error.h"
#include "ocs/solver.h"

#include <algorithm>

namespace lp::ocs {
namespace {

// Each round of column generation (ocs/solver.h) adds at most kPathsPerRound paths per demand,
// the most negative reduced cost first.
constexpr std::size_t kPathsPerRound = 16;
constexpr int kMaxRounds = 1000;

}  // namespace

Utilization MluSolver::solve(const PairCircuits& x) {
  const Demand& demand = *demand_;
  const int n = demand.blocks;
  const auto cap = [&](int i, int j) { return x[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]; };
  const auto transit = [&](int s, int k, int t) { return k != s && k != t && cap(s, k) > 0 && cap(k, t) > 0; };
  if (known_.empty()) known_.resize(static_cast<std::size_t>(n * n));
  Utilization out;
  double peak = 0;
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      if (s == t || demand.at(s, t) <= 0) continue;
      peak = std::max(peak, demand.at(s, t));
      bool path = cap(s, t) > 0;
      for (int k = 0; k < n && !path; ++k) path = transit(s, k, t);
      if (!path) out.unroutable.emplace_back(s, t);
    }
  }
  if (!out.unroutable.empty()) return out;
  if (peak == 0) {
    out.mlu = 0.0;
    return out;
  }

  LinearProgram lp(LinearProgram::Sense::kMinimize);
  const int u = lp.add_column(0, kInfinity, 1.0);
  std::vector<int> link_row(static_cast<std::size_t>(n * n), -1);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j && cap(i, j) > 0) link_row[static_cast<std::size_t>(i * n + j)] = lp.add_row(-kInfinity, 0, {{u, -static_cast<double>(cap(i, j))}});
    }
  }
  struct Want {
    int s, t, row;
    std::vector<std::pair<int, int>> transits;  // (transit block, column) in the program
  };
  std::vector<Want> wants;
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      if (s == t || demand.at(s, t) <= 0) continue;
      const double d = demand.at(s, t) / peak;
      wants.push_back({s, t, lp.add_row(d, d, {}), {}});
    }
  }
  LpSession session(lp);
  const auto link = [&](int i, int j) { return link_row[static_cast<std::size_t>(i * n + j)]; };
  const auto add_transit = [&](Want& w, int k) {
    w.transits.emplace_back(k, session.add_column(0, kInfinity, 0, {{w.row, 1.0}, {link(w.s, k), 1.0}, {link(k, w.t), 1.0}}));
  };
  for (Want& w : wants) {
    if (cap(w.s, w.t) > 0) session.add_column(0, kInfinity, 0, {{w.row, 1.0}, {link(w.s, w.t), 1.0}});
    for (const int k : known_[static_cast<std::size_t>(w.s * n + w.t)]) {
      if (transit(w.s, k, w.t)) add_transit(w, k);
    }
    if (cap(w.s, w.t) == 0 && w.transits.empty()) {
      for (int k = 0; k < n; ++k) {
        if (transit(w.s, k, w.t)) {
          add_transit(w, k);
          break;
        }
      }
    }
  }
  for (int round = 0;; ++round) {
    const Outcome outcome = session.solve();
    LP_ENFORCE(outcome == Outcome::kOptimal, "max link utilization LP: {}", to_string(outcome));
    std::size_t added = 0;
    std::vector<std::pair<double, int>> priced;
    for (Want& w : wants) {
      const double base = session.dual(w.row);
      priced.clear();
      for (int k = 0; k < n; ++k) {
        if (!transit(w.s, k, w.t)) continue;
        const double rc = -(base + session.dual(link(w.s, k)) + session.dual(link(k, w.t)));
        const auto in = std::find_if(w.transits.begin(), w.transits.end(), [k](const auto& e) { return e.first == k; });
        if (rc < -kPriceTolerance && in == w.transits.end()) {
          priced.emplace_back(rc, k);
        }
      }
      std::sort(priced.begin(), priced.end());
      for (std::size_t q = 0; q < priced.size() && q < kPathsPerRound; ++q) add_transit(w, priced[q].second);
      added += std::min(priced.size(), kPathsPerRound);
    }
    if (added == 0) {
      out.mlu = session.value(u) * peak / link_gbps_;
      out.use.assign(static_cast<std::size_t>(n * n), 0.0);
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
          if (link(i, j) < 0) continue;
          const double load = session.activity(link(i, j)) + cap(i, j) * session.value(u);  // row: flows - cap * U
          out.use[static_cast<std::size_t>(i * n + j)] = load * peak / (cap(i, j) * link_gbps_);
        }
      }
      break;
    }
    // Prices move only the bottleneck's demands; every demand also gets the path whose links
    // are least used now (if that is below the bottleneck), which spreads the flows in a few
    // rounds where pricing alone would take hundreds.
    const double level = session.value(u);
    std::vector<double> use(static_cast<std::size_t>(n * n), 0.0);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        if (link(i, j) >= 0) use[static_cast<std::size_t>(i * n + j)] = session.activity(link(i, j)) / cap(i, j) + level;
      }
    }
    for (Want& w : wants) {
      int pick = -1;
      double least = level * (1 - kSpreadMargin);
      for (int k = 0; k < n; ++k) {
        if (!transit(w.s, k, w.t)) continue;
        const double busiest = std::max(use[static_cast<std::size_t>(w.s * n + k)], use[static_cast<std::size_t>(k * n + w.t)]);
        if (busiest < least && std::none_of(w.transits.begin(), w.transits.end(), [k](const auto& e) { return e.first == k; })) {
          least = busiest;
          pick = k;
        }
      }
      if (pick >= 0) add_transit(w, pick);
    }
    LP_ENFORCE(round < kMaxRounds, "max link utilization: column generation did not converge");
  }
  // Keep the paths that carry flow, for the next configuration.
  for (const Want& w : wants) {
    auto& keep = known_[static_cast<std::size_t>(w.s * n + w.t)];
    keep.clear();
    for (const auto& [k, col] : w.transits) {
      if (session.value(col) > 0) keep.push_back(k);
    }
  }
  return out;
}

Utilization max_link_utilization(const Demand& demand, const PairCircuits& circuits, double link_gbps) {
  return MluSolver(demand, link_gbps).solve(circuits);
}

}  // namespace lp::ocs
