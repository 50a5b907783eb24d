// Run-to-run comparison of result records (JSON Lines, lightpath.result/1): records are matched
// by what was measured (benchmark, transport, ranks and the benchmark's own parameters), the
// headline figure of each is compared, and changes worse than a threshold are regressions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::bench {

// Reads a JSON Lines result file. Blank lines are skipped; anything else that is not a
// lightpath.result/1 object is an InputError naming FILE:LINE.
std::vector<nlohmann::json> read_results(const std::string& path);
// The same for text already read; `source` names it in messages.
std::vector<nlohmann::json> parse_results(const std::string& text, const std::string& source);

struct Headline {
  std::string metric;  // e.g. "latency_us.p50"
  double value = 0;
  bool higher_is_better = false;
};

// The figure a record is judged by: p2p lat -> latency_us.p50, p2p bw/bibw -> bandwidth_GBps,
// allreduce -> busbw_GBps (time_us.avg for size 0), rpc -> latency_us.p99, train ->
// step_comm_ms.avg. Throws InputError when the record lacks it.
Headline headline(const nlohmann::json& record, const std::string& source);

// What identifies a measured point across runs, as "benchmark transport ranks k=v ...".
std::string match_key(const nlohmann::json& record);

struct Comparison {
  std::string key;
  Headline base;
  Headline now;
  double change = 0;  // relative change, positive = better (e.g. +0.10: 10% better)
  bool regression = false;
};

struct CompareResult {
  std::vector<Comparison> matched;
  std::vector<std::string> only_base;  // keys with no partner in the new run
  std::vector<std::string> only_new;
  int regressions = 0;
};

// `threshold` is a fraction (0.05 for 5%). Where a file has several records with one key (a
// repeated run appended to the same file), the last one counts.
CompareResult compare_results(const std::vector<nlohmann::json>& base, const std::string& base_source,
                              const std::vector<nlohmann::json>& now, const std::string& now_source,
                              double threshold);

// The human report: one line per matched point, then the unmatched keys.
std::string format_comparison(const CompareResult& r, double threshold);

// Parses "5%" or "5": a threshold is always in percent. Returns a fraction (0.05).
double parse_threshold(const std::string& text);

}  // namespace lp::bench
