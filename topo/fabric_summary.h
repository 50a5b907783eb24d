// `lightpath topo fabric`: what a fabric file describes and, with a configuration, the block
// graph its circuits make (circuits per block pair, degrees, connectivity, diameter).
#pragma once

#include "topo/fabric.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace lp::topo {

std::string format_fabric_summary(const Fabric& fabric, const std::optional<OcsConfig>& config);
nlohmann::json fabric_summary_json(const Fabric& fabric, const std::optional<OcsConfig>& config);

}  // namespace lp::topo
