#include "ocs/staging.h"

#include "core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>
#include <map>

namespace lp::ocs {
namespace {

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

}  // namespace

std::vector<Stage> plan_stages(const PlanInput& in, const topo::OcsConfig& target) {
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
  std::map<topo::Circuit, std::size_t> removal_index;
  for (std::size_t k = 0; k < removals.size(); ++k) removal_index[removals[k]] = k;
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
    for (std::size_t k = 0; k < additions.size(); ++k) {
      if (added[k]) continue;
      const topo::Circuit& x = additions[k];
      std::vector<topo::Circuit> blockers;
      for (const int port : {x.a, x.b}) {
        const auto it = held.find({x.ocs, port});
        if (it != held.end() && std::find(blockers.begin(), blockers.end(), it->second) == blockers.end()) {
          blockers.push_back(it->second);
        }
      }
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

}  // namespace lp::ocs
