#include "bench/summary/slo.h"

#include "core/atomic_file.h"
#include "topo/problems.h"

#include <fmt/format.h>

namespace lp::bench {

Budgets parse_budgets(const std::string& text, const std::string& source) {
  const nlohmann::json doc = topo::parse_json(text, source);
  topo::Problems p(source);
  Budgets b;
  if (!doc.is_object()) {
    p.add("", "expected a JSON object");
    p.throw_if_any();
  }
  topo::check_format(doc, "lightpath.slo/1", p);
  auto number = [&](const char* key, double lo, double hi, double& out) {
    if (!doc.contains(key)) return;
    if (auto v = topo::as_number(doc[key], key, lo, hi, p)) out = *v;
  };
  number("pair_p99_us", 1e-3, 1e9, b.pair_p99_us);
  number("pair_coverage", 0, 1, b.pair_coverage);
  number("rpc_p99_us", 1e-3, 1e9, b.rpc_p99_us);
  number("small_allreduce_p99_us", 1e-3, 1e9, b.small_allreduce_p99_us);
  double small = static_cast<double>(b.small_allreduce_bytes);
  number("small_allreduce_bytes", 1, 1e12, small);
  b.small_allreduce_bytes = static_cast<std::size_t>(small);
  if (doc.contains("bucket_ms")) {
    double ms = 0;
    number("bucket_ms", 1e-6, 1e9, ms);
    b.bucket_ms = ms;
  }
  if (doc.contains("buckets")) {
    if (const nlohmann::json* list = topo::get_array(doc, "buckets", "", p)) {
      b.buckets.clear();
      for (std::size_t i = 0; i < list->size(); ++i) {
        if (auto v = topo::as_int((*list)[i], topo::json_path("buckets", i), 1, std::int64_t{1} << 40, p)) {
          b.buckets.push_back(static_cast<std::size_t>(*v));
        }
      }
    }
  }
  for (const auto& [key, value] : doc.items()) {
    static const char* kKnown[] = {"format", "pair_p99_us", "pair_coverage", "rpc_p99_us",
                                   "small_allreduce_p99_us", "small_allreduce_bytes", "buckets", "bucket_ms"};
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      p.add(key, "unknown budget (misspelled?)");
    }
  }
  p.throw_if_any();
  return b;
}

Budgets load_budgets(const std::string& path) { return parse_budgets(read_file(path), path); }

}  // namespace lp::bench
