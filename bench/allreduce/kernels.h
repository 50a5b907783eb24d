// Reduction kernels: dst[i] = a[i] OP b[i] over n elements, for every supported (dtype, op).
// Vectorized for AVX2 and AVX-512 (chosen at run time from what the CPU reports), with a
// portable path; every path gives the same bits, NaN payloads aside (f16/bf16 widen to float and round back to
// nearest even, see half.h). `dst` may be `a` or `b` (accumulate in place); the buffers need
// no alignment.
#pragma once

#include "bench/allreduce/dtype.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace lp::bench::allreduce {

enum class Isa { kPortable, kAvx2, kAvx512 };

using ReduceFn = void (*)(void* dst, const void* a, const void* b, std::size_t n);
// dst[i] = dst2[i] = a[i] OP b[i], for a finished sum past the caches that two outputs receive
// (a rank's own and a peer's, mapped): both are written with non-temporal stores, which skip
// the read a cache line costs before it is written, so memory sees each output written once
// and never read. The stores are weakly ordered: stream_fence() (stream_copy.h) before the
// sum is announced. dst may be a, and dst2 may be b (in place); the outputs overlap nothing
// else. No alignment is needed (where the two outputs are not aligned alike, or on the
// portable path, dst2 is a copy of dst).
using ReduceTwoFn = void (*)(void* dst, void* dst2, const void* a, const void* b, std::size_t n);

std::string_view name(Isa isa);
// The widest instruction set this CPU runs (AVX-512 needs F and BW).
Isa best_isa();
// Every path this CPU can run, portable first.
std::vector<Isa> available_isas();

// The kernel for (d, op) on `isa`. Throws InputError when op is not defined on d, and Error
// when the CPU cannot run `isa`.
ReduceFn reduce_fn(Dtype d, Op op, Isa isa);
inline ReduceFn reduce_fn(Dtype d, Op op) { return reduce_fn(d, op, best_isa()); }
// The same for the two-output streaming kernels.
ReduceTwoFn reduce_two_fn(Dtype d, Op op, Isa isa);

// What one reduction needs, resolved once outside the timed loop.
struct Reduction {
  Dtype dtype = Dtype::kF32;
  Op op = Op::kSum;
  std::size_t elem = 4;  // bytes per element
  ReduceFn fn = nullptr;
  ReduceTwoFn two = nullptr;

  static Reduction make(Dtype d, Op op) {
    return {d, op, element_size(d), reduce_fn(d, op), reduce_two_fn(d, op, best_isa())};
  }
  void operator()(void* dst, const void* a, const void* b, std::size_t n) const {
    if (n != 0) fn(dst, a, b, n);
  }
  // ReduceTwoFn: into dst and dst2 at once, streaming.
  void into_two(void* dst, void* dst2, const void* a, const void* b, std::size_t n) const {
    if (n != 0) two(dst, dst2, a, b, n);
  }
};

namespace detail {
// Each instruction set's table (kernels_<isa>.cc); nullptr for bitwise ops on floats.
ReduceFn portable_kernel(Dtype d, Op op);
ReduceFn avx2_kernel(Dtype d, Op op);
ReduceFn avx512_kernel(Dtype d, Op op);
ReduceTwoFn portable_two_kernel(Dtype d, Op op);
ReduceTwoFn avx2_two_kernel(Dtype d, Op op);
ReduceTwoFn avx512_two_kernel(Dtype d, Op op);
}  // namespace detail

}  // namespace lp::bench::allreduce
