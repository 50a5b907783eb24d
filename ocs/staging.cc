#include "ocs/staging.h"

#include "core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>
#include <map>
#include <numeric>
#include <random>

namespace lp::ocs {
namespace {

// Orders tried after the first when staging corners itself.
constexpr int kStagingRetries = 24;

// The block graph of a configuration as it is changed, with component counts on demand.
class LiveGraph {
 public:
  explicit LiveGraph(int blocks)
      : n_(blocks), count_(static_cast<std::size_t>(blocks * blocks), 0), degree_(static_cast<std::size_t>(blocks), 0) {}
  void change(int a, int b, int step) {
    count_[static_cast<std::size_t>(a * n_ + b)] += step;
    count_[static_cast<std::size_t>(b * n_ + a)] += step;
    degree_[static_cast<std::size_t>(a)] += step;
    degree_[static_cast<std::size_t>(b)] += step;
  }
  int count(int a, int b) const { return count_[static_cast<std::size_t>(a * n_ + b)]; }
  int degree(int a) const { return degree_[static_cast<std::size_t>(a)]; }
  int components() const {
    std::vector<char> seen(static_cast<std::size_t>(n_), 0);
    int parts = 0;
    for (int s = 0; s < n_; ++s) {
      if (seen[static_cast<std::size_t>(s)]) continue;
      ++parts;
      std::deque<int> queue{s};
      seen[static_cast<std::size_t>(s)] = 1;
      while (!queue.empty()) {
        const int u = queue.front();
        queue.pop_front();
        for (int v = 0; v < n_; ++v) {
          if (!seen[static_cast<std::size_t>(v)] && count(u, v) > 0) {
            seen[static_cast<std::size_t>(v)] = 1;
            queue.push_back(v);
          }
        }
      }
    }
    return parts;
  }

 private:
  int n_;
  std::vector<int> count_;
  std::vector<int> degree_;
};

// Changes on one OCS whose ports chain together (a removal frees ports that additions take,
// whose other ports more removals free): applied whole, every port is freed before reuse and
// every block on it is down only by its removals while the stage is applied.
struct Unit {
  std::vector<topo::Circuit> remove, add;
};

std::vector<Unit> units_of(const std::vector<topo::Circuit>& removals, const std::vector<topo::Circuit>& additions) {
  std::map<topo::PortRef, int> root_of;  // port -> union-find index
  std::vector<int> parent;
  const auto node = [&](int ocs, int port) {
    auto [it, fresh] = root_of.emplace(topo::PortRef{ocs, port}, static_cast<int>(parent.size()));
    if (fresh) parent.push_back(it->second);
    return it->second;
  };
  const auto find = [&](int v) {
    while (parent[static_cast<std::size_t>(v)] != v) v = parent[static_cast<std::size_t>(v)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(v)])];
    return v;
  };
  for (const auto* list : {&removals, &additions}) {
    for (const topo::Circuit& c : *list) parent[static_cast<std::size_t>(find(node(c.ocs, c.a)))] = find(node(c.ocs, c.b));
  }
  std::map<int, Unit> by_root;  // ordered by root: deterministic
  for (const topo::Circuit& c : removals) by_root[find(node(c.ocs, c.a))].remove.push_back(c);
  for (const topo::Circuit& c : additions) by_root[find(node(c.ocs, c.a))].add.push_back(c);
  std::vector<Unit> units;
  for (auto& [root, u] : by_root) units.push_back(std::move(u));
  // Units that give back what they take first, those that leave blocks with fewer circuits last.
  std::stable_sort(units.begin(), units.end(), [](const Unit& x, const Unit& y) {
    return (x.remove.size() > x.add.size()) < (y.remove.size() > y.add.size());
  });
  return units;
}

