#include "ocs/factorize.h"

#include "core/error.h"
#include "ocs/euler_split.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <tuple>

namespace lp::ocs {
namespace {

// Retries of a class that did not fit, each in a seeded random order of its pairs.
constexpr int kRetries = 4;
// OCS pairs an alternating chain tries per circuit, and the circuits it may try moving.
constexpr int kChainStarts = 16;
constexpr int kChainSteps = 400;

// One class's OCSes being filled.
class ClassPacker {
 public:
  ClassPacker(const PlanInput& in, const OcsClass& cls, bool keep_current)
      : in_(&in), members_(cls.members), keep_(keep_current) {
    const std::size_t k = members_.size();
    const std::size_t pairs = static_cast<std::size_t>(in.pairs.count());
    n_.assign(k, std::vector<int>(pairs, 0));
    cur_.assign(k, std::vector<int>(pairs, 0));
    used_.assign(k, std::vector<int>(static_cast<std::size_t>(in.pairs.blocks()), 0));
    for (std::size_t m = 0; m < k; ++m) {
      if (keep_) cur_[m] = in.current_counts[static_cast<std::size_t>(members_[m])];
    }
  }

  // Steps 1 and 2 for `target` (per pair, in this class), pairs in `order`. Returns the
  // circuits that did not fit.
  int pack(const std::vector<int>& target, const std::vector<int>& order, int& churn, std::optional<int> budget) {
    const PairIndex& pairs = in_->pairs;
    for (std::size_t m = 0; m < members_.size(); ++m) {
      n_[m] = cur_[m];
      std::fill(used_[m].begin(), used_[m].end(), 0);
    }
    std::vector<int> need(target.size(), 0);
    excess_.assign(target.size(), 0);
    for (int p = 0; p < pairs.count(); ++p) {
      int have = 0;
      for (std::size_t m = 0; m < members_.size(); ++m) {
        have += n_[m][static_cast<std::size_t>(p)];
        used_[m][static_cast<std::size_t>(pairs.first(p))] += n_[m][static_cast<std::size_t>(p)];
        used_[m][static_cast<std::size_t>(pairs.second(p))] += n_[m][static_cast<std::size_t>(p)];
      }
      need[static_cast<std::size_t>(p)] = std::max(0, target[static_cast<std::size_t>(p)] - have);
      excess_[static_cast<std::size_t>(p)] = std::max(0, have - target[static_cast<std::size_t>(p)]);
    }
    // Round-robin over the pairs, one circuit at a time, so no pair takes all of a block's room.
    int failed = 0;
    for (bool progress = true; progress;) {
      progress = false;
      for (const int p : order) {
        int& left = need[static_cast<std::size_t>(p)];
        if (left <= 0) continue;
        --left;
        progress = true;
        if (!place(p, churn, budget) && !(even_uniform() && split_around(p, churn, budget))) ++failed;
      }
    }
    // Circuits the target no longer wants and no addition needed the ports of.
    for (int p = 0; p < pairs.count(); ++p) {
      for (int& left = excess_[static_cast<std::size_t>(p)]; left > 0; --left) {
        std::size_t most = 0;
        for (std::size_t m = 1; m < members_.size(); ++m) {
          if (n_[m][static_cast<std::size_t>(p)] > n_[most][static_cast<std::size_t>(p)]) most = m;
        }
        churn += delta(most, p, -1);
        change(most, p, -1);
      }
    }
    return failed;
  }

  // Step 3's split for a class whose OCSes have the same even capacities.
  bool even_uniform() const {
    for (const int o : members_) {
      for (int b = 0; b < in_->pairs.blocks(); ++b) {
        if (in_->ports.working(o, b) % 2 != 0 || in_->ports.working(o, b) != in_->ports.working(members_.front(), b)) return false;
      }
    }
    return true;
  }

