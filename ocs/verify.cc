#include "ocs/verify.h"

#include "ocs/verify_mlu.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace lp::ocs {
namespace {

struct Wired {
  int ocs;
  int a, b;            // ports, a < b
  int block_a, block_b;
  friend auto operator<=>(const Wired& x, const Wired& y) {
    if (auto c = x.ocs <=> y.ocs; c != 0) return c;
    if (auto c = x.a <=> y.a; c != 0) return c;
    return x.b <=> y.b;
  }
  friend bool operator==(const Wired& x, const Wired& y) { return x.ocs == y.ocs && x.a == y.a && x.b == y.b; }
};

class Checker {
 public:
  Checker(const topo::Fabric& f, const Proposal& p, const std::string& source)
      : f_(f), p_(p), source_(source), n_(static_cast<int>(f.blocks.size())) {
    owner_.resize(f.ocs.size());
    for (std::size_t o = 0; o < f.ocs.size(); ++o) {
      owner_[o].assign(static_cast<std::size_t>(f.ocs[o].ports), -1);
      ocs_index_[f.ocs[o].name] = static_cast<int>(o);
    }
    working_.assign(static_cast<std::size_t>(n_), 0);
    for (std::size_t b = 0; b < f.blocks.size(); ++b) {
      for (const topo::PortRef& u : f.blocks[b].uplinks) {
        owner_[static_cast<std::size_t>(u.ocs)][static_cast<std::size_t>(u.port)] = static_cast<int>(b);
        const auto& failed = f.ocs[static_cast<std::size_t>(u.ocs)].failed_ports;
        if (std::find(failed.begin(), failed.end(), u.port) == failed.end()) ++working_[b];
      }
    }
  }

  VerifyReport run() {
    check(p_.fabric == f_.name, "fabric", fmt::format("names fabric '{}', the fabric file is '{}'", p_.fabric, f_.name));
    const std::vector<Wired> base = config(p_.base, "base.circuits");
    const std::vector<Wired> target = config(p_.target, "target.circuits");
    replay(base, target);
    constraints(base, target);
    metrics(base, target);
    summary(base, target);
    return std::move(report_);
  }

 private:
  void check(bool ok, const std::string& path, const std::string& problem) {
    ++report_.checks;
    if (!ok) report_.problems.push_back(path.empty() ? fmt::format("{}: {}", source_, problem)
                                                     : fmt::format("{}: {}: {}", source_, path, problem));
  }

  std::optional<Wired> resolve(const NamedCircuit& c, const std::string& path) {
    const auto it = ocs_index_.find(c.ocs);
    check(it != ocs_index_.end(), path, fmt::format("unknown OCS '{}'", c.ocs));
    if (it == ocs_index_.end()) return std::nullopt;
    const topo::Ocs& ocs = f_.ocs[static_cast<std::size_t>(it->second)];
    Wired w{it->second, c.a, c.b, -1, -1};
    for (const int port : {c.a, c.b}) {
      check(port < ocs.ports, path, fmt::format("{} has no port {}", ocs.name, port));
      if (port >= ocs.ports) return std::nullopt;
      const bool failed = std::find(ocs.failed_ports.begin(), ocs.failed_ports.end(), port) != ocs.failed_ports.end();
      check(!failed, path, fmt::format("{} port {} is failed", ocs.name, port));
      const int b = owner_[static_cast<std::size_t>(it->second)][static_cast<std::size_t>(port)];
      check(b >= 0, path, fmt::format("{} port {} is wired to no block", ocs.name, port));
      if (b < 0) return std::nullopt;
      (port == c.a ? w.block_a : w.block_b) = b;
    }
    check(w.block_a != w.block_b, path, fmt::format("both ends are in block '{}'", name(w.block_a)));
    if (!c.blocks.empty()) {
      check(c.blocks.size() == 2 && c.blocks[0] == name(w.block_a) && c.blocks[1] == name(w.block_b), path,
            fmt::format("names blocks {}, the ports are wired to '{}' and '{}'", nlohmann::json(c.blocks).dump(),
                        name(w.block_a), name(w.block_b)));
    }
    return w;
  }

  std::string name(int b) const { return f_.blocks[static_cast<std::size_t>(b)].name; }

