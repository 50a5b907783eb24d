// A tuning table (`lightpath allreduce --tune --out FILE` writes one, `--tuning FILE` reads
// it): which algorithm `auto` runs, per rank count, host count, data type, operation and
// size. Format `lightpath.allreduce-tuning/1`:
//
//   {"format": "lightpath.allreduce-tuning/1", "transport": "ucx",
//    "rules": [{"ranks": 2, "hosts": 1, "dtype": "f32", "op": "sum",
//               "max_size": 65536, "algo": "rd"}, ...]}
//
// A rule without hosts, dtype or op applies to any; where rules of several scopes match, only
// the most specific (most of hosts, dtype, op given) count. Of those, for a size, the rule
// with the smallest max_size at or above it wins; past every max_size, the largest one does.
#pragma once

#include "bench/allreduce/dtype.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace lp::bench::allreduce {

inline constexpr const char* kTuningFormat = "lightpath.allreduce-tuning/1";

struct TuningRule {
  int ranks = 1;
  std::optional<int> hosts;
  std::optional<Dtype> dtype;
  std::optional<Op> op;
  std::size_t max_size = 0;  // bytes per rank
  std::string algo;          // one of lightpath's own algorithms
};

struct TuningTable {
  std::string transport;  // what it was measured over (informational)
  std::vector<TuningRule> rules;
};

// Reads a table; every problem (with its JSON path) in one InputError naming `source`.
TuningTable parse_tuning_table(const std::string& text, const std::string& source);
TuningTable read_tuning_table(const std::string& path);
std::string to_json(const TuningTable& table);

// The algorithm for this point, or nullopt when no rule matches.
std::optional<std::string> lookup(const TuningTable& table, int ranks, int hosts, Dtype d, Op op,
                                  std::size_t bytes);

// `fresh`'s rules replace `old`'s for the same (ranks, hosts, dtype, op); others are kept.
TuningTable merge(const TuningTable& old, const TuningTable& fresh);

}  // namespace lp::bench::allreduce