  int split(const std::vector<int>& target) {
    std::vector<int> cap(static_cast<std::size_t>(in_->pairs.blocks()));
    for (int b = 0; b < in_->pairs.blocks(); ++b) cap[static_cast<std::size_t>(b)] = in_->ports.working(members_.front(), b);
    const auto colors = euler_split(in_->pairs, target, cap, static_cast<int>(members_.size()));
    const std::vector<int> color_of = match_colors(colors, cur_);
    int churn = 0;
    for (std::size_t m = 0; m < members_.size(); ++m) {
      n_[m] = colors[static_cast<std::size_t>(color_of[m])];
      for (std::size_t p = 0; p < n_[m].size(); ++p) churn += std::abs(n_[m][p] - cur_[m][p]);
    }
    return churn;
  }

  void write(std::vector<std::vector<int>>& counts) const {
    for (std::size_t m = 0; m < members_.size(); ++m) counts[static_cast<std::size_t>(members_[m])] = n_[m];
  }

 private:
  int cap(std::size_t m, int b) const { return in_->ports.working(members_[m], b); }
  int free(std::size_t m, int b) const { return cap(m, b) - used_[m][static_cast<std::size_t>(b)]; }
  // Churn change of one more (+1) or one less (-1) circuit of pair p on member m.
  int delta(std::size_t m, int p, int step) const {
    const int now = n_[m][static_cast<std::size_t>(p)];
    const int cur = cur_[m][static_cast<std::size_t>(p)];
    return std::abs(now + step - cur) - std::abs(now - cur);
  }
  void change(std::size_t m, int p, int step) {
    n_[m][static_cast<std::size_t>(p)] += step;
    used_[m][static_cast<std::size_t>(in_->pairs.first(p))] += step;
    used_[m][static_cast<std::size_t>(in_->pairs.second(p))] += step;
  }

  // A circuit of block v on member m that must go anyway (its pair has more than the target)
  // and is not pair `keep`: its removal gives v room there. -1 when none.
  int doomed(std::size_t m, int v, int keep) const {
    for (int w = 0; w < in_->pairs.blocks(); ++w) {
      if (w == v) continue;
      const int q = in_->pairs.index(v, w);
      if (q != keep && excess_[static_cast<std::size_t>(q)] > 0 && n_[m][static_cast<std::size_t>(q)] > 0) return q;
    }
    return -1;
  }

  // Places one circuit of p on a member where both blocks have room: a free port, or a circuit
  // of theirs that has to be removed anyway (removals are chosen here, where they help).
  bool place(int p, int& churn, std::optional<int> budget) {
    const int i = in_->pairs.first(p);
    const int j = in_->pairs.second(p);
    int best = -1;
    int best_qi = -1, best_qj = -1;
    std::tuple<int, int, int> best_key{};
    for (std::size_t m = 0; m < members_.size(); ++m) {
      if (cap(m, i) == 0 || cap(m, j) == 0) continue;
      const int qi = free(m, i) > 0 ? -1 : doomed(m, i, p);
      const int qj = free(m, j) > 0 ? -1 : doomed(m, j, p);
      if ((free(m, i) <= 0 && qi < 0) || (free(m, j) <= 0 && qj < 0)) continue;
      if (qi >= 0 && qi == qj && excess_[static_cast<std::size_t>(qi)] < 2 && n_[m][static_cast<std::size_t>(qi)] < 2) continue;
      const std::tuple<int, int, int> key{delta(m, p, 1), (qi >= 0) + (qj >= 0), -std::min(free(m, i), free(m, j))};
      if (best < 0 || key < best_key) {
        best = static_cast<int>(m);
        best_qi = qi;
        best_qj = qj;
        best_key = key;
      }
    }
    if (best >= 0) {
      const auto m = static_cast<std::size_t>(best);
      int d = delta(m, p, 1);
      for (const int q : {best_qi, best_qj}) {
        if (q >= 0) d += 1;  // a removal the target asks for in any case
      }
      if (budget && churn + d > *budget) return false;
      for (const int q : {best_qi, best_qj}) {
        if (q < 0) continue;
        churn += delta(m, q, -1);
        change(m, q, -1);
        --excess_[static_cast<std::size_t>(q)];
      }
      churn += delta(m, p, 1);
      change(m, p, 1);
      return true;
    }
    return chain(p, churn, budget);
  }

