// The vector loops every instruction set shares. A kernel file defines Vec<D> (register type,
// lanes, load/store widening to the compute type, and the operations), Stream (its widest
// non-temporal store) for its instruction set and LP_KERNEL_TARGET (its target attribute),
// then includes this header: the loops live in an unnamed namespace, so each file gets its
// own copy compiled for its instructions.
#pragma once

#include "bench/allreduce/kernel_scalar.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lp::bench::allreduce {
namespace {

template <class V, Op O>
LP_KERNEL_TARGET inline typename V::R vapply(typename V::R a, typename V::R b) {
  if constexpr (O == Op::kSum) return V::sum(a, b);
  else if constexpr (O == Op::kMax) return V::max(a, b);
  else if constexpr (O == Op::kMin) return V::min(a, b);
  else if constexpr (O == Op::kBand) return V::band(a, b);
  else if constexpr (O == Op::kBor) return V::bor(a, b);
  else return V::bxor(a, b);
}

// Four registers per round keep enough loads in flight to run at memory speed; the tail
// goes through the scalar definition.
template <Dtype D, Op O>
LP_KERNEL_TARGET void vector_loop(void* dst, const void* a, const void* b, std::size_t n) {
  using V = Vec<D>;
  using T = StorageT<D>;
  constexpr std::size_t kL = V::kLanes;
  T* out = static_cast<T*>(dst);
  const T* x = static_cast<const T*>(a);
  const T* y = static_cast<const T*>(b);
  std::size_t i = 0;
  for (; i + 4 * kL <= n; i += 4 * kL) {
    const auto x0 = V::load(x + i), x1 = V::load(x + i + kL);
    const auto x2 = V::load(x + i + 2 * kL), x3 = V::load(x + i + 3 * kL);
    const auto y0 = V::load(y + i), y1 = V::load(y + i + kL);
    const auto y2 = V::load(y + i + 2 * kL), y3 = V::load(y + i + 3 * kL);
    V::store(out + i, vapply<V, O>(x0, y0));
    V::store(out + i + kL, vapply<V, O>(x1, y1));
    V::store(out + i + 2 * kL, vapply<V, O>(x2, y2));
    V::store(out + i + 3 * kL, vapply<V, O>(x3, y3));
  }
  for (; i + kL <= n; i += kL) V::store(out + i, vapply<V, O>(V::load(x + i), V::load(y + i)));
  scalar_loop<D, O>(out + i, x + i, y + i, n - i);
}

// ReduceTwoFn: four registers of sums at a time are stored into a buffer that stays in the
// first-level cache and streamed from there to both outputs, Stream::kBytes at a time (the
// compute type may be wider than the storage type, so the sums cannot be streamed straight
// from their registers). Elements before dst's first stream-aligned byte, and the tail, go
// through the scalar definition and a copy.
template <Dtype D, Op O>
LP_KERNEL_TARGET void vector_loop_two(void* dst, void* dst2, const void* a, const void* b,
                                      std::size_t n) {
  using V = Vec<D>;
  using T = StorageT<D>;
  constexpr std::size_t kL = V::kLanes;
  constexpr std::size_t kBlock = 4 * kL * sizeof(T);
  static_assert(kBlock % Stream::kBytes == 0);
  if (n == 0) return;  // the buffers may be null then
  const auto d1 = reinterpret_cast<std::uintptr_t>(dst);
  const auto d2 = reinterpret_cast<std::uintptr_t>(dst2);
  if (d1 % sizeof(T) != 0 || (d1 - d2) % Stream::kBytes != 0) {
    vector_loop<D, O>(dst, a, b, n);
    std::memcpy(dst2, dst, n * sizeof(T));
    return;
  }
  T* out = static_cast<T*>(dst);
  T* out2 = static_cast<T*>(dst2);
  const T* x = static_cast<const T*>(a);
  const T* y = static_cast<const T*>(b);
  std::size_t i = (Stream::kBytes - d1 % Stream::kBytes) % Stream::kBytes / sizeof(T);
  if (i > n) i = n;
  scalar_loop<D, O>(out, x, y, i);
  std::memcpy(out2, out, i * sizeof(T));
  alignas(64) T stage[4 * kL];
  for (; i + 4 * kL <= n; i += 4 * kL) {
    const auto x0 = V::load(x + i), x1 = V::load(x + i + kL);
    const auto x2 = V::load(x + i + 2 * kL), x3 = V::load(x + i + 3 * kL);
    const auto y0 = V::load(y + i), y1 = V::load(y + i + kL);
    const auto y2 = V::load(y + i + 2 * kL), y3 = V::load(y + i + 3 * kL);
    V::store(stage, vapply<V, O>(x0, y0));
    V::store(stage + kL, vapply<V, O>(x1, y1));
    V::store(stage + 2 * kL, vapply<V, O>(x2, y2));
    V::store(stage + 3 * kL, vapply<V, O>(x3, y3));
    auto* s = reinterpret_cast<const unsigned char*>(stage);
    auto* o1 = reinterpret_cast<unsigned char*>(out + i);
    auto* o2 = reinterpret_cast<unsigned char*>(out2 + i);
    for (std::size_t k = 0; k < kBlock; k += Stream::kBytes) Stream::both(o1 + k, o2 + k, s + k);
  }
  scalar_loop<D, O>(out + i, x + i, y + i, n - i);
  std::memcpy(out2 + i, out + i, (n - i) * sizeof(T));
}

template <Dtype D, Op O>
constexpr ReduceFn vector_kernel() {
  return &vector_loop<D, O>;
}

template <Dtype D, Op O>
constexpr ReduceTwoFn vector_two_kernel() {
  return &vector_loop_two<D, O>;
}

}  // namespace
}  // namespace lp::bench::allreduce
