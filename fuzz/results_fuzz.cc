// Result files as `compare` and `summary` read them: any records that parse must be judged
// without an escape other than lp::Error (a field of an unexpected type is bad input).
#include "bench/compare/compare.h"
#include "bench/common/metrics.h"
#include "bench/summary/summary.h"
#include "fuzz/fuzz_target.h"

LP_FUZZ_TARGET({
  const auto records = lp::bench::parse_results(input, "fuzz.jsonl");
  const auto clusters = lp::bench::summarize(records, lp::bench::Budgets{});
  lp::bench::format_summary(clusters, lp::bench::Budgets{});
  const auto r = lp::bench::compare_results(records, "a", records, "b", 0.05);
  if (r.regressions != 0) __builtin_trap();  // a run never regresses against itself
  lp::bench::format_comparison(r, 0.05);
  lp::bench::prometheus_text(records);
})