  // Puts p on an OCS x where block i has room, and repairs block j, one over capacity there:
  // a depth-first search over alternating chains moves one of j's circuits on x to an OCS y
  // where j has room, which may put that circuit's other end over on y, which then moves one
  // of its circuits back to x, and so on until an end has room (moving circuits that are new
  // before ones in place). Bounded in steps, undone when it fails.
  bool chain(int p, int& churn, std::optional<int> budget) {
    const int i = in_->pairs.first(p);
    const int j = in_->pairs.second(p);
    // Room: a free port, or one a circuit that has to go anyway would free.
    const auto room = [&](std::size_t m, int v) { return free(m, v) > 0 || doomed(m, v, p) >= 0; };
    int starts = 0;
    for (std::size_t x = 0; x < members_.size(); ++x) {
      if (!room(x, i) || cap(x, j) == 0) continue;
      for (std::size_t y = 0; y < members_.size(); ++y) {
        if (y == x || !room(y, j)) continue;
        if (starts++ == kChainStarts) return false;
        // Removals the target wants anyway, made where they give i and j their room.
        std::vector<std::pair<std::size_t, int>> cut;
        for (const auto& [m, v] : {std::pair(x, i), std::pair(y, j)}) {
          if (free(m, v) > 0) continue;
          const int q = doomed(m, v, p);
          change(m, q, -1);
          --excess_[static_cast<std::size_t>(q)];
          cut.emplace_back(m, q);
        }
        change(x, p, 1);
        std::vector<Move> moves;
        int steps = 0;
        if (repair(j, x, y, p, moves, steps)) {
          int d = churn_of_moves(x, p, moves);
          for (const auto& [m, q] : cut) d += std::abs(n_[m][static_cast<std::size_t>(q)] - cur_[m][static_cast<std::size_t>(q)]) -
                                               std::abs(n_[m][static_cast<std::size_t>(q)] + 1 - cur_[m][static_cast<std::size_t>(q)]);
          if (!budget || churn + d <= *budget) {
            churn += d;
            return true;
          }
        }
        for (auto it = moves.rbegin(); it != moves.rend(); ++it) {
          change(it->to, it->pair, -1);
          change(it->from, it->pair, 1);
        }
        change(x, p, -1);
        for (const auto& [m, q] : cut) {
          change(m, q, 1);
          ++excess_[static_cast<std::size_t>(q)];
        }
      }
    }
    return false;
  }

  // Places p by splitting afresh (Petersen) only the OCSes where one of its blocks has a free
  // port: the circuits on them plus p always fit there, and the colors go to the OCSes that
  // keep most of their circuits, so the churn stays on those few devices.
  bool split_around(int p, int& churn, std::optional<int> budget) {
    const int i = in_->pairs.first(p);
    const int j = in_->pairs.second(p);
    // Each block needs a free port somewhere: one a circuit that has to go anyway frees will do.
    int cut = 0;
    for (const int v : {i, j}) {
      bool has = false;
      for (std::size_t m = 0; m < members_.size() && !has; ++m) has = free(m, v) > 0;
      for (std::size_t m = 0; m < members_.size() && !has; ++m) {
        const int q = doomed(m, v, p);
        if (q < 0) continue;
        cut += delta(m, q, -1);
        change(m, q, -1);
        --excess_[static_cast<std::size_t>(q)];
        has = true;
      }
      if (!has) {
        churn += cut;  // a removal made for i stays: the target wanted it anyway
        return false;
      }
    }
    churn += cut;
    std::vector<std::size_t> around;
    for (std::size_t m = 0; m < members_.size(); ++m) {
      if (free(m, i) > 0 || free(m, j) > 0) around.push_back(m);
    }
    if (around.size() < 2) return false;
    std::vector<int> count(static_cast<std::size_t>(in_->pairs.count()), 0);
    std::vector<std::vector<int>> current;
    for (const std::size_t m : around) {
      for (std::size_t q = 0; q < count.size(); ++q) count[q] += n_[m][q];
      current.push_back(cur_[m]);
    }
    ++count[static_cast<std::size_t>(p)];
    std::vector<int> caps(static_cast<std::size_t>(in_->pairs.blocks()));
    for (int b = 0; b < in_->pairs.blocks(); ++b) caps[static_cast<std::size_t>(b)] = cap(around.front(), b);

    const auto colors = euler_split(in_->pairs, count, caps, static_cast<int>(around.size()));
    const std::vector<int> color_of = match_colors(colors, current);
    int d = 0;
    for (std::size_t k = 0; k < around.size(); ++k) {
      const auto& now = n_[around[k]];
      const auto& next = colors[static_cast<std::size_t>(color_of[k])];
      for (std::size_t q = 0; q < count.size(); ++q) {
        d += std::abs(next[q] - cur_[around[k]][q]) - std::abs(now[q] - cur_[around[k]][q]);
      }
    }
    if (budget && churn + d > *budget) return false;
    churn += d;
    for (std::size_t k = 0; k < around.size(); ++k) {
      const std::size_t m = around[k];
      const auto& next = colors[static_cast<std::size_t>(color_of[k])];
      for (int q = 0; q < in_->pairs.count(); ++q) change(m, q, next[static_cast<std::size_t>(q)] - n_[m][static_cast<std::size_t>(q)]);
    }
    return true;
  }

