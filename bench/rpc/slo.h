// Latency budgets: "--slo p99=1ms,p999=5ms". Each bound names a percentile (p50, p90, p99,
// p999 = 99.9, p9999 = 99.99, p99.5 written with its point, or max) and the latency it must
// not exceed. Verdicts are taken on latency from the intended send time.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace lp::bench::rpc {

struct SloBound {
  std::string name;   // as written: "p99", "p999", "max"
  double percentile;  // 0 < percentile <= 100
  std::chrono::nanoseconds limit;
};

// Throws InputError naming `flag` for an empty spec, an unknown percentile, a repeated one,
// or a limit that is not a positive duration.
std::vector<SloBound> parse_slo(std::string_view text, std::string_view flag);

// The canonical text form, for fingerprints ("p99=1000000ns,max=5000000ns").
std::string slo_text(const std::vector<SloBound>& bounds);

}  // namespace lp::bench::rpc
