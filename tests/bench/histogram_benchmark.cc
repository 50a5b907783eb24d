// What recording one latency costs (Google Benchmark). The values are drawn beforehand from a
// long-tailed distribution spanning 100 ns to 100 ms, so the bucket index differs from one
// record to the next as it does in a run.
#include "bench/common/histogram.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

namespace {

std::vector<std::uint64_t> latencies() {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> d(std::log(20e3), 1.5);
  std::vector<std::uint64_t> v(1 << 16);
  for (auto& x : v) x = static_cast<std::uint64_t>(std::clamp(d(rng), 100.0, 100e6));
  return v;
}

void BM_HistogramRecord(benchmark::State& state) {
  const std::vector<std::uint64_t> values = latencies();
  lp::bench::Histogram h;
  std::size_t i = 0;
  for (auto _ : state) {
    h.record(values[i]);
    i = (i + 1) & (values.size() - 1);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord);

}  // namespace

BENCHMARK_MAIN();
