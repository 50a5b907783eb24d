// JSON as text a person can read and diff: an array whose elements are arrays or objects puts
// each element on its own line (a circuit, a stage, a matrix row), everything else stays
// inline; the outer object's keys come in `first` order, then the rest alphabetically.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::ocs {

std::string json_text(const nlohmann::json& doc, const std::vector<std::string>& first = {});

}  // namespace lp::ocs