  std::vector<Wired> config(const std::vector<NamedCircuit>& list, const std::string& path) {
    std::vector<Wired> out;
    std::set<std::pair<int, int>> used;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string cpath = fmt::format("{}[{}]", path, k);
      const auto w = resolve(list[k], cpath);
      if (!w) continue;
      for (const int port : {w->a, w->b}) {
        check(used.insert({w->ocs, port}).second, cpath,
              fmt::format("{} port {} carries two circuits", f_.ocs[static_cast<std::size_t>(w->ocs)].name, port));
      }
      out.push_back(*w);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Circuits per block and the number of components of the block graph of `circuits`.
  std::pair<std::vector<int>, int> shape(const std::set<Wired>& circuits) const {
    std::vector<int> degree(static_cast<std::size_t>(n_), 0);
    std::vector<int> root(static_cast<std::size_t>(n_));
    std::iota(root.begin(), root.end(), 0);
    const auto find = [&](int v) {
      while (root[static_cast<std::size_t>(v)] != v) v = root[static_cast<std::size_t>(v)] = root[static_cast<std::size_t>(root[static_cast<std::size_t>(v)])];
      return v;
    };
    int parts = n_;
    for (const Wired& w : circuits) {
      ++degree[static_cast<std::size_t>(w.block_a)];
      ++degree[static_cast<std::size_t>(w.block_b)];
      const int a = find(w.block_a);
      const int b = find(w.block_b);
      if (a != b) {
        root[static_cast<std::size_t>(a)] = b;
        --parts;
      }
    }
    return {degree, parts};
  }

  std::optional<double> setting(const char* key) const {
    const auto it = p_.settings.find(key);
    if (it == p_.settings.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
  }

  void replay(const std::vector<Wired>& base, const std::vector<Wired>& target) {
    std::set<Wired> state(base.begin(), base.end());
    const auto [base_degree, base_parts] = shape(state);
    const double min_capacity = setting("min_capacity").value_or(0.0);
    for (std::size_t k = 0; k < p_.stages.size(); ++k) {
      const ProposalStage& stage = p_.stages[k];
      const std::string path = fmt::format("stages[{}]", k);
      for (std::size_t r = 0; r < stage.remove.size(); ++r) {
        const std::string rpath = fmt::format("{}.remove[{}]", path, r);
        const auto w = resolve(stage.remove[r], rpath);
        if (!w) continue;
        check(state.erase(*w) == 1, rpath, "removes a circuit that is not in place at this stage");
      }
      const auto [degree, parts] = shape(state);
      double least = 1.0;
      for (int b = 0; b < n_; ++b) {
        if (base_degree[static_cast<std::size_t>(b)] > 0) {
          least = std::min(least, static_cast<double>(degree[static_cast<std::size_t>(b)]) / base_degree[static_cast<std::size_t>(b)]);
        }
      }
      check(std::abs(least - stage.min_block_capacity) <= 1e-9, path + ".min_block_capacity",
            fmt::format("says {}, the stage leaves {}", stage.min_block_capacity, least));
      check(least >= min_capacity - 1e-9, path,
            fmt::format("leaves a block {} of its circuits, under min_capacity {}", least, min_capacity));
      check(stage.connected == (parts == 1), path + ".connected",
            fmt::format("says {}, the block graph during the stage has {} components", stage.connected, parts));
      check(parts <= base_parts, path, fmt::format("splits the block graph into {} components (the base has {})", parts, base_parts));
      std::set<std::pair<int, int>> busy;
      for (const Wired& w : state) {
        busy.insert({w.ocs, w.a});
        busy.insert({w.ocs, w.b});
      }
      for (std::size_t a = 0; a < stage.add.size(); ++a) {
        const std::string apath = fmt::format("{}.add[{}]", path, a);
        const auto w = resolve(stage.add[a], apath);
        if (!w) continue;
        for (const int port : {w->a, w->b}) {
          check(busy.insert({w->ocs, port}).second, apath,
                fmt::format("{} port {} is not free when the circuit is added", f_.ocs[static_cast<std::size_t>(w->ocs)].name, port));
        }
        state.insert(*w);
      }
    }
    check(std::equal(state.begin(), state.end(), target.begin(), target.end()), "stages",
          "applied in order to base they do not give target");
  }

  void constraints(const std::vector<Wired>& base, const std::vector<Wired>& target) {
    const std::set<Wired> t(target.begin(), target.end());
    if (n_ > 1) check(shape(t).second == 1, "target", "the block graph is not connected");
    const auto counts = pair_counts(target);
    if (const auto k = setting("min_pair_circuits"); k && *k > 0) {
      for (int i = 0; i < n_; ++i) {
        for (int j = i + 1; j < n_; ++j) {
          check(counts[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] >= *k, "target",
                fmt::format("blocks '{}' and '{}' have {} circuits, under min_pair_circuits {}", name(i), name(j),
                            counts[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)], *k));
        }
      }
    }
    if (const auto limit = setting("max_churn")) {
      check(changes(base, target) <= *limit, "target", fmt::format("{} changes, over max_churn {}", changes(base, target), *limit));
    }
  }

  static int changes(const std::vector<Wired>& a, const std::vector<Wired>& b) {
    std::vector<Wired> diff;
    std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(diff));
    return static_cast<int>(diff.size());
  }

  std::vector<std::vector<int>> pair_counts(const std::vector<Wired>& circuits) const {
    std::vector<std::vector<int>> c(static_cast<std::size_t>(n_), std::vector<int>(static_cast<std::size_t>(n_), 0));
    for (const Wired& w : circuits) {
      ++c[static_cast<std::size_t>(w.block_a)][static_cast<std::size_t>(w.block_b)];
      ++c[static_cast<std::size_t>(w.block_b)][static_cast<std::size_t>(w.block_a)];
    }
    return c;
  }

