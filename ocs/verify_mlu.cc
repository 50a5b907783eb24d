// maximize lambda: for each demand (s, t) its paths' flows sum to lambda * d_st; each directed
// link carries at most its circuits. Solved by column generation from the direct paths.
#include "ocs/verify_mlu.h"

#include "core/error.h"
#include "ocs/solver.h"

#include <algorithm>

namespace lp::ocs {

std::optional<double> concurrent_flow_mlu(int n, const std::vector<double>& gbps,
                                          const std::vector<std::vector<int>>& circuits, double link_gbps) {
  const auto x = [&](int i, int j) { return circuits[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]; };
  const auto d = [&](int s, int t) { return gbps[static_cast<std::size_t>(s * n + t)]; };
  double top = 0;
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      if (s == t || d(s, t) <= 0) continue;
      top = std::max(top, d(s, t));
      bool reachable = x(s, t) > 0;
      for (int k = 0; k < n && !reachable; ++k) reachable = k != s && k != t && x(s, k) > 0 && x(k, t) > 0;
      if (!reachable) return std::nullopt;
    }
  }
  if (top == 0) return 0.0;

  LinearProgram lp(LinearProgram::Sense::kMinimize);
  const int lambda = lp.add_column(0, kInfinity, -1.0);
  std::vector<int> cap_row(static_cast<std::size_t>(n * n), -1);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j && x(i, j) > 0) cap_row[static_cast<std::size_t>(i * n + j)] = lp.add_row(-kInfinity, x(i, j), {});
    }
  }
  struct Commodity {
    int s, t, row;
    std::vector<int> via;  // transit blocks with a column
  };
  std::vector<Commodity> commodities;
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      if (s != t && d(s, t) > 0) commodities.push_back({s, t, lp.add_row(0, 0, {{lambda, -d(s, t) / top}}), {}});
    }
  }
  LpSession session(lp);
  const auto row = [&](int i, int j) { return cap_row[static_cast<std::size_t>(i * n + j)]; };
  for (Commodity& c : commodities) {
    if (x(c.s, c.t) > 0) {
      session.add_column(0, kInfinity, 0, {{c.row, 1.0}, {row(c.s, c.t), 1.0}});
      continue;
    }
    for (int k = 0; k < n; ++k) {
      if (k != c.s && k != c.t && x(c.s, k) > 0 && x(k, c.t) > 0) {
        c.via.push_back(k);
        session.add_column(0, kInfinity, 0, {{c.row, 1.0}, {row(c.s, k), 1.0}, {row(k, c.t), 1.0}});
        break;
      }
    }
  }
  for (int round = 0;; ++round) {
    LP_ENFORCE(session.solve() == Outcome::kOptimal, "verify: concurrent flow LP did not solve");
    bool grew = false;
    for (Commodity& c : commodities) {
      const double y = session.dual(c.row);
      for (int k = 0; k < n; ++k) {
        if (k == c.s || k == c.t || x(c.s, k) == 0 || x(k, c.t) == 0) continue;
        if (std::find(c.via.begin(), c.via.end(), k) != c.via.end()) continue;
        if (-(y + session.dual(row(c.s, k)) + session.dual(row(k, c.t))) < -1e-7) {
          c.via.push_back(k);
          session.add_column(0, kInfinity, 0, {{c.row, 1.0}, {row(c.s, k), 1.0}, {row(k, c.t), 1.0}});
          grew = true;
        }
      }
    }
    if (!grew) break;
    LP_ENFORCE(round < 1000, "verify: concurrent flow column generation did not converge");
    // Spread: each commodity also gets its path of least loaded links, if below full.
    for (Commodity& c : commodities) {
      int best = -1;
      double least = 0.999;
      for (int k = 0; k < n; ++k) {
        if (k == c.s || k == c.t || x(c.s, k) == 0 || x(k, c.t) == 0) continue;
        if (std::find(c.via.begin(), c.via.end(), k) != c.via.end()) continue;
        const double load = std::max(session.activity(row(c.s, k)) / x(c.s, k), session.activity(row(k, c.t)) / x(k, c.t));
        if (load < least) {
          least = load;
          best = k;
        }
      }
      if (best >= 0) {
        c.via.push_back(best);
        session.add_column(0, kInfinity, 0, {{c.row, 1.0}, {row(c.s, best), 1.0}, {row(best, c.t), 1.0}});
      }
    }
  }
  const double scale = session.value(lambda);
  LP_ENFORCE(scale > 0, "verify: concurrent flow of zero with every demand routable");
  return top / (scale * link_gbps);
}

}  // namespace lp::ocs
