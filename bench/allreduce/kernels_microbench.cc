// Google Benchmark of the reduction kernels next to memcpy on the same buffers: memcpy(dst,
// src, n) against dst = dst OP src (the accumulation an all-reduce does on arrival), for every
// instruction set this CPU runs. Both report bytes per second as n / time (the bytes of one
// vector), so the ratio says what a reduction costs over a copy. For the f32 sum, also the
// final step of a two-rank ring past the caches: a + b into two outputs, by the streaming
// two-output kernel ("two/") against the sum into one output and a copy into the other
// ("sum_then_copy/").
//
//   build/bench/lp_reduce_bench --benchmark_filter='memcpy|reduce/avx512/f32/sum'
//   build/bench/lp_reduce_bench --benchmark_filter='(two|sum_then_copy)/avx512/f32/sum/67108864'
#include "bench/allreduce/kernels.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace lp::bench::allreduce {
namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<unsigned char, FreeDeleter>;

// Page-aligned and touched, so the timed loop sees no page faults.
Buffer make_buffer(std::size_t bytes, unsigned char fill) {
  void* p = std::aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, fill, bytes);
  return Buffer(static_cast<unsigned char*>(p));
}

// Sizes from in-cache to well past the last-level cache.
void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t s : {4 << 10, 64 << 10, 1 << 20, 8 << 20, 16 << 20, 32 << 20, 64 << 20}) b->Arg(s);
}

void bm_memcpy(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Buffer src = make_buffer(n, 1);
  const Buffer dst = make_buffer(n, 0);
  for (auto _ : state) {
    std::memcpy(dst.get(), src.get(), n);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void bm_reduce(benchmark::State& state, ReduceFn fn, std::size_t elem) {
  const auto n = static_cast<std::size_t>(state.range(0));
  // Small positive values: sums stay finite and normal for many iterations.
  const Buffer src = make_buffer(n, 0);
  const Buffer dst = make_buffer(n, 0);
  for (auto _ : state) {
    fn(dst.get(), dst.get(), src.get(), n / elem);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void bm_two(benchmark::State& state, ReduceFn one, ReduceTwoFn two, std::size_t elem) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Buffer a = make_buffer(n, 0);
  const Buffer b = make_buffer(n, 0);
  const Buffer out = make_buffer(n, 0);
  const Buffer out2 = make_buffer(n, 0);
  for (auto _ : state) {
    if (two != nullptr) {
      two(out.get(), out2.get(), a.get(), b.get(), n / elem);
    } else {
      one(out.get(), a.get(), b.get(), n / elem);
      std::memcpy(out2.get(), out.get(), n);
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void register_all() {
  benchmark::RegisterBenchmark("memcpy", bm_memcpy)->Apply(sizes);
  for (Isa isa : available_isas()) {
    for (Dtype d : kAllDtypes) {
      for (Op op : kAllOps) {
        if (!supports(d, op)) continue;
        const std::string label =
            fmt::format("reduce/{}/{}/{}", name(isa), name(d), name(op));
        benchmark::RegisterBenchmark(label.c_str(), bm_reduce, reduce_fn(d, op, isa),
                                     element_size(d))
            ->Apply(sizes);
      }
    }
    const ReduceFn one = reduce_fn(Dtype::kF32, Op::kSum, isa);
    const std::string isa_name(name(isa));
    benchmark::RegisterBenchmark(("two/" + isa_name + "/f32/sum").c_str(), bm_two, one,
                                 reduce_two_fn(Dtype::kF32, Op::kSum, isa), std::size_t{4})
        ->Apply(sizes);
    benchmark::RegisterBenchmark(("sum_then_copy/" + isa_name + "/f32/sum").c_str(), bm_two, one,
                                 ReduceTwoFn{nullptr}, std::size_t{4})
        ->Apply(sizes);
  }
}

}  // namespace
}  // namespace lp::bench::allreduce

int main(int argc, char** argv) {
  lp::bench::allreduce::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