  struct Move {
    std::size_t from, to;
    int pair;
  };

  // v is one over capacity on `over`; move one of its circuits there to `other`.
  bool repair(int v, std::size_t over, std::size_t other, int avoid, std::vector<Move>& moves, int& steps) {
    const int n = in_->pairs.blocks();
    std::vector<std::pair<std::tuple<int, int>, int>> options;  // (key, pair)
    for (int w = 0; w < n; ++w) {
      if (w == v || cap(other, w) == 0) continue;
      const int q = in_->pairs.index(v, w);
      if (q == avoid || n_[over][static_cast<std::size_t>(q)] == 0) continue;
      options.push_back({{free(other, w) > 0 ? 0 : 1, delta(over, q, -1) + delta(other, q, 1)}, q});
    }
    std::sort(options.begin(), options.end());
    for (const auto& [key, q] : options) {
      if (++steps > kChainSteps) return false;
      change(over, q, -1);
      change(other, q, 1);
      moves.push_back({over, other, q});
      const int w = in_->pairs.first(q) == v ? in_->pairs.second(q) : in_->pairs.first(q);
      if (free(other, v) >= 0) {
        if (free(other, w) >= 0) return true;
        if (repair(w, other, over, q, moves, steps)) return true;
      }
      moves.pop_back();
      change(other, q, -1);
      change(over, q, 1);
    }
    return false;
  }

  // Churn of placing p on x and the chain's moves, against the current layout.
  int churn_of_moves(std::size_t x, int p, const std::vector<Move>& moves) {
    // Undo everything, then redo step by step summing each step's change.
    for (auto it = moves.rbegin(); it != moves.rend(); ++it) {
      change(it->to, it->pair, -1);
      change(it->from, it->pair, 1);
    }
    change(x, p, -1);
    int d = delta(x, p, 1);
    change(x, p, 1);
    for (const Move& mv : moves) {
      d += delta(mv.from, mv.pair, -1);
      change(mv.from, mv.pair, -1);
      d += delta(mv.to, mv.pair, 1);
      change(mv.to, mv.pair, 1);
    }
    return d;
  }

