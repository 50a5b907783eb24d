#include "bench/allreduce/tuning_table.h"

#include "bench/allreduce/algorithm.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "topo/problems.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <tuple>

namespace lp::bench::allreduce {
namespace {

using topo::Problems;
using topo::json_path;

bool same_scope(const TuningRule& a, const TuningRule& b) {
  return a.ranks == b.ranks && a.hosts == b.hosts && a.dtype == b.dtype && a.op == b.op;
}

bool is_own_algorithm(const std::string& name) {
  for (const Algorithm& a : algorithms()) {
    if (a.name == name) return true;
  }
  return false;
}

std::optional<TuningRule> parse_rule(const nlohmann::json& item, const std::string& path,
                                     Problems& p) {
  if (!item.is_object()) {
    p.add(path, fmt::format("expected an object, got {}", topo::json_type_name(item)));
    return std::nullopt;
  }
  const std::size_t before = p.count();
  TuningRule rule;
  if (const auto* v = topo::get_field(item, "ranks", path, p)) {
    if (auto r = topo::as_int(*v, json_path(path, "ranks"), 1, std::numeric_limits<int>::max(), p)) {
      rule.ranks = static_cast<int>(*r);
    }
  }
  if (const auto it = item.find("hosts"); it != item.end()) {
    if (auto h = topo::as_int(*it, json_path(path, "hosts"), 1, std::numeric_limits<int>::max(), p)) {
      rule.hosts = static_cast<int>(*h);
      if (*rule.hosts > rule.ranks) p.add(json_path(path, "hosts"), "more hosts than ranks");
    }
  }
  if (const auto* v = topo::get_field(item, "max_size", path, p)) {
    if (auto m = topo::as_int(*v, json_path(path, "max_size"), 0,
                              std::numeric_limits<std::int64_t>::max(), p)) {
      rule.max_size = static_cast<std::size_t>(*m);
    }
  }
  if (auto algo = topo::get_string(item, "algo", path, p)) {
    if (is_own_algorithm(*algo)) {
      rule.algo = *algo;
    } else {
      std::string choices;
      for (const Algorithm& a : algorithms()) choices += (choices.empty() ? "" : ", ") + std::string(a.name);
      p.add(json_path(path, "algo"), fmt::format("'{}' is not one of lightpath's algorithms ({})",
                                                 *algo, choices));
    }
  }
  auto optional_name = [&](const char* key, auto parse) {
    const auto it = item.find(key);
    if (it == item.end()) return;
    const std::string field = json_path(path, key);
    if (auto text = topo::as_string(*it, field, p)) {
      try {
        parse(*text, field);
      } catch (const InputError&) {
        p.add(field, fmt::format("unknown name '{}'", *text));
      }
    }
  };
  optional_name("dtype", [&](const std::string& t, const std::string& f) { rule.dtype = parse_dtype(t, f); });
  optional_name("op", [&](const std::string& t, const std::string& f) { rule.op = parse_op(t, f); });
  if (rule.dtype && rule.op && !supports(*rule.dtype, *rule.op)) {
    p.add(path, fmt::format("operation {} is not defined on {}", name(*rule.op), name(*rule.dtype)));
  }
  if (p.count() != before) return std::nullopt;
  return rule;
}

}  // namespace

TuningTable parse_tuning_table(const std::string& text, const std::string& source) {
  const nlohmann::json doc = topo::parse_json(text, source);
  Problems p(source);
  TuningTable table;
  if (!topo::check_format(doc, kTuningFormat, p)) p.throw_if_any();
  if (const auto it = doc.find("transport"); it != doc.end()) {
    if (auto t = topo::as_string(*it, "transport", p)) table.transport = *t;
  }
  if (const nlohmann::json* rules = topo::get_array(doc, "rules", "", p)) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const std::string path = json_path("rules", i);
      auto rule = parse_rule((*rules)[i], path, p);
      if (!rule) continue;
      for (const TuningRule& r : table.rules) {
        if (same_scope(r, *rule) && r.max_size == rule->max_size) {
          p.add(path, fmt::format("repeats the rule for max_size {} of the same ranks, hosts, "
                                  "dtype and op",
                                  rule->max_size));
          break;
        }
      }
      table.rules.push_back(std::move(*rule));
    }
  }
  p.throw_if_any();
  return table;
}

TuningTable read_tuning_table(const std::string& path) {
  return parse_tuning_table(read_file(path), path);
}

std::string to_json(const TuningTable& table) {
  nlohmann::json rules = nlohmann::json::array();
  for (const TuningRule& r : table.rules) {
    nlohmann::json j = {{"ranks", r.ranks}};
    if (r.hosts) j["hosts"] = *r.hosts;
    if (r.dtype) j["dtype"] = std::string(name(*r.dtype));
    if (r.op) j["op"] = std::string(name(*r.op));
    j["max_size"] = r.max_size;
    j["algo"] = r.algo;
    rules.push_back(std::move(j));
  }
  nlohmann::json doc = {{"format", kTuningFormat}, {"transport", table.transport}, {"rules", rules}};
  return doc.dump(1) + "\n";
}

std::optional<std::string> lookup(const TuningTable& table, int ranks, int hosts, Dtype d, Op op,
                                  std::size_t bytes) {
  auto matches = [&](const TuningRule& r) {
    return r.ranks == ranks && (!r.hosts || *r.hosts == hosts) && (!r.dtype || *r.dtype == d) &&
           (!r.op || *r.op == op);
  };
  auto specificity = [](const TuningRule& r) {
    return (r.hosts ? 1 : 0) + (r.dtype ? 1 : 0) + (r.op ? 1 : 0);
  };
  int most = -1;
  for (const TuningRule& r : table.rules) {
    if (matches(r)) most = std::max(most, specificity(r));
  }
  const TuningRule* fit = nullptr;      // smallest max_size >= bytes
  const TuningRule* largest = nullptr;  // largest max_size
  for (const TuningRule& r : table.rules) {
    if (!matches(r) || specificity(r) != most) continue;
    if (r.max_size >= bytes && (fit == nullptr || r.max_size < fit->max_size)) fit = &r;
    if (largest == nullptr || r.max_size > largest->max_size) largest = &r;
  }
  if (fit != nullptr) return fit->algo;
  if (largest != nullptr) return largest->algo;
  return std::nullopt;
}

TuningTable merge(const TuningTable& old, const TuningTable& fresh) {
  TuningTable out;
  out.transport = fresh.transport;
  for (const TuningRule& r : old.rules) {
    const bool replaced = std::any_of(fresh.rules.begin(), fresh.rules.end(),
                                      [&](const TuningRule& f) { return same_scope(r, f); });
    if (!replaced) out.rules.push_back(r);
  }
  out.rules.insert(out.rules.end(), fresh.rules.begin(), fresh.rules.end());
  std::stable_sort(out.rules.begin(), out.rules.end(), [](const TuningRule& a, const TuningRule& b) {
    return std::tie(a.ranks, a.max_size) < std::tie(b.ranks, b.max_size);
  });
  return out;
}

}  // namespace lp::bench::allreduce
