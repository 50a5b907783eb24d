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
// OCS pairs an alternating chain tries per circuit, and its longest walk per try.
constexpr int kChainStarts = 6;

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
    for (int p = 0; p < pairs.count(); ++p) {
      int have = 0;
      for (std::size_t m = 0; m < members_.size(); ++m) have += n_[m][static_cast<std::size_t>(p)];
      for (; have > target[static_cast<std::size_t>(p)]; --have) {
        std::size_t most = 0;
        for (std::size_t m = 1; m < members_.size(); ++m) {
          if (n_[m][static_cast<std::size_t>(p)] > n_[most][static_cast<std::size_t>(p)]) most = m;
        }
        --n_[most][static_cast<std::size_t>(p)];
        ++churn;
      }
      need[static_cast<std::size_t>(p)] = target[static_cast<std::size_t>(p)] - have;
      for (std::size_t m = 0; m < members_.size(); ++m) {
        used_[m][static_cast<std::size_t>(pairs.first(p))] += n_[m][static_cast<std::size_t>(p)];
        used_[m][static_cast<std::size_t>(pairs.second(p))] += n_[m][static_cast<std::size_t>(p)];
      }
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
        if (!place(p, churn, budget)) ++failed;
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

  bool place(int p, int& churn, std::optional<int> budget) {
    const int i = in_->pairs.first(p);
    const int j = in_->pairs.second(p);
    int best = -1;
    std::tuple<int, int, int> best_key{};
    for (std::size_t m = 0; m < members_.size(); ++m) {
      const int fi = free(m, i);
      const int fj = free(m, j);
      if (fi <= 0 || fj <= 0) continue;
      const std::tuple<int, int, int> key{delta(m, p, 1), -std::min(fi, fj), -(fi + fj)};
      if (best < 0 || key < best_key) {
        best = static_cast<int>(m);
        best_key = key;
      }
    }
    if (best >= 0) {
      const int d = delta(static_cast<std::size_t>(best), p, 1);
      if (budget && churn + d > *budget) return false;
      churn += d;
      change(static_cast<std::size_t>(best), p, 1);
      return true;
    }
    return chain(p, churn, budget);
  }

  // Puts p on an OCS x where block i has room, then walks: the block over capacity on x moves
  // one of its circuits there to OCS y (where it has room), which may push the circuit's other
  // end over on y, which moves one back to x, and so on until an end has room.
  bool chain(int p, int& churn, std::optional<int> budget) {
    const int i = in_->pairs.first(p);
    const int j = in_->pairs.second(p);
    const int walk = 2 * in_->pairs.blocks() + 4;
    int starts = 0;
    for (std::size_t x0 = 0; x0 < members_.size(); ++x0) {
      if (free(x0, i) <= 0 || cap(x0, j) == 0) continue;
      for (std::size_t y0 = 0; y0 < members_.size(); ++y0) {
        if (y0 == x0 || free(y0, j) <= 0) continue;
        if (starts++ == kChainStarts) return false;
        std::vector<std::tuple<std::size_t, std::size_t, int>> moves;  // (from, to, pair)
        int d = delta(x0, p, 1);
        change(x0, p, 1);
        bool ok = false;
        int v = j;
        std::size_t x = x0, y = y0;
        int prev = p;
        for (int step = 0; step < walk; ++step) {
          int pick = -1;
          std::tuple<int, int, int> pick_key{};
          for (int w = 0; w < in_->pairs.blocks(); ++w) {
            if (w == v) continue;
            const int q = in_->pairs.index(v, w);
            if (q == prev || n_[x][static_cast<std::size_t>(q)] == 0 || cap(y, w) == 0) continue;
            const std::tuple<int, int, int> key{free(y, w) > 0 ? 0 : 1, delta(x, q, -1) + delta(y, q, 1), q};
            if (pick < 0 || key < pick_key) {
              pick = q;
              pick_key = key;
            }
          }
          if (pick < 0) break;
          d += delta(x, pick, -1);
          change(x, pick, -1);
          d += delta(y, pick, 1);
          change(y, pick, 1);
          moves.emplace_back(x, y, pick);
          if (free(y, v) < 0) break;
          const int w = in_->pairs.first(pick) == v ? in_->pairs.second(pick) : in_->pairs.first(pick);
          if (free(y, w) >= 0) {
            ok = true;
            break;
          }
          v = w;
          std::swap(x, y);
          prev = pick;
        }
        if (ok) {
          for (std::size_t m = 0; m < members_.size() && ok; ++m) {
            for (int b = 0; b < in_->pairs.blocks() && ok; ++b) ok = free(m, b) >= 0;
          }
        }
        if (ok && (!budget || churn + d <= *budget)) {
          churn += d;
          return true;
        }
        for (auto it = moves.rbegin(); it != moves.rend(); ++it) {
          change(std::get<1>(*it), std::get<2>(*it), -1);
          change(std::get<0>(*it), std::get<2>(*it), 1);
        }
        change(x0, p, -1);
      }
    }
    return false;
  }

  const PlanInput* in_;
  std::vector<int> members_;
  bool keep_;
  std::vector<std::vector<int>> n_, cur_, used_;  // [member][pair], [member][pair], [member][block]
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
