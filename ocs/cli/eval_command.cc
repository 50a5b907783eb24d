// `lightpath ocs eval`: the metrics of one OCS configuration under a traffic matrix.
#include "ocs/cli/commands.h"

#include "core/atomic_file.h"
#include "ocs/demand.h"
#include "ocs/metrics.h"
#include "ocs/mlu.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace lp::ocs {
namespace {

struct EvalOptions {
  std::string fabric, config, traffic, against, json;
  std::size_t top = 10;
};

struct PairLoad {
  int i, j;
  double gbps, direct;
  int circuits;
};

int run_eval(const EvalOptions& o) {
  const topo::Fabric fabric = topo::load_fabric(o.fabric);
  const topo::OcsConfig config = topo::load_ocs_config(o.config, fabric);
  const topo::TrafficMatrix traffic = load_block_traffic(o.traffic, fabric);
  const Demand demand = demand_of(traffic);
  const topo::BlockGraph g = topo::block_graph(fabric, config);
  const double c = fabric.link_gbps;

  Metrics m;
  m.direct_fraction = direct_fraction(demand, g.circuits, c);
  m.hop_count = hop_count(m.direct_fraction);
  const Utilization u = max_link_utilization(demand, g.circuits, c);
  m.mlu = u.mlu;
  if (!o.against.empty()) m.churn = churn(topo::load_ocs_config(o.against, fabric), config);

  std::vector<PairLoad> pairs;
  for (int i = 0; i < demand.blocks; ++i) {
    for (int j = i + 1; j < demand.blocks; ++j) {
      const double d = demand.at(i, j) + demand.at(j, i);
      if (d <= 0) continue;
      const int x = g.circuits[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
      pairs.push_back({i, j, d, std::min(demand.at(i, j), x * c) + std::min(demand.at(j, i), x * c), x});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const PairLoad& a, const PairLoad& b) { return a.gbps > b.gbps; });

  std::printf("eval: fabric '%s', %zu circuits, traffic %.6g Gbit/s between blocks\n", fabric.name.c_str(),
              config.circuits.size(), demand.total());
  std::printf("direct_fraction %.4f  hop_count %.4f  mlu %s", m.direct_fraction, m.hop_count,
              m.mlu ? fmt::format("{:.4f}", *m.mlu).c_str() : "unroutable");
  if (!o.against.empty()) std::printf("  churn %d (against %s)", m.churn, o.against.c_str());
  std::printf("\n");
  if (!u.unroutable.empty()) {
    std::printf("unroutable: %zu demands have no direct or one-transit path, e.g. %s -> %s\n", u.unroutable.size(),
                fabric.blocks[static_cast<std::size_t>(u.unroutable[0].first)].name.c_str(),
                fabric.blocks[static_cast<std::size_t>(u.unroutable[0].second)].name.c_str());
  }
  std::printf("block graph: %s", g.connected ? "connected" : "NOT connected");
  if (g.connected) std::printf(", diameter %d", g.diameter);
  std::printf("\n%-16s %9s %8s %14s\n", "block", "circuits", "uplinks", "traffic_gbps");
  for (int b = 0; b < g.blocks; ++b) {
    double gbps = 0;
    for (int k = 0; k < demand.blocks; ++k) gbps += demand.at(b, k) + demand.at(k, b);
    std::printf("%-16s %9d %8d %14.6g\n", fabric.blocks[static_cast<std::size_t>(b)].name.c_str(),
                g.degree[static_cast<std::size_t>(b)], g.uplinks[static_cast<std::size_t>(b)], gbps);
  }
  std::printf("top pairs by traffic (both directions):\n%-16s %-16s %14s %9s %8s\n", "block", "block", "gbps", "circuits", "direct");
  for (std::size_t k = 0; k < pairs.size() && k < o.top; ++k) {
    const PairLoad& p = pairs[k];
    std::printf("%-16s %-16s %14.6g %9d %7.1f%%\n", fabric.blocks[static_cast<std::size_t>(p.i)].name.c_str(),
                fabric.blocks[static_cast<std::size_t>(p.j)].name.c_str(), p.gbps, p.circuits, 100 * p.direct / p.gbps);
  }

  if (!o.json.empty()) {
    nlohmann::json blocks = nlohmann::json::array();
    for (int b = 0; b < g.blocks; ++b) {
      blocks.push_back({{"name", fabric.blocks[static_cast<std::size_t>(b)].name},
                        {"circuits", g.degree[static_cast<std::size_t>(b)]},
                        {"uplinks", g.uplinks[static_cast<std::size_t>(b)]}});
    }
    nlohmann::json top = nlohmann::json::array();
    for (std::size_t k = 0; k < pairs.size() && k < o.top; ++k) {
      top.push_back({{"blocks", {fabric.blocks[static_cast<std::size_t>(pairs[k].i)].name, fabric.blocks[static_cast<std::size_t>(pairs[k].j)].name}},
                     {"gbps", pairs[k].gbps}, {"circuits", pairs[k].circuits}, {"direct_gbps", pairs[k].direct}});
    }
    const nlohmann::json doc = {{"format", "lightpath.ocs-eval/1"},
                                {"fabric", fabric.name},
                                {"direct_fraction", m.direct_fraction},
                                {"hop_count", m.hop_count},
                                {"mlu", m.mlu ? nlohmann::json(*m.mlu) : nlohmann::json(nullptr)},
                                {"churn", o.against.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.churn)},
                                {"connected", g.connected},
                                {"diameter", g.diameter},
                                {"blocks", blocks},
                                {"top_pairs", top}};
    write_file_atomic(o.json, doc.dump(1) + "\n");
  }
  return 0;
}

}  // namespace

cli::Command eval_command() {
  return {"eval", "direct fraction, hop count, MLU and churn of an OCS configuration",
          [](CLI::App& sub) -> cli::Action {
            auto o = std::make_shared<EvalOptions>();
            sub.add_option("--fabric", o->fabric, "fabric file (lightpath.fabric/1)")->required();
            sub.add_option("--config", o->config, "configuration to measure (lightpath.ocs-config/1)")->required();
            sub.add_option("--traffic", o->traffic, "traffic file (lightpath.traffic/1 or CSV)")->required();
            sub.add_option("--against", o->against, "configuration to count churn against");
            sub.add_option("--top", o->top, "block pairs to list")->capture_default_str();
            sub.add_option("--json", o->json, "also write the figures as JSON");
            return [o] { return run_eval(*o); };
          }};
}

}  // namespace lp::ocs
