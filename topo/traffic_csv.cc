// The CSV edge list: "src,dst,bytes" lines after "# key=value" header lines.
#include "topo/traffic.h"

#include "core/error.h"
#include "topo/problems.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>

namespace lp::topo {
namespace {

std::string trim(const std::string& s) {
  const std::size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const std::size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(trim(item));
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

// A whole-string finite number, or nullopt.
std::optional<double> to_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9.007199254740992e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);  // shortest text that reads back exactly
}

struct Edge {
  std::string src, dst;
  double bytes = 0;
};

}  // namespace

TrafficMatrix parse_traffic_csv(const std::string& text, const std::string& source) {
  Problems p(source);
  std::optional<double> duration;
  std::string level = "host";
  std::vector<std::string> fixed_names;
  std::vector<std::string> hosts;
  std::vector<Edge> edges;
  std::istringstream in(text);
  std::string raw;
  for (std::size_t lineno = 1; std::getline(in, raw); ++lineno) {
    const std::string where = fmt::format("line {}", lineno);
    const std::string line = trim(raw);
    if (line.empty()) continue;
    if (line[0] == '#') {
      const std::string body = trim(line.substr(1));
      const std::size_t eq = body.find('=');
      if (eq == std::string::npos) continue;  // a plain comment
      const std::string key = trim(body.substr(0, eq));
      const std::string value = trim(body.substr(eq + 1));
      if (key == "duration_s") {
        duration = to_number(value);
        if (!duration || !std::isfinite(*duration) || *duration <= 0) {
          p.add(where, fmt::format("duration_s '{}' is not a positive finite number", value));
        }
      } else if (key == "level") {
        level = value;
        if (level != "rank" && level != "host" && level != "block") {
          p.add(where, fmt::format("unknown level '{}' (expected rank, host or block)", value));
        }
      } else if (key == "names") {
        fixed_names = split(value, ',');
      } else if (key == "hosts") {
        hosts = split(value, ',');
      }
      continue;
    }
    const std::vector<std::string> fields = split(line, ',');
    if (edges.empty() && fields.size() == 3 && fields[0] == "src" && fields[1] == "dst") continue;
    if (fields.size() != 3) {
      p.add(where, fmt::format("expected src,dst,bytes, got {} fields", fields.size()));
      continue;
    }
    if (fields[0].empty() || fields[1].empty()) {
      p.add(where, "empty name");
      continue;
    }
    const auto bytes = to_number(fields[2]);
    if (!bytes) {
      p.add(where, fmt::format("bytes '{}' is not a number", fields[2]));
    } else if (std::isnan(*bytes)) {
      p.add(where, "bytes is NaN");
    } else if (std::isinf(*bytes)) {
      p.add(where, "bytes is infinite");
    } else if (*bytes < 0) {
      p.add(where, fmt::format("bytes {} is negative", fields[2]));
    } else {
      edges.push_back({fields[0], fields[1], *bytes});
    }
  }
  if (!duration) p.add("", "missing the '# duration_s=SECONDS' header line");

  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < fixed_names.size(); ++i) {
    if (fixed_names[i].empty()) p.add("names", "empty name");
    if (!index.emplace(fixed_names[i], i).second) {
      p.add("names", fmt::format("duplicate name '{}'", fixed_names[i]));
    }
  }
  std::vector<std::string> names = fixed_names;
  for (const Edge& e : edges) {
    for (const std::string* n : {&e.src, &e.dst}) {
      if (index.count(*n)) continue;
      if (!fixed_names.empty()) {
        p.add("", fmt::format("name '{}' is not in the '# names=' header", *n));
      }
      index.emplace(*n, names.size());
      names.push_back(*n);
    }
  }
  if (!hosts.empty() && hosts.size() != names.size()) {
    p.add("hosts", fmt::format("has {} entries for {} names", hosts.size(), names.size()));
  }
  p.throw_if_any();

  TrafficMatrix m = TrafficMatrix::zeros(parse_level(level, source), *duration, std::move(names));
  m.hosts = std::move(hosts);
  for (const Edge& e : edges) m.at(index[e.src], index[e.dst]) += e.bytes;
  return m;
}

std::string to_csv(const TrafficMatrix& m) {
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
    return s;
  };
  std::string out = fmt::format("# lightpath.traffic/1 edge list\n# duration_s={}\n# level={}\n# names={}\n",
                                number_text(m.duration_s), to_string(m.level), join(m.names));
  if (!m.hosts.empty()) out += "# hosts=" + join(m.hosts) + "\n";
  out += "src,dst,bytes\n";
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (std::size_t j = 0; j < m.size(); ++j) {
      if (m.at(i, j) != 0) out += fmt::format("{},{},{}\n", m.names[i], m.names[j], number_text(m.at(i, j)));
    }
  }
  return out;
}

}  // namespace lp::topo
