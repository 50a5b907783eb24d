#include "bench/common/record_check.h"

#include "core/error.h"

#include <fmt/format.h>

#include <map>
#include <vector>

namespace lp::bench {
namespace {

using Json = nlohmann::json;

enum class Kind {
  kString,
  kCount,       // a non-negative integer
  kNumber,
  kBool,
  kStrings,     // an array of strings
  kFigures,     // an object of numbers (null where a figure is missing, e.g. a timeout)
  kStringsOrNull,
  kPerPair,     // p2p per_pair entries
};

struct Field {
  const char* name;
  Kind kind;
};

const std::vector<Field> kCommon = {
    {"format", Kind::kString},  {"benchmark", Kind::kString}, {"transport", Kind::kString},
    {"ranks", Kind::kCount},    {"hosts", Kind::kStrings},    {"version", Kind::kString},
    {"git", Kind::kString},     {"command", Kind::kString},   {"started", Kind::kString},
};

const std::map<std::string, std::vector<Field>>& per_benchmark() {
  static const std::map<std::string, std::vector<Field>> kFields = {
      {"p2p",
       {{"mode", Kind::kString}, {"size", Kind::kCount}, {"pairs", Kind::kCount},
        {"latency_us", Kind::kFigures}, {"bandwidth_GBps", Kind::kNumber}, {"msg_rate", Kind::kNumber},
        {"pair_schedule", Kind::kString}, {"per_pair", Kind::kPerPair}}},
      {"allreduce",
       {{"algo", Kind::kString}, {"algo_used", Kind::kString}, {"dtype", Kind::kString},
        {"op", Kind::kString}, {"size", Kind::kCount}, {"in_place", Kind::kBool},
        {"time_us", Kind::kFigures}, {"algbw_GBps", Kind::kNumber}, {"busbw_GBps", Kind::kNumber},
        {"check", Kind::kString}}},
      {"train",
       {{"model", Kind::kString}, {"buckets", Kind::kCount}, {"bytes", Kind::kNumber},
        {"step_comm_ms", Kind::kFigures}, {"exposed_ms", Kind::kNumber}}},
      {"rpc",
       {{"req", Kind::kCount}, {"resp", Kind::kCount}, {"arrival", Kind::kString},
        {"offered_rps", Kind::kNumber}, {"achieved_rps", Kind::kNumber}, {"count", Kind::kCount},
        {"timeouts", Kind::kCount}, {"latency_us", Kind::kFigures},
        {"service_latency_us", Kind::kFigures}, {"ttft_us", Kind::kFigures}, {"itl_us", Kind::kFigures}}},
  };
  return kFields;
}

const char* expected(Kind k) {
  switch (k) {
    case Kind::kString: return "a string";
    case Kind::kCount: return "a non-negative integer";
    case Kind::kNumber: return "a number";
    case Kind::kBool: return "true or false";
    case Kind::kStrings: return "an array of strings";
    case Kind::kFigures: return "an object of numbers";
    case Kind::kStringsOrNull: return "an array of strings";
    case Kind::kPerPair: return "an array of {ranks: [a, b], hosts: [A, B], latency_us: {...}}";
  }
  return "?";
}

bool strings(const Json& v, std::size_t n = 0) {
  if (!v.is_array() || (n != 0 && v.size() != n)) return false;
  for (const Json& x : v) {
    if (!x.is_string()) return false;
  }
  return true;
}

bool figures(const Json& v) {
  if (!v.is_object()) return false;
  for (const auto& [k, x] : v.items()) {
    if (!x.is_number() && !x.is_null()) return false;
  }
  return true;
}

bool per_pair(const Json& v) {
  if (!v.is_array()) return false;
  for (const Json& p : v) {
    if (!p.is_object() || !p.contains("ranks") || !p["ranks"].is_array() || p["ranks"].size() != 2 ||
        !p["ranks"][0].is_number_integer() || !p["ranks"][1].is_number_integer()) {
      return false;
    }
    if (p.contains("hosts") && !strings(p["hosts"], 2)) return false;
    if (p.contains("latency_us") && !figures(p["latency_us"])) return false;
  }
  return true;
}

bool fits(const Json& v, Kind k) {
  switch (k) {
    case Kind::kString: return v.is_string();
    case Kind::kCount: return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
    case Kind::kNumber: return v.is_number();
    case Kind::kBool: return v.is_boolean();
    case Kind::kStrings: return strings(v);
    case Kind::kFigures: return figures(v);
    case Kind::kStringsOrNull: return v.is_null() || strings(v);
    case Kind::kPerPair: return per_pair(v);
  }
  return false;
}

void check_fields(const Json& r, const std::vector<Field>& fields, const std::string& where) {
  for (const Field& f : fields) {
    if (!r.contains(f.name) || fits(r[f.name], f.kind)) continue;
    std::string found = r[f.name].dump();
    if (found.size() > 40) found = found.substr(0, 37) + "...";
    throw input_error(where, fmt::format("{}: expected {}, found {}", f.name, expected(f.kind), found));
  }
}

}  // namespace

void check_record(const Json& r, const std::string& where) {
  if (!r.is_object()) throw input_error(where, "not a JSON object");
  check_fields(r, kCommon, where);
  if (!r.contains("benchmark")) return;
  const auto it = per_benchmark().find(r["benchmark"].get<std::string>());
  if (it != per_benchmark().end()) check_fields(r, it->second, where);
}

}  // namespace lp::bench
