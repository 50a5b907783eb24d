// lightpath.traffic/1 JSON: reading with every problem reported at once, and writing.
#include "topo/traffic.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/utf8.h"
#include "topo/problems.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <numeric>
#include <optional>

namespace lp::topo {
namespace {

// Longest interval a matrix may cover (about 30 years): catches a duration in the wrong unit.
constexpr double kMaxDurationS = 1e9;
// Largest entry: 2^63 bytes, beyond any counter.
constexpr double kMaxBytes = 9.2e18;

std::vector<std::string> read_names(const nlohmann::json& doc, std::string_view key, Problems& p) {
  std::vector<std::string> out;
  const nlohmann::json* list = get_array(doc, key, "", p);
  if (list == nullptr) return out;
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = json_path(std::string(key), i);
    auto name = as_string((*list)[i], path, p);
    if (!name) {
      out.emplace_back();  // keeps the positions of the others
      continue;
    }
    if (key == "names") {
      auto [it, fresh] = seen.emplace(*name, i);
      if (!fresh) p.add(path, fmt::format("duplicate name '{}' (also names[{}])", *name, it->second));
    }
    out.push_back(*name);
  }
  return out;
}

std::optional<TrafficLevel> level_from(const std::string& text) {
  if (text == "rank") return TrafficLevel::kRank;
  if (text == "host") return TrafficLevel::kHost;
  if (text == "block") return TrafficLevel::kBlock;
  return std::nullopt;
}

nlohmann::json bytes_value(double v) {
  if (v == std::floor(v) && v < 9.007199254740992e15) return static_cast<std::uint64_t>(v);
  return v;
}

}  // namespace

double TrafficMatrix::total() const { return std::accumulate(bytes.begin(), bytes.end(), 0.0); }

TrafficMatrix TrafficMatrix::zeros(TrafficLevel level, double duration_s, std::vector<std::string> names) {
  TrafficMatrix m;
  m.level = level;
  m.duration_s = duration_s;
  m.names = std::move(names);
  m.bytes.assign(m.names.size() * m.names.size(), 0.0);
  return m;
}

std::string to_string(TrafficLevel level) {
  switch (level) {
    case TrafficLevel::kRank: return "rank";
    case TrafficLevel::kHost: return "host";
    case TrafficLevel::kBlock: return "block";
  }
  return "unknown";
}

TrafficLevel parse_level(const std::string& text, const std::string& source) {
  if (auto level = level_from(text)) return *level;
  throw input_error(source, fmt::format("unknown level '{}' (expected rank, host or block)", text));
}

TrafficMatrix parse_traffic(const std::string& text, const std::string& source) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw input_error(source, "empty file");
  if (text[first] != '{') {
    if (!is_valid_utf8(text)) throw input_error(source, "not UTF-8 text");
    return parse_traffic_csv(text, source);
  }

  const nlohmann::json doc = parse_json(text, source);
  Problems p(source);
  if (!check_format(doc, "lightpath.traffic/1", p)) p.throw_if_any();
  TrafficMatrix m;
  if (auto level = get_string(doc, "level", "", p)) {
    if (auto known = level_from(*level)) {
      m.level = *known;
    } else {
      p.add("level", fmt::format("unknown level '{}' (expected rank, host or block)", *level));
    }
  }
  if (doc.contains("unit")) {
    const auto unit = as_string(doc["unit"], "unit", p);
    if (unit && *unit != "bytes") p.add("unit", fmt::format("unknown unit '{}' (expected \"bytes\")", *unit));
  }
  if (const nlohmann::json* v = get_field(doc, "duration_s", "", p)) {
    if (auto d = as_number(*v, "duration_s", 0, kMaxDurationS, p)) {
      if (*d <= 0) p.add("duration_s", "must be positive");
      m.duration_s = *d;
    }
  }
  m.names = read_names(doc, "names", p);
  const std::size_t n = m.names.size();
  if (doc.contains("hosts")) {
    m.hosts = read_names(doc, "hosts", p);
    if (m.hosts.size() != n) p.add("hosts", fmt::format("has {} entries for {} names", m.hosts.size(), n));
  }
  if (doc.contains("source")) m.source = doc["source"];
  m.bytes.assign(n * n, 0.0);
  if (const nlohmann::json* rows = get_array(doc, "matrix", "", p)) {
    if (rows->size() != n) p.add("matrix", fmt::format("has {} rows for {} names", rows->size(), n));
    for (std::size_t i = 0; i < std::min(rows->size(), n); ++i) {
      const std::string rpath = json_path("matrix", i);
      const nlohmann::json& row = (*rows)[i];
      if (!row.is_array()) {
        p.add(rpath, fmt::format("expected an array, got {}", json_type_name(row)));
        continue;
      }
      if (row.size() != n) {
        p.add(rpath, fmt::format("has {} columns for {} names", row.size(), n));
        continue;
      }
      for (std::size_t j = 0; j < n; ++j) {
        if (auto v = as_number(row[j], json_path(rpath, j), 0, kMaxBytes, p)) m.at(i, j) = *v;
      }
    }
  }
  p.throw_if_any();
  return m;
}

TrafficMatrix load_traffic(const std::string& path) { return parse_traffic(read_file(path), path); }

nlohmann::json to_json(const TrafficMatrix& m) {
  nlohmann::json matrix = nlohmann::json::array();
  for (std::size_t i = 0; i < m.size(); ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (std::size_t j = 0; j < m.size(); ++j) row.push_back(bytes_value(m.at(i, j)));
    matrix.push_back(std::move(row));
  }
  nlohmann::json doc = {{"format", "lightpath.traffic/1"},
                        {"level", to_string(m.level)},
                        {"unit", "bytes"},
                        {"duration_s", m.duration_s},
                        {"names", m.names}};
  if (!m.hosts.empty()) doc["hosts"] = m.hosts;
  doc["matrix"] = std::move(matrix);
  if (!m.source.is_null()) doc["source"] = m.source;
  return doc;
}

void save_traffic(const TrafficMatrix& m, const std::string& path) {
  const bool csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  if (csv) {
    write_file_atomic(path, to_csv(m));
    return;
  }
  // One matrix row per line: readable in a terminal, still plain JSON, keys in the order of
  // DESIGN.md rather than nlohmann's alphabetical one.
  const nlohmann::json doc = to_json(m);
  std::string text = "{";
  bool first = true;
  for (const std::string_view key : {"format", "level", "unit", "duration_s", "names", "hosts", "matrix", "source"}) {
    if (!doc.contains(std::string(key))) continue;
    const nlohmann::json& value = doc[std::string(key)];
    text += first ? "\n " : ",\n ";
    first = false;
    text += nlohmann::json(key).dump() + ": ";
    if (key == "matrix") {
      text += "[";
      for (std::size_t i = 0; i < value.size(); ++i) text += (i ? ",\n  " : "\n  ") + value[i].dump();
      text += "\n ]";
    } else {
      text += value.dump();
    }
  }
  text += "\n}\n";
  write_file_atomic(path, text);
}

}  // namespace lp::topo