  const PlanInput* in_;
  std::vector<int> members_;
  bool keep_;
  std::vector<std::vector<int>> n_, cur_, used_;  // [member][pair], [member][pair], [member][block]
  std::vector<int> excess_;                       // per pair: circuits still to remove
};

// Pairs hardest to place first: fewest OCSes of the class shared, then most circuits.
std::vector<int> pair_order(const PlanInput& in, const OcsClass& cls, const std::vector<int>& target) {
  std::vector<std::tuple<int, int, int>> keyed;
  for (int p = 0; p < in.pairs.count(); ++p) {
    if (target[static_cast<std::size_t>(p)] == 0) continue;
    int options = 0;
    for (const int o : cls.members) {
      options += in.ports.working(o, in.pairs.first(p)) > 0 && in.ports.working(o, in.pairs.second(p)) > 0;
    }
    keyed.emplace_back(options, -target[static_cast<std::size_t>(p)], p);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<int> order;
  for (const auto& k : keyed) order.push_back(std::get<2>(k));
  return order;
}

// Circuits of `counts` left to place go to any OCS where both blocks have a free port.
int spill(const PlanInput& in, std::vector<std::vector<int>>& counts, std::vector<int> missing) {
  const int n = in.pairs.blocks();
  std::vector<std::vector<int>> used(counts.size(), std::vector<int>(static_cast<std::size_t>(n), 0));
  for (std::size_t o = 0; o < counts.size(); ++o) {
    for (int p = 0; p < in.pairs.count(); ++p) {
      used[o][static_cast<std::size_t>(in.pairs.first(p))] += counts[o][static_cast<std::size_t>(p)];
      used[o][static_cast<std::size_t>(in.pairs.second(p))] += counts[o][static_cast<std::size_t>(p)];
    }
  }
  int left = 0;
  for (int p = 0; p < in.pairs.count(); ++p) {
    const int i = in.pairs.first(p);
    const int j = in.pairs.second(p);
    for (int& m = missing[static_cast<std::size_t>(p)]; m > 0; --m) {
      int best = -1;
      for (int o = 0; o < in.ports.ocs && best < 0; ++o) {
        const auto& u = used[static_cast<std::size_t>(o)];
        if (in.ports.working(o, i) > u[static_cast<std::size_t>(i)] && in.ports.working(o, j) > u[static_cast<std::size_t>(j)]) best = o;
      }
      if (best < 0) {
        left += m;
        break;
      }
      ++counts[static_cast<std::size_t>(best)][static_cast<std::size_t>(p)];
      ++used[static_cast<std::size_t>(best)][static_cast<std::size_t>(i)];
      ++used[static_cast<std::size_t>(best)][static_cast<std::size_t>(j)];
    }
  }
  return left;
}

}  // namespace

Layout factorize(const PlanInput& in, const std::vector<OcsClass>& classes, const ClassCounts& target,
                 bool keep_current, std::optional<int> churn_budget) {
  Layout out;
  out.counts.assign(static_cast<std::size_t>(in.ports.ocs), std::vector<int>(static_cast<std::size_t>(in.pairs.count()), 0));
  std::vector<int> missing(static_cast<std::size_t>(in.pairs.count()), 0);
  // Churn on OCSes outside every class (no wired port): their current circuits cannot exist.
  int churn = 0;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    ClassPacker packer(in, classes[c], keep_current);
    const std::vector<int>& want = target[c];
    std::vector<int> order = pair_order(in, classes[c], want);
    int class_churn = 0;
    int failed = packer.pack(want, order, class_churn, churn_budget ? std::optional<int>(*churn_budget - churn) : std::nullopt);
    if (failed > 0) {
      out.short_classes.push_back(static_cast<int>(c));
      std::mt19937_64 rng(in.settings.seed ^ (0x9e3779b97f4a7c15ULL * (c + 1)));
      ClassPacker best = packer;
      int best_failed = failed;
      int best_churn = class_churn;
      for (int attempt = 0; attempt < kRetries && best_failed > 0; ++attempt) {
        for (std::size_t k = order.size(); k > 1; --k) std::swap(order[k - 1], order[rng() % k]);
        int attempt_churn = 0;
        const int attempt_failed = packer.pack(want, order, attempt_churn,
                                               churn_budget ? std::optional<int>(*churn_budget - churn) : std::nullopt);
        if (std::pair(attempt_failed, attempt_churn) < std::pair(best_failed, best_churn)) {
          best = packer;
          best_failed = attempt_failed;
          best_churn = attempt_churn;
        }
      }
      if (best_failed > 0 && packer.even_uniform()) {
        const int split_churn = packer.split(want);
        if (!churn_budget || churn + split_churn <= *churn_budget) {
          best = packer;
          best_failed = 0;
          best_churn = split_churn;
        }
      }
      packer = best;
      failed = best_failed;
      class_churn = best_churn;
    }
    packer.write(out.counts);
    churn += class_churn;
    if (failed > 0) {
      for (int p = 0; p < in.pairs.count(); ++p) {
        int have = 0;
        for (const int o : classes[c].members) have += out.counts[static_cast<std::size_t>(o)][static_cast<std::size_t>(p)];
        missing[static_cast<std::size_t>(p)] += want[static_cast<std::size_t>(p)] - have;
      }
    }
  }
  if (!out.short_classes.empty()) out.unplaced = spill(in, out.counts, missing);
  out.churn = 0;
  for (int o = 0; o < in.ports.ocs; ++o) {
    for (int p = 0; p < in.pairs.count(); ++p) {
      const int cur = keep_current ? in.current_counts[static_cast<std::size_t>(o)][static_cast<std::size_t>(p)] : 0;
      out.churn += std::abs(out.counts[static_cast<std::size_t>(o)][static_cast<std::size_t>(p)] - cur);
    }
  }
  return out;
}

topo::OcsConfig assign_ports(const PlanInput& in, const std::vector<std::vector<int>>& counts, bool keep_current) {
  const PortModel& pm = in.ports;
  topo::OcsConfig out;
  // Current circuits by OCS and pair, in port order.
  std::vector<std::vector<std::vector<topo::Circuit>>> existing(static_cast<std::size_t>(pm.ocs));
  for (auto& e : existing) e.resize(static_cast<std::size_t>(in.pairs.count()));
  if (keep_current) {
    for (const topo::Circuit& c : in.current.circuits) {
      const auto& owner = pm.owner[static_cast<std::size_t>(c.ocs)];
      const int p = in.pairs.index(owner[static_cast<std::size_t>(c.a)], owner[static_cast<std::size_t>(c.b)]);
      existing[static_cast<std::size_t>(c.ocs)][static_cast<std::size_t>(p)].push_back(c);
    }
  }
  std::vector<topo::Circuit> removed;
  for (int o = 0; o < pm.ocs; ++o) {
    const auto so = static_cast<std::size_t>(o);
    std::vector<char> busy(pm.owner[so].size(), 0);
    std::vector<std::pair<int, int>> fresh;  // (pair, how many) still to place on this OCS
    for (int p = 0; p < in.pairs.count(); ++p) {
      const auto& have = existing[so][static_cast<std::size_t>(p)];
      const int want = counts[so][static_cast<std::size_t>(p)];
      const int keep = std::min<int>(want, static_cast<int>(have.size()));
      for (int k = 0; k < static_cast<int>(have.size()); ++k) {
        const topo::Circuit& c = have[static_cast<std::size_t>(k)];
        if (k < keep) {
          out.circuits.push_back(c);
          busy[static_cast<std::size_t>(c.a)] = busy[static_cast<std::size_t>(c.b)] = 1;
        } else {
          removed.push_back(c);
        }
      }
      if (want > keep) fresh.emplace_back(p, want - keep);
    }
    std::vector<std::size_t> next(static_cast<std::size_t>(in.pairs.blocks()), 0);
    const auto take = [&](int block) {
      const auto& ports = pm.ports[so][static_cast<std::size_t>(block)];
      std::size_t& k = next[static_cast<std::size_t>(block)];
      while (k < ports.size() && busy[static_cast<std::size_t>(ports[k])]) ++k;
      LP_ENFORCE(k < ports.size(), "OCS {} has no free port for block {}", o, block);
      busy[static_cast<std::size_t>(ports[k])] = 1;
      return ports[k];
    };
    for (const auto& [p, count] : fresh) {
      for (int k = 0; k < count; ++k) {
        const int a = take(in.pairs.first(p));
        const int b = take(in.pairs.second(p));
        out.circuits.push_back({o, std::min(a, b), std::max(a, b)});
      }
    }
    // Put back removed circuits of this OCS whose ports nothing took.
    for (const topo::Circuit& c : removed) {
      if (c.ocs != o || busy[static_cast<std::size_t>(c.a)] || busy[static_cast<std::size_t>(c.b)]) continue;
      busy[static_cast<std::size_t>(c.a)] = busy[static_cast<std::size_t>(c.b)] = 1;
      out.circuits.push_back(c);
    }
  }
  std::sort(out.circuits.begin(), out.circuits.end());
  return out;
}

}  // namespace lp::ocs
