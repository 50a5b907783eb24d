// The budgets `lightpath summary` judges a cluster against. Defaults follow the millisecond
// computing targets: 1 ms between any two hosts inside a center (the latency circle), 10 ms from
// a terminal to a server for a request. A file (lightpath.slo/1, docs/formats.md) overrides them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace lp::bench {

struct Budgets {
  double pair_p99_us = 1000;      // every host pair's p99 one-way latency
  double pair_coverage = 1.0;     // share of host pairs that must be within it
  double rpc_p99_us = 10000;      // request latency p99, from intended send time
  double small_allreduce_p99_us = 1000;  // all-reduce of at most small_allreduce_bytes
  std::size_t small_allreduce_bytes = 64 * 1024;
  std::vector<std::size_t> buckets = {std::size_t{1} << 20, std::size_t{25} << 20};  // gradient buckets
  std::optional<double> bucket_ms;  // budget for a bucket's all-reduce, when one is set
};

// Reads a lightpath.slo/1 file; every problem is reported at once (InputError naming the file).
Budgets load_budgets(const std::string& path);
Budgets parse_budgets(const std::string& text, const std::string& source);

}  // namespace lp::bench
