#include "ocs/plan_input.h"

#include "core/error.h"

namespace lp::ocs {

PlanInput make_plan_input(const topo::Fabric& fabric, topo::TrafficMatrix block_level,
                          std::optional<topo::OcsConfig> current, const PlanSettings& settings,
                          std::string fabric_source) {
  LP_ENFORCE_EQ(block_level.size(), fabric.blocks.size(), "block-level traffic for fabric '{}'", fabric.name);
  PlanInput in;
  in.fabric = &fabric;
  in.fabric_source = std::move(fabric_source);
  in.demand = demand_of(block_level);
  in.traffic = std::move(block_level);
  in.has_current = current.has_value();
  if (current) in.current = std::move(*current);
  in.settings = settings;
  in.ports = port_model(fabric);
  in.pairs = PairIndex(in.ports.blocks);
  in.current_counts = circuit_counts(in.current, in.ports, in.pairs);
  in.base_degree.assign(fabric.blocks.size(), 0);
  for (const auto& per_ocs : in.current_counts) {
    for (int p = 0; p < in.pairs.count(); ++p) {
      const int c = per_ocs[static_cast<std::size_t>(p)];
      in.base_degree[static_cast<std::size_t>(in.pairs.first(p))] += c;
      in.base_degree[static_cast<std::size_t>(in.pairs.second(p))] += c;
    }
  }
  return in;
}

}  // namespace lp::ocs