  void metrics(const std::vector<Wired>& base, const std::vector<Wired>& target) {
    // Demand in Gbit/s over the fabric's blocks, from the proposal's block-level traffic.
    std::vector<double> gbps(static_cast<std::size_t>(n_ * n_), 0.0);
    std::vector<int> index;
    for (std::size_t k = 0; k < p_.traffic.names.size(); ++k) {
      const auto it = std::find_if(f_.blocks.begin(), f_.blocks.end(), [&](const topo::Block& b) { return b.name == p_.traffic.names[k]; });
      check(it != f_.blocks.end(), fmt::format("traffic.names[{}]", k), fmt::format("'{}' is not a block of the fabric", p_.traffic.names[k]));
      index.push_back(it == f_.blocks.end() ? -1 : static_cast<int>(it - f_.blocks.begin()));
    }
    for (std::size_t i = 0; i < index.size(); ++i) {
      for (std::size_t j = 0; j < index.size(); ++j) {
        if (index[i] < 0 || index[j] < 0 || index[i] == index[j]) continue;
        gbps[static_cast<std::size_t>(index[i] * n_ + index[j])] += p_.traffic.at(i, j) * 8 / p_.traffic.duration_s / 1e9;
      }
    }
    const auto measure = [&](const std::vector<Wired>& circuits, const ProposalMetrics& said, int churn, const std::string& path) {
      const auto x = pair_counts(circuits);
      double served = 0, total = 0;
      for (int i = 0; i < n_; ++i) {
        for (int j = 0; j < n_; ++j) {
          const double d = gbps[static_cast<std::size_t>(i * n_ + j)];
          total += d;
          served += std::min(d, x[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] * f_.link_gbps);
        }
      }
      const double f = total > 0 ? served / total : 1.0;
      check(std::abs(f - said.direct_fraction) <= 1e-9, path + ".direct_fraction", fmt::format("says {}, recomputed {}", said.direct_fraction, f));
      check(std::abs(f + 2 * (1 - f) - said.hop_count) <= 1e-9, path + ".hop_count", fmt::format("says {}, recomputed {}", said.hop_count, f + 2 * (1 - f)));
      check(said.churn == churn, path + ".churn", fmt::format("says {}, recomputed {}", said.churn, churn));
      const std::optional<double> mlu = concurrent_flow_mlu(n_, gbps, x, f_.link_gbps);
      const std::string shown = said.mlu ? fmt::format("{}", *said.mlu) : "null";
      if (mlu && said.mlu) {
        check(std::abs(*mlu - *said.mlu) <= 1e-5 * std::max(1.0, *mlu), path + ".mlu", fmt::format("says {}, recomputed {}", shown, *mlu));
      } else {
        check(mlu.has_value() == said.mlu.has_value(), path + ".mlu",
              fmt::format("says {}, recomputed {}", shown, mlu ? fmt::format("{}", *mlu) : "unroutable (null)"));
      }
      return f;
    };
    measure(base, p_.before, 0, "metrics.before");
    const double after = measure(target, p_.after, changes(base, target), "metrics.after");
    check(p_.bound_direct_fraction >= after - 1e-9, "metrics.bound.direct_fraction",
          fmt::format("{} is below the target's direct fraction {}", p_.bound_direct_fraction, after));
  }

  void summary(const std::vector<Wired>& base, const std::vector<Wired>& target) {
    const BlockSummary& s = p_.block_graph;
    if (!s.present()) return;  // optional: DESIGN.md's fields alone make a proposal
    std::vector<std::string> names;
    for (const topo::Block& b : f_.blocks) names.push_back(b.name);
    check(s.blocks == names, "block_graph.blocks", "are not the fabric's blocks in order");
    if (s.blocks != names) return;
    check(s.uplinks == working_, "block_graph.uplinks", "differ from the fabric's working uplinks");
    check(s.link_gbps == f_.link_gbps, "block_graph.link_gbps", fmt::format("says {}, the fabric {}", s.link_gbps, f_.link_gbps));
    check(s.before == pair_counts(base), "block_graph.before", "differs from the base circuits");
    check(s.after == pair_counts(target), "block_graph.after", "differs from the target circuits");
  }

  const topo::Fabric& f_;
  const Proposal& p_;
  std::string source_;
  int n_;
  std::vector<std::vector<int>> owner_;
  std::map<std::string, int> ocs_index_;
  std::vector<int> working_;
  VerifyReport report_;
};

}  // namespace

VerifyReport verify_proposal(const topo::Fabric& fabric, const Proposal& proposal, const std::string& source) {
  return Checker(fabric, proposal, source).run();
}

}  // namespace lp::ocs
