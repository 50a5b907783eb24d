// One element of each reduction, the definition every kernel path matches (and the tail of
// every vector loop). Integers wrap around on overflow, as the vector instructions do.
#pragma once

#include "bench/allreduce/dtype.h"
#include "bench/allreduce/half.h"

#include <cstdint>
#include <type_traits>

namespace lp::bench::allreduce {

// Storage type of each dtype.
template <Dtype D> struct Storage;
template <> struct Storage<Dtype::kF32> { using T = float; };
template <> struct Storage<Dtype::kF64> { using T = double; };
template <> struct Storage<Dtype::kF16> { using T = std::uint16_t; };
template <> struct Storage<Dtype::kBf16> { using T = std::uint16_t; };
template <> struct Storage<Dtype::kI32> { using T = std::int32_t; };
template <> struct Storage<Dtype::kI64> { using T = std::int64_t; };
template <Dtype D> using StorageT = typename Storage<D>::T;

// max and min keep the second operand unless the first is strictly greater (smaller), which
// is what the x86 max/min instructions do with NaN and signed zeros.
template <Op O, class C>
inline C combine(C a, C b) {
  if constexpr (O == Op::kSum) {
    if constexpr (std::is_integral_v<C>) {
      using U = std::make_unsigned_t<C>;
      return static_cast<C>(static_cast<U>(a) + static_cast<U>(b));
    } else {
      return a + b;
    }
  } else if constexpr (O == Op::kMax) {
    return a > b ? a : b;
  } else if constexpr (O == Op::kMin) {
    return a < b ? a : b;
  } else if constexpr (O == Op::kBand) {
    return a & b;
  } else if constexpr (O == Op::kBor) {
    return a | b;
  } else {
    return a ^ b;
  }
}

template <Dtype D, Op O>
inline StorageT<D> scalar_apply(StorageT<D> a, StorageT<D> b) {
  if constexpr (D == Dtype::kF16) {
    return float_to_f16(combine<O>(f16_to_float(a), f16_to_float(b)));
  } else if constexpr (D == Dtype::kBf16) {
    return float_to_bf16(combine<O>(bf16_to_float(a), bf16_to_float(b)));
  } else {
    return combine<O>(a, b);
  }
}

template <Dtype D, Op O>
inline void scalar_loop(StorageT<D>* dst, const StorageT<D>* a, const StorageT<D>* b,
                        std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = scalar_apply<D, O>(a[i], b[i]);
}

// Calls f.template operator()<D, O>() for the runtime pair (d, op) when op is defined on d;
// returns `fallback` otherwise. Used by each kernel table.
template <class F, class R>
R dispatch(Dtype d, Op op, F&& f, R fallback) {
  auto by_op = [&]<Dtype D>() -> R {
    switch (op) {
      case Op::kSum: return f.template operator()<D, Op::kSum>();
      case Op::kMax: return f.template operator()<D, Op::kMax>();
      case Op::kMin: return f.template operator()<D, Op::kMin>();
      default: break;
    }
    if constexpr (D == Dtype::kI32 || D == Dtype::kI64) {
      switch (op) {
        case Op::kBand: return f.template operator()<D, Op::kBand>();
        case Op::kBor: return f.template operator()<D, Op::kBor>();
        case Op::kBxor: return f.template operator()<D, Op::kBxor>();
        default: break;
      }
    }
    return fallback;
  };
  switch (d) {
    case Dtype::kF32: return by_op.template operator()<Dtype::kF32>();
    case Dtype::kF64: return by_op.template operator()<Dtype::kF64>();
    case Dtype::kF16: return by_op.template operator()<Dtype::kF16>();
    case Dtype::kBf16: return by_op.template operator()<Dtype::kBf16>();
    case Dtype::kI32: return by_op.template operator()<Dtype::kI32>();
    case Dtype::kI64: return by_op.template operator()<Dtype::kI64>();
  }
  return fallback;
}

}  // namespace lp::bench::allreduce
