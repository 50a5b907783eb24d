// The vector loop every instruction set shares. A kernel file defines Vec<D> (register type,
// lanes, load/store widening to the compute type, and the operations) for its instruction
// set and LP_KERNEL_TARGET (its target attribute), then includes this header: the loop lives
// in an unnamed namespace, so each file gets its own copy compiled for its instructions.
#pragma once

#include "bench/allreduce/kernel_scalar.h"

#include <cstddef>

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

template <Dtype D, Op O>
constexpr ReduceFn vector_kernel() {
  return &vector_loop<D, O>;
}

}  // namespace
}  // namespace lp::bench::allreduce