// One attempt: units and additions considered in `shuffle`'s order (none: as sorted).
std::vector<Stage> try_stages(const PlanInput& in, const topo::OcsConfig& target, std::mt19937_64* shuffle) {
  const topo::Fabric& fabric = *in.fabric;
  const int n = in.pairs.blocks();
  const auto& owner = in.ports.owner;
  const auto blocks_of = [&](const topo::Circuit& c) {
    return std::pair(owner[static_cast<std::size_t>(c.ocs)][static_cast<std::size_t>(c.a)],
                     owner[static_cast<std::size_t>(c.ocs)][static_cast<std::size_t>(c.b)]);
  };
  const std::vector<topo::Circuit>& base = in.current.circuits;
  std::vector<topo::Circuit> removals, additions;
  std::set_difference(base.begin(), base.end(), target.circuits.begin(), target.circuits.end(), std::back_inserter(removals));
  std::set_difference(target.circuits.begin(), target.circuits.end(), base.begin(), base.end(), std::back_inserter(additions));

  std::vector<int> keep(static_cast<std::size_t>(n), 0);  // circuits each block must keep
  for (int b = 0; b < n; ++b) {
    keep[static_cast<std::size_t>(b)] = static_cast<int>(std::ceil(in.settings.min_capacity * in.base_degree[static_cast<std::size_t>(b)] - 1e-9));
  }
  LiveGraph live(n);
  std::map<topo::PortRef, topo::Circuit> holder;  // port -> the circuit on it now
  for (const topo::Circuit& c : base) {
    const auto [a, b] = blocks_of(c);
    live.change(a, b, 1);
    holder[{c.ocs, c.a}] = c;
    holder[{c.ocs, c.b}] = c;
  }
  const int base_parts = live.components();

  std::vector<Stage> stages;
  std::vector<char> added(additions.size(), 0);
  std::vector<char> gone(removals.size(), 0);
  std::map<topo::Circuit, std::size_t> removal_index, addition_index;
  for (std::size_t k = 0; k < removals.size(); ++k) removal_index[removals[k]] = k;
  for (std::size_t k = 0; k < additions.size(); ++k) addition_index[additions[k]] = k;
  std::vector<int> adds_at(static_cast<std::size_t>(n), 0);  // unscheduled additions per block
  for (const topo::Circuit& x : additions) {
    const auto [a, b] = blocks_of(x);
    ++adds_at[static_cast<std::size_t>(a)];
    ++adds_at[static_cast<std::size_t>(b)];
  }
  std::size_t adds_left = additions.size();
  std::size_t removes_left = removals.size();
  // A stage is first built holding one circuit in reserve on every block that loses one to
  // make room for another pair while it still has additions of its own to come (each of
  // those needs a removal on that block first); only if that stalls, without the reserve.
  for (bool reserve = true; adds_left + removes_left > 0;) {
    std::string blocked;  // why the first change that had to wait waited
    // Removes c from the live graph if the stage stays safe (for the sake of addition x, or
    // none); reports why not otherwise.
    const auto try_remove = [&](const topo::Circuit& c, const topo::Circuit* x, std::string* why) {
      const auto [a, b] = blocks_of(c);
      for (const int v : {a, b}) {
        int floor = keep[static_cast<std::size_t>(v)];
        if (reserve && x != nullptr) {
          const auto [xa, xb] = blocks_of(*x);
          if (v != xa && v != xb && adds_at[static_cast<std::size_t>(v)] > 0) ++floor;
        }
        if (live.degree(v) - 1 < floor) {
          if (why) *why = fmt::format("block '{}' would keep {} of its {} circuits (--min-capacity {})",
                                      fabric.blocks[static_cast<std::size_t>(v)].name, live.degree(v) - 1,
                                      in.base_degree[static_cast<std::size_t>(v)], in.settings.min_capacity);
          return false;
        }
      }
      live.change(a, b, -1);
      if (live.count(a, b) == 0 && live.components() > base_parts) {
        live.change(a, b, 1);
        if (why) *why = fmt::format("removing the last circuit between '{}' and '{}' would split the block graph",
                                    fabric.blocks[static_cast<std::size_t>(a)].name, fabric.blocks[static_cast<std::size_t>(b)].name);
        return false;
      }
      return true;
    };
    std::vector<topo::Circuit> removed_now;
    std::vector<std::size_t> added_now;
    std::map<topo::PortRef, topo::Circuit> held = holder;  // ports as this stage leaves them
    // Whole units first: every one that fits the capacity and connectivity still left.
    std::vector<topo::Circuit> left_removals, left_additions;
    for (std::size_t k = 0; k < removals.size(); ++k) {
      if (!gone[k]) left_removals.push_back(removals[k]);
    }
    for (std::size_t k = 0; k < additions.size(); ++k) {
      if (!added[k]) left_additions.push_back(additions[k]);
    }
    std::vector<Unit> units = units_of(left_removals, left_additions);
    std::vector<std::size_t> order(additions.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (shuffle != nullptr) {
      for (std::size_t k = units.size(); k > 1; --k) std::swap(units[k - 1], units[(*shuffle)() % k]);
      for (std::size_t k = order.size(); k > 1; --k) std::swap(order[k - 1], order[(*shuffle)() % k]);
    }
    for (const Unit& u : units) {
      std::map<int, int> loss;
      for (const topo::Circuit& c : u.remove) {
        const auto [a, b] = blocks_of(c);
        ++loss[a];
        ++loss[b];
      }
      bool fits = true;
      for (const auto& [v, k] : loss) fits &= live.degree(v) - k >= keep[static_cast<std::size_t>(v)];
      if (!fits) continue;
      std::size_t applied = 0;
      for (; applied < u.remove.size(); ++applied) {
        const auto [a, b] = blocks_of(u.remove[applied]);
        live.change(a, b, -1);
        if (live.count(a, b) == 0 && live.components() > base_parts) {
          live.change(a, b, 1);
          break;
        }
      }
      if (applied < u.remove.size()) {
        for (std::size_t k = 0; k < applied; ++k) {
          const auto [a, b] = blocks_of(u.remove[k]);
          live.change(a, b, 1);
        }
        continue;
      }
      for (const topo::Circuit& c : u.remove) {
        removed_now.push_back(c);
        held.erase({c.ocs, c.a});
        held.erase({c.ocs, c.b});
      }
      for (const topo::Circuit& x : u.add) {
        added_now.push_back(addition_index.at(x));
        const auto [xa, xb] = blocks_of(x);
        --adds_at[static_cast<std::size_t>(xa)];
        --adds_at[static_cast<std::size_t>(xb)];
        held[{x.ocs, x.a}] = x;
        held[{x.ocs, x.b}] = x;
      }
    }
    // With no whole unit fitting, single swaps (units taken apart): additions whose ports are
    // free first, then those that continue a unit already opened (one port to free), then
    // those that open one (two ports), so that opened units are finished before new ones
    // take the blocks' spare capacity.
    const bool units_fit = !removed_now.empty() || !added_now.empty();
    for (int limit = 0; limit <= 2 && !units_fit; ++limit) {
      for (const std::size_t k : order) {
        if (added[k] || std::find(added_now.begin(), added_now.end(), k) != added_now.end()) continue;
        const topo::Circuit& x = additions[k];
        std::vector<topo::Circuit> blockers;
        for (const int port : {x.a, x.b}) {
          const auto it = held.find({x.ocs, port});
          if (it != held.end() && std::find(blockers.begin(), blockers.end(), it->second) == blockers.end()) {
            blockers.push_back(it->second);
          }
        }
        if (static_cast<int>(blockers.size()) > limit) continue;
        std::vector<topo::Circuit> taken;
        bool ok = true;
        for (const topo::Circuit& c : blockers) {
          if (!try_remove(c, &x, blocked.empty() ? &blocked : nullptr)) {
            ok = false;
            break;
          }
          taken.push_back(c);
        }
        if (!ok) {
          for (const topo::Circuit& c : taken) {
            const auto [a, b] = blocks_of(c);
            live.change(a, b, 1);
          }
          continue;
        }
        for (const topo::Circuit& c : taken) {
          removed_now.push_back(c);
          held.erase({c.ocs, c.a});
          held.erase({c.ocs, c.b});
        }
        added_now.push_back(k);
        const auto [xa, xb] = blocks_of(x);
        --adds_at[static_cast<std::size_t>(xa)];
        --adds_at[static_cast<std::size_t>(xb)];
        held[{x.ocs, x.a}] = x;
        held[{x.ocs, x.b}] = x;
      }
    }
    if (adds_left == added_now.size()) {
      for (std::size_t k = 0; k < removals.size(); ++k) {
        if (gone[k] || std::find(removed_now.begin(), removed_now.end(), removals[k]) != removed_now.end()) continue;
        if (try_remove(removals[k], nullptr, blocked.empty() ? &blocked : nullptr)) {
          removed_now.push_back(removals[k]);
          held.erase({removals[k].ocs, removals[k].a});
          held.erase({removals[k].ocs, removals[k].b});
        }
      }
    }
    if (removed_now.empty() && added_now.empty()) {
      if (reserve) {
        reserve = false;
        continue;
      }
      throw Error(fmt::format("no safe stage order to the target: {}", blocked.empty() ? "no change can be made" : blocked));
    }
    reserve = true;
    holder = std::move(held);
    Stage stage;
    for (int b = 0; b < n; ++b) {
      const int had = in.base_degree[static_cast<std::size_t>(b)];
      if (had > 0) stage.min_block_capacity = std::min(stage.min_block_capacity, static_cast<double>(live.degree(b)) / had);
    }
    stage.connected = live.components() == 1;
    std::sort(removed_now.begin(), removed_now.end());
    for (const topo::Circuit& c : removed_now) gone[removal_index.at(c)] = 1;
    removes_left -= removed_now.size();
    stage.remove = std::move(removed_now);
    for (const std::size_t k : added_now) {
      added[k] = 1;
      const auto [a, b] = blocks_of(additions[k]);
      live.change(a, b, 1);
      stage.add.push_back(additions[k]);
    }
    adds_left -= added_now.size();
    stages.push_back(std::move(stage));
  }
  return stages;
}

}  // namespace

std::vector<Stage> plan_stages(const PlanInput& in, const topo::OcsConfig& target) {
  // The greedy order can corner itself (a block at its floor with a swap of its own still to
  // come); seeded retries in other orders find a way where one exists.
  std::string first_error;
  for (int attempt = 0; attempt <= kStagingRetries; ++attempt) {
    std::mt19937_64 rng(in.settings.seed + static_cast<std::uint64_t>(attempt));
    try {
      return try_stages(in, target, attempt == 0 ? nullptr : &rng);
    } catch (const Error& e) {
      if (first_error.empty()) first_error = e.what();
    }
  }
  throw Error(first_error);
}

}  // namespace lp::ocs
