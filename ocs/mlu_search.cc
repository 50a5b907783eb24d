#include "ocs/mlu_search.h"

#include "ocs/metrics.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace lp::ocs {
namespace {

// Measurements: about kWork / n^3, at most kMost; per move, the kTries least used circuits of
// each of the pair's two blocks are tried.
constexpr double kWork = 2e6;
constexpr int kMost = 60;
constexpr std::size_t kTries = 3;
// A move must lower MLU by this share to count.
constexpr double kGain = 1e-6;

PairCircuits pairs_of(const PlanInput& in, const ClassCounts& counts) {
  const int n = in.pairs.blocks();
  PairCircuits x(static_cast<std::size_t>(n), std::vector<int>(static_cast<std::size_t>(n), 0));
  for (const auto& per_class : counts) {
    for (int p = 0; p < in.pairs.count(); ++p) {
      x[static_cast<std::size_t>(in.pairs.first(p))][static_cast<std::size_t>(in.pairs.second(p))] += per_class[static_cast<std::size_t>(p)];
      x[static_cast<std::size_t>(in.pairs.second(p))][static_cast<std::size_t>(in.pairs.first(p))] += per_class[static_cast<std::size_t>(p)];
    }
  }
  return x;
}

bool connected(const PairCircuits& x) {
  const std::size_t n = x.size();
  std::vector<char> seen(n, 0);
  std::deque<std::size_t> queue{0};
  seen[0] = 1;
  std::size_t reached = 1;
  while (!queue.empty()) {
    const std::size_t u = queue.front();
    queue.pop_front();
    for (std::size_t v = 0; v < n; ++v) {
      if (!seen[v] && x[u][v] > 0) {
        seen[v] = 1;
        ++reached;
        queue.push_back(v);
      }
    }
  }
  return reached == n;
}

}  // namespace

ClassCounts lower_mlu(const PlanInput& in, const std::vector<OcsClass>& classes, ClassCounts counts, MluSolver& mlu) {
  const int n = in.pairs.blocks();
  if (n < 4) return counts;
  int budget = std::min(kMost, static_cast<int>(kWork / (static_cast<double>(n) * n * n)));
  const double c = in.link_gbps();
  PairCircuits x = pairs_of(in, counts);
  Utilization now = mlu.solve(x);
  if (!now.mlu || *now.mlu == 0) return counts;
  const double f = direct_fraction(in.demand, x, c);
  // cap[c][p]: most circuits pair p can have on class c.
  std::vector<std::vector<int>> cap(classes.size(), std::vector<int>(static_cast<std::size_t>(in.pairs.count()), 0));
  for (std::size_t k = 0; k < classes.size(); ++k) {
    for (int p = 0; p < in.pairs.count(); ++p) {
      for (const int o : classes[k].members) {
        cap[k][static_cast<std::size_t>(p)] += std::min(in.ports.working(o, in.pairs.first(p)), in.ports.working(o, in.pairs.second(p)));
      }
    }
  }
  const auto use = [&](int i, int j) {
    return std::max(now.use[static_cast<std::size_t>(i * n + j)], now.use[static_cast<std::size_t>(j * n + i)]);
  };
  while (budget > 0) {
    // The most used pair.
    int bi = -1, bj = -1;
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        if (bi < 0 || use(i, j) > use(bi, bj)) {
          bi = i;
          bj = j;
        }
      }
    }
    const int p = in.pairs.index(bi, bj);
    ClassCounts best;
    Utilization best_use;
    double best_mlu = *now.mlu * (1 - kGain);
    for (std::size_t k = 0; k < classes.size() && budget > 0; ++k) {
      if (counts[k][static_cast<std::size_t>(p)] >= cap[k][static_cast<std::size_t>(p)]) continue;
      // Each end's circuits on this class, least used first.
      const auto donors = [&](int v, int other) {
        std::vector<std::pair<double, int>> list;
        for (int w = 0; w < n; ++w) {
          if (w == v || w == other) continue;
          const int q = in.pairs.index(v, w);
          if (counts[k][static_cast<std::size_t>(q)] > 0) list.emplace_back(use(v, w), w);
        }
        std::sort(list.begin(), list.end());
        if (list.size() > kTries) list.resize(kTries);
        return list;
      };
      for (const auto& [ui, wi] : donors(bi, bj)) {
        for (const auto& [uj, wj] : donors(bj, bi)) {
          if (budget <= 0) break;
          ClassCounts next = counts;
          auto& row = next[k];
          --row[static_cast<std::size_t>(in.pairs.index(bi, wi))];
          --row[static_cast<std::size_t>(in.pairs.index(bj, wj))];
          ++row[static_cast<std::size_t>(p)];
          if (wi != wj) {
            const int q = in.pairs.index(wi, wj);
            if (row[static_cast<std::size_t>(q)] >= cap[k][static_cast<std::size_t>(q)]) continue;
            ++row[static_cast<std::size_t>(q)];
          }
          const PairCircuits y = pairs_of(in, next);
          if (direct_fraction(in.demand, y, c) < f - 1e-12 || !connected(y)) continue;
          if (y[static_cast<std::size_t>(bi)][static_cast<std::size_t>(wi)] < in.settings.min_pair_circuits ||
              y[static_cast<std::size_t>(bj)][static_cast<std::size_t>(wj)] < in.settings.min_pair_circuits) {
            continue;
          }
          --budget;
          Utilization measured = mlu.solve(y);
          if (measured.mlu && *measured.mlu < best_mlu) {
            best_mlu = *measured.mlu;
            best = std::move(next);
            best_use = std::move(measured);
          }
        }
      }
    }
    if (best.empty()) break;
    counts = std::move(best);
    now = std::move(best_use);
  }
  return counts;
}

}  // namespace lp::ocs
