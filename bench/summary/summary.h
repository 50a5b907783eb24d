// `lightpath summary`: one page per cluster saying where it stands against millisecond budgets:
// the latency circle (the share of host pairs whose p99 is within budget), request latency at
// p99 and up to which load it holds, all-reduce time for small messages and typical gradient
// buckets, and the slowest pairs. Each verdict is pass, fail, info (nothing to judge against) or
// no data. Records whose hosts overlap belong to one cluster.
#pragma once

#include "bench/summary/slo.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::bench {

struct Verdict {
  std::string check;   // "latency circle", "request latency", ...
  std::string status;  // "pass", "fail", "info", "no data"
  std::string detail;
};

struct ClusterSummary {
  std::vector<std::string> hosts;
  std::size_t records = 0;
  std::vector<Verdict> verdicts;
  std::vector<std::string> slowest_pairs;  // "a - b: p99 X us (p50 Y us)", slowest first
};

std::vector<ClusterSummary> summarize(const std::vector<nlohmann::json>& records, const Budgets& budgets);

bool any_failed(const std::vector<ClusterSummary>& clusters);
std::string format_summary(const std::vector<ClusterSummary>& clusters, const Budgets& budgets);
nlohmann::json to_json(const std::vector<ClusterSummary>& clusters);

}  // namespace lp::bench
