#include "bench/compare/compare.h"

#include "bench/common/record_check.h"
#include "core/atomic_file.h"
#include "core/error.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>

namespace lp::bench {
namespace {

// The parameters that identify a point, per benchmark (beyond benchmark, transport, ranks).
const std::map<std::string, std::vector<std::string>>& key_fields() {
  static const std::map<std::string, std::vector<std::string>> kFields = {
      {"p2p", {"mode", "size", "pairs"}},
      {"allreduce", {"algo", "dtype", "op", "size", "in_place"}},
      {"rpc", {"req", "resp", "arrival", "offered_rps", "servers", "stream"}},
      {"train", {"model", "bucket", "algo"}},
  };
  return kFields;
}

std::optional<double> number_at(const nlohmann::json& r, const std::string& dotted) {
  const nlohmann::json* node = &r;
  std::size_t pos = 0;
  while (pos <= dotted.size()) {
    const std::size_t dot = std::min(dotted.find('.', pos), dotted.size());
    const std::string part = dotted.substr(pos, dot - pos);
    if (!node->is_object() || !node->contains(part)) return std::nullopt;
    node = &(*node)[part];
    pos = dot + 1;
  }
  if (!node->is_number()) return std::nullopt;
  const double v = node->get<double>();
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::string value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:g}", v.get<double>());
  return v.dump();
}

}  // namespace

std::vector<nlohmann::json> read_results(const std::string& path) {
  return parse_results(read_file(path), path);
}

std::vector<nlohmann::json> parse_results(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  std::vector<nlohmann::json> out;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = fmt::format("{}:{}", path, lineno);
    nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
    if (r.is_discarded() || !r.is_object()) throw input_error(where, "not a JSON object");
    if (!r.contains("format") || !r["format"].is_string() || r["format"] != "lightpath.result/1") {
      throw input_error(where, fmt::format("format is '{}', expected 'lightpath.result/1'",
                                           r.contains("format") ? value_text(r["format"]) : ""));
    }
    if (!r.contains("benchmark") || !r["benchmark"].is_string()) {
      throw input_error(where, "no 'benchmark' field");
    }
    check_record(r, where);
    out.push_back(std::move(r));
  }
  return out;
}

Headline headline(const nlohmann::json& r, const std::string& source) {
  const std::string bench = r.value("benchmark", "");
  Headline h;
  if (bench == "p2p") {
    if (r.value("mode", "lat") == "lat") {
      h.metric = "latency_us.p50";
    } else {
      h.metric = "bandwidth_GBps";
      h.higher_is_better = true;
    }
  } else if (bench == "allreduce") {
    if (r.value("size", 0) > 0) {
      h.metric = "busbw_GBps";
      h.higher_is_better = true;
    } else {
      h.metric = "time_us.avg";
    }
  } else if (bench == "rpc") {
    h.metric = "latency_us.p99";
  } else if (bench == "train") {
    h.metric = "step_comm_ms.avg";
  } else {
    throw input_error(source, fmt::format("unknown benchmark '{}'", bench));
  }
  const auto v = number_at(r, h.metric);
  if (!v) throw input_error(source, fmt::format("a {} record has no number at '{}'", bench, h.metric));
  h.value = *v;
  return h;
}

std::string match_key(const nlohmann::json& r) {
  const std::string bench = r.value("benchmark", "");
  std::string key = fmt::format("{} {} ranks={}", bench, r.value("transport", "?"),
                                r.contains("ranks") ? value_text(r["ranks"]) : "?");
  if (const auto it = key_fields().find(bench); it != key_fields().end()) {
    for (const std::string& f : it->second) {
      if (r.contains(f)) key += fmt::format(" {}={}", f, value_text(r[f]));
    }
  }
  return key;
}

CompareResult compare_results(const std::vector<nlohmann::json>& base, const std::string& base_source,
                              const std::vector<nlohmann::json>& now, const std::string& now_source,
                              double threshold) {
  auto index = [](const std::vector<nlohmann::json>& records, const std::string& source) {
    std::map<std::string, Headline> out;
    for (const auto& r : records) out[match_key(r)] = headline(r, source);
    return out;
  };
  const auto b = index(base, base_source);
  const auto n = index(now, now_source);
  CompareResult res;
  for (const auto& [key, hb] : b) {
    const auto it = n.find(key);
    if (it == n.end()) {
      res.only_base.push_back(key);
      continue;
    }
    Comparison c{key, hb, it->second, 0, false};
    if (hb.value > 0 && c.now.value > 0) {
      c.change = hb.higher_is_better ? c.now.value / hb.value - 1 : hb.value / c.now.value - 1;
    } else if (hb.value != c.now.value) {
      c.change = ((c.now.value > hb.value) == hb.higher_is_better) ? 1 : -1;
    }
    c.regression = c.change < -threshold;
    res.regressions += c.regression ? 1 : 0;
    res.matched.push_back(c);
  }
  for (const auto& [key, h] : n) {
    if (!b.count(key)) res.only_new.push_back(key);
  }
  return res;
}

std::string format_comparison(const CompareResult& r, double threshold) {
  std::string out = fmt::format("{:<64} {:>16} {:>12} {:>12} {:>8}  {}\n", "point", "metric", "base",
                                "new", "change", "verdict");
  for (const Comparison& c : r.matched) {
    out += fmt::format("{:<64} {:>16} {:>12.4g} {:>12.4g} {:>+7.1f}%  {}\n", c.key, c.base.metric,
                       c.base.value, c.now.value, 100 * c.change,
                       c.regression ? "REGRESSION" : (c.change > threshold ? "better" : "same"));
  }
  for (const auto& k : r.only_base) out += fmt::format("only in base: {}\n", k);
  for (const auto& k : r.only_new) out += fmt::format("only in new:  {}\n", k);
  out += fmt::format("{} matched, {} regression(s) beyond {:g}%, {} only in base, {} only in new\n",
                     r.matched.size(), r.regressions, 100 * threshold, r.only_base.size(),
                     r.only_new.size());
  return out;
}

double parse_threshold(const std::string& text) {
  std::string s = text;
  if (!s.empty() && s.back() == '%') s.pop_back();
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0 || v > 1000) {
    throw input_error("--threshold", fmt::format("'{}' is not a percentage such as 5%", text));
  }
  return v / 100;
}

}  // namespace lp::bench
