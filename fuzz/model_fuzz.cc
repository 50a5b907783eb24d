// Model files for `lightpath train`, then DDP bucketing of whatever they accept (without
// allocating: bucketing only adds sizes).
#include "bench/train/buckets.h"
#include "bench/train/model.h"
#include "fuzz/fuzz_target.h"

LP_FUZZ_TARGET({
  const lp::bench::train::Model m = lp::bench::train::parse_model(input, "fuzz.json");
  if (m.tensors.empty()) __builtin_trap();
  const auto buckets = lp::bench::train::ddp_buckets(m, 25 << 20, 1 << 20);
  std::size_t tensors = 0;
  std::size_t bytes = 0;
  for (const auto& b : buckets) {
    tensors += b.tensors.size();
    bytes += b.bytes;
  }
  if (tensors != m.tensors.size() || bytes != m.bytes()) __builtin_trap();  // every tensor once
})
