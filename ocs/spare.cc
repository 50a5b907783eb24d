#include "ocs/spare.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <queue>
#include <tuple>

namespace lp::ocs {

ClassCounts spend_spare(const PlanInput& in, const std::vector<OcsClass>& classes, ClassCounts counts,
                        bool restore_current, std::optional<int> churn_budget) {
  const PairIndex& pairs = in.pairs;
  const int n = pairs.blocks();
  // room[c][b]: free ports of block b on class c; cap[c][p]: most circuits pair p can have there.
  std::vector<std::vector<int>> room(classes.size(), std::vector<int>(static_cast<std::size_t>(n), 0));
  std::vector<std::vector<int>> cap(classes.size(), std::vector<int>(static_cast<std::size_t>(pairs.count()), 0));
  std::vector<int> total(static_cast<std::size_t>(pairs.count()), 0);
  // cur[c][p]: the current configuration's circuits (counted only when restoring or budgeted).
  std::vector<std::vector<int>> cur(classes.size(), std::vector<int>(static_cast<std::size_t>(pairs.count()), 0));
  int churn = 0;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    room[c] = classes[c].capacity;
    for (int p = 0; p < pairs.count(); ++p) {
      const int i = pairs.first(p);
      const int j = pairs.second(p);
      for (const int o : classes[c].members) {
        cap[c][static_cast<std::size_t>(p)] += std::min(in.ports.working(o, i), in.ports.working(o, j));
      }
      if (in.has_current) {
        for (const int o : classes[c].members) cur[c][static_cast<std::size_t>(p)] += in.current_counts[static_cast<std::size_t>(o)][static_cast<std::size_t>(p)];
      }
      const int x = counts[c][static_cast<std::size_t>(p)];
      churn += std::abs(x - cur[c][static_cast<std::size_t>(p)]);
      room[c][static_cast<std::size_t>(i)] -= x;
      room[c][static_cast<std::size_t>(j)] -= x;
      total[static_cast<std::size_t>(p)] += x;
    }
  }
  const auto fits = [&](std::size_t c, int p) {
    const bool costs = counts[c][static_cast<std::size_t>(p)] >= cur[c][static_cast<std::size_t>(p)];
    if (costs && churn_budget && churn >= *churn_budget) return false;
    return counts[c][static_cast<std::size_t>(p)] < cap[c][static_cast<std::size_t>(p)] &&
           room[c][static_cast<std::size_t>(pairs.first(p))] > 0 && room[c][static_cast<std::size_t>(pairs.second(p))] > 0;
  };
  const auto add = [&](std::size_t c, int p) {
    churn += counts[c][static_cast<std::size_t>(p)] >= cur[c][static_cast<std::size_t>(p)] ? 1 : -1;
    ++counts[c][static_cast<std::size_t>(p)];
    --room[c][static_cast<std::size_t>(pairs.first(p))];
    --room[c][static_cast<std::size_t>(pairs.second(p))];
    ++total[static_cast<std::size_t>(p)];
  };

  if (restore_current) {
    for (std::size_t c = 0; c < classes.size(); ++c) {
      for (int p = 0; p < pairs.count(); ++p) {
        while (counts[c][static_cast<std::size_t>(p)] < cur[c][static_cast<std::size_t>(p)] && fits(c, p)) add(c, p);
      }
    }
  }

  // Most loaded first: (has demand, demand per circuit or minus circuits, lowest pair index).
  using Key = std::tuple<int, double, int>;
  const auto key = [&](int p) {
    const double a = std::max(in.circuits_of_demand(pairs.first(p), pairs.second(p)),
                              in.circuits_of_demand(pairs.second(p), pairs.first(p)));
    const int x = total[static_cast<std::size_t>(p)];
    if (a <= 0) return Key{0, -static_cast<double>(x), -p};
    return Key{1, x == 0 ? std::numeric_limits<double>::max() : a / x, -p};
  };
  std::priority_queue<Key> queue;
  for (int p = 0; p < pairs.count(); ++p) queue.push(key(p));
  while (!queue.empty()) {
    const Key top = queue.top();
    queue.pop();
    const int p = -std::get<2>(top);  // each pair has one entry: its key changes only here
    int best = -1;
    int best_room = 0;
    for (std::size_t c = 0; c < classes.size(); ++c) {
      if (!fits(c, p)) continue;
      const int r = std::min(room[c][static_cast<std::size_t>(pairs.first(p))], room[c][static_cast<std::size_t>(pairs.second(p))]);
      if (r > best_room) {
        best = static_cast<int>(c);
        best_room = r;
      }
    }
    if (best < 0) continue;  // room only shrinks: the pair is done
    add(static_cast<std::size_t>(best), p);
    queue.push(key(p));
  }
  return counts;
}

}  // namespace lp::ocs
