// Headline figures in the Prometheus text exposition format (version 0.0.4), for
// node_exporter's textfile collector: one gauge family per figure, base units in the names
// (seconds, bytes per second), labels for what was measured (transport, algorithm, size, ...).
// Made from result records (DESIGN.md field names), so every benchmark gets it the same way.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::bench {

std::string prometheus_text(const std::vector<nlohmann::json>& records);

// A label value escaped as the format requires (backslash, double quote, newline).
std::string escape_label(const std::string& value);

}  // namespace lp::bench
