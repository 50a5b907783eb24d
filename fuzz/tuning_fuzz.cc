// Tuning tables for `lightpath allreduce --algo auto`: whatever parses must write back to a
// table that parses to the same rules, and look-ups must name one of its algorithms.
#include "bench/allreduce/tuning_table.h"
#include "fuzz/fuzz_target.h"

LP_FUZZ_TARGET({
  using namespace lp::bench::allreduce;
  const TuningTable t = parse_tuning_table(input, "fuzz.json");
  const TuningTable again = parse_tuning_table(to_json(t), "again.json");
  if (again.rules.size() != t.rules.size()) __builtin_trap();
  for (const TuningRule& r : t.rules) {
    const auto algo = lookup(t, r.ranks, r.hosts.value_or(1), r.dtype.value_or(Dtype::kF32),
                             r.op.value_or(Op::kSum), r.max_size);
    if (!algo) __builtin_trap();
    if (lookup(again, r.ranks, r.hosts.value_or(1), r.dtype.value_or(Dtype::kF32),
               r.op.value_or(Op::kSum), r.max_size) != algo) {
      __builtin_trap();
    }
  }
})
