// What one load level showed, merged over all ranks: rates, counts, percentiles and SLO
// verdicts; the result record (DESIGN.md, "rpc") and the human table.
//
// A request that timed out has no latency, only a lower bound, so it is neither dropped nor
// given a made-up value: it counts as a sample above every answered one. A percentile that
// falls among those is reported as a timeout (null in JSON), and an SLO bound on it fails.
#pragma once

#include "bench/rpc/config.h"
#include "bench/rpc/level.h"
#include "bench/rpc/results.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lp::bench::rpc {

// Percentile `q` (0..100) over the samples of `h` plus `missing` samples known to lie above
// all of them; nullopt when it falls among the missing ones.
std::optional<std::uint64_t> percentile_or_timeout(const Histogram& h, std::uint64_t missing,
                                                   double q);
// Whether fewer than 10 of `total` samples lie above percentile `q`.
bool few_samples(std::uint64_t total, double q);

struct SloVerdict {
  SloBound bound;
  std::optional<std::uint64_t> measured_ns;  // nullopt: among the timeouts
  bool pass = false;
};

struct LevelOutcome {
  LevelPlan plan;
  double window_s = 0;  // the measured interval
  std::unique_ptr<RankResults> merged;
  double offered_rps = 0;
  double sent_rps = 0;
  double achieved_rps = 0;
  std::vector<SloVerdict> verdicts;
  bool slo_pass = true;
  bool kept_up = true;  // achieved within 1% of offered
  bool ok() const { return slo_pass && kept_up; }
};

// Rates, verdicts and pass/fail from the merged results.
LevelOutcome summarize(const RpcConfig& config, const LevelPlan& plan,
                       std::unique_ptr<RankResults> merged);

// The record for one level: `base` (Context::record_base()) plus the rpc fields. `kv_method`
// is "put", "message" or "" (no KV cache).
nlohmann::json level_record(nlohmann::json base, const RpcConfig& config, const Roles& roles,
                            const LevelOutcome& level, const std::string& kv_method);

// The run's description, printed once above the levels.
std::string run_header(const RpcConfig& config, const Roles& roles, const std::string& transport,
                       const std::string& kv_method);
// One level's table.
std::string level_table(const RpcConfig& config, const LevelOutcome& level,
                        const std::string& kv_method);

}  // namespace lp::bench::rpc
