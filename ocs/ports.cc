#include "ocs/ports.h"

#include "core/error.h"

#include <algorithm>
#include <map>

namespace lp::ocs {

PairIndex::PairIndex(int blocks) : n_(blocks) {
  for (int i = 0; i < n_; ++i) {
    for (int j = i + 1; j < n_; ++j) {
      first_.push_back(i);
      second_.push_back(j);
    }
  }
}

int PairIndex::index(int i, int j) const {
  LP_ENFORCE(i != j && i >= 0 && j >= 0 && i < n_ && j < n_, "pair {} {} of {} blocks", i, j, n_);
  if (i > j) std::swap(i, j);
  // Pairs (0,1..n-1), (1,2..n-1), ...: row i starts after i rows of n-1, n-2, ... pairs.
  return i * (2 * n_ - i - 1) / 2 + (j - i - 1);
}

int PortModel::uplinks(int block) const {
  int n = 0;
  for (int o = 0; o < ocs; ++o) n += working(o, block);
  return n;
}

int PortModel::pair_capacity(int i, int j) const {
  int n = 0;
  for (int o = 0; o < ocs; ++o) n += std::min(working(o, i), working(o, j));
  return n;
}

PortModel port_model(const topo::Fabric& fabric) {
  PortModel m;
  m.blocks = static_cast<int>(fabric.blocks.size());
  m.ocs = static_cast<int>(fabric.ocs.size());
  m.ports.assign(fabric.ocs.size(), std::vector<std::vector<int>>(fabric.blocks.size()));
  m.wired.assign(fabric.ocs.size(), std::vector<int>(fabric.blocks.size(), 0));
  m.owner = fabric.port_owners();
  for (std::size_t b = 0; b < fabric.blocks.size(); ++b) {
    for (const topo::PortRef& u : fabric.blocks[b].uplinks) {
      const auto o = static_cast<std::size_t>(u.ocs);
      ++m.wired[o][b];
      if (!fabric.port_failed(u.ocs, u.port)) m.ports[o][b].push_back(u.port);
    }
  }
  for (auto& per_ocs : m.ports) {
    for (auto& list : per_ocs) std::sort(list.begin(), list.end());
  }
  return m;
}

std::vector<OcsClass> ocs_classes(const PortModel& model) {
  std::map<std::vector<int>, std::size_t> by_wiring;  // wiring -> class index
  std::vector<OcsClass> classes;
  for (int o = 0; o < model.ocs; ++o) {
    const auto& wiring = model.wired[static_cast<std::size_t>(o)];
    if (std::all_of(wiring.begin(), wiring.end(), [](int w) { return w == 0; })) continue;
    auto [it, fresh] = by_wiring.emplace(wiring, classes.size());
    if (fresh) classes.push_back({{}, std::vector<int>(static_cast<std::size_t>(model.blocks), 0)});
    OcsClass& c = classes[it->second];
    c.members.push_back(o);
    for (int b = 0; b < model.blocks; ++b) c.capacity[static_cast<std::size_t>(b)] += model.working(o, b);
  }
  return classes;
}

std::vector<OcsClass> split_class(const std::vector<OcsClass>& classes, std::size_t c,
                                  const PortModel& model) {
  std::vector<OcsClass> out;
  for (std::size_t k = 0; k < classes.size(); ++k) {
    if (k != c) {
      out.push_back(classes[k]);
      continue;
    }
    for (const int o : classes[k].members) {
      OcsClass single{{o}, std::vector<int>(static_cast<std::size_t>(model.blocks), 0)};
      for (int b = 0; b < model.blocks; ++b) single.capacity[static_cast<std::size_t>(b)] = model.working(o, b);
      out.push_back(std::move(single));
    }
  }
  std::sort(out.begin(), out.end(), [](const OcsClass& a, const OcsClass& b) { return a.members < b.members; });
  return out;
}

std::vector<std::vector<int>> circuit_counts(const topo::OcsConfig& config, const PortModel& model,
                                             const PairIndex& pairs) {
  std::vector<std::vector<int>> counts(static_cast<std::size_t>(model.ocs),
                                       std::vector<int>(static_cast<std::size_t>(pairs.count()), 0));
  for (const topo::Circuit& c : config.circuits) {
    const auto& owner = model.owner[static_cast<std::size_t>(c.ocs)];
    const int a = owner[static_cast<std::size_t>(c.a)];
    const int b = owner[static_cast<std::size_t>(c.b)];
    LP_ENFORCE(a >= 0 && b >= 0 && a != b, "circuit on OCS {} ports {}-{} joins blocks {} and {}", c.ocs, c.a, c.b, a, b);
    ++counts[static_cast<std::size_t>(c.ocs)][static_cast<std::size_t>(pairs.index(a, b))];
  }
  return counts;
}

}  // namespace lp::ocs
