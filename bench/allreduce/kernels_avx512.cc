// AVX-512 (F) kernels: 64-byte registers, native 64-bit max/min, masked blends. Compiled for
// AVX-512 through target attributes and called only when the CPU reports it (kernels.cc).
#include "bench/allreduce/kernel_scalar.h"
#include "bench/allreduce/kernels.h"

// GCC 12's own max/min intrinsics start from _mm512_undefined_*() and trip this warning.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

// Every function that touches the wide registers is compiled for the instruction set.
#define LP_KERNEL_TARGET __attribute__((target("avx512f")))

namespace lp::bench::allreduce {
namespace {

template <Dtype D> struct Vec;

template <> struct Vec<Dtype::kF32> {
  using R = __m512;
  static constexpr std::size_t kLanes = 16;
  LP_KERNEL_TARGET static R load(const float* p) { return _mm512_loadu_ps(p); }
  LP_KERNEL_TARGET static void store(float* p, R v) { _mm512_storeu_ps(p, v); }
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm512_add_ps(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm512_max_ps(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm512_min_ps(a, b); }
};

template <> struct Vec<Dtype::kF64> {
  using R = __m512d;
  static constexpr std::size_t kLanes = 8;
  LP_KERNEL_TARGET static R load(const double* p) { return _mm512_loadu_pd(p); }
  LP_KERNEL_TARGET static void store(double* p, R v) { _mm512_storeu_pd(p, v); }
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm512_add_pd(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm512_max_pd(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm512_min_pd(a, b); }
};

struct Bits512 {
  using R = __m512i;
  LP_KERNEL_TARGET static R band(R a, R b) { return _mm512_and_si512(a, b); }
  LP_KERNEL_TARGET static R bor(R a, R b) { return _mm512_or_si512(a, b); }
  LP_KERNEL_TARGET static R bxor(R a, R b) { return _mm512_xor_si512(a, b); }
};

template <> struct Vec<Dtype::kI32> : Bits512 {
  static constexpr std::size_t kLanes = 16;
  LP_KERNEL_TARGET static R load(const std::int32_t* p) { return _mm512_loadu_si512(p); }
  LP_KERNEL_TARGET static void store(std::int32_t* p, R v) { _mm512_storeu_si512(p, v); }
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm512_add_epi32(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm512_max_epi32(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm512_min_epi32(a, b); }
};

template <> struct Vec<Dtype::kI64> : Bits512 {
  static constexpr std::size_t kLanes = 8;
  LP_KERNEL_TARGET static R load(const std::int64_t* p) { return _mm512_loadu_si512(p); }
  LP_KERNEL_TARGET static void store(std::int64_t* p, R v) { _mm512_storeu_si512(p, v); }
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm512_add_epi64(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm512_max_epi64(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm512_min_epi64(a, b); }
};

// 16-bit floats are widened to 16 floats per register and rounded back on store.
struct Half16 {
  using R = __m512;
  static constexpr std::size_t kLanes = 16;
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm512_add_ps(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm512_max_ps(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm512_min_ps(a, b); }
};

template <> struct Vec<Dtype::kF16> : Half16 {
  LP_KERNEL_TARGET static R load(const std::uint16_t* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  LP_KERNEL_TARGET static void store(std::uint16_t* p, R v) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p),
                        _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  }
};

template <> struct Vec<Dtype::kBf16> : Half16 {
  LP_KERNEL_TARGET static R load(const std::uint16_t* p) {
    const __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16));
  }
  // float_to_bf16 (half.h) on 16 lanes: round to nearest even, NaN kept quiet.
  LP_KERNEL_TARGET static void store(std::uint16_t* p, R v) {
    const __m512i bits = _mm512_castps_si512(v);
    const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    const __m512i rounded =
        _mm512_srli_epi32(_mm512_add_epi32(bits, _mm512_add_epi32(lsb, _mm512_set1_epi32(0x7fff))), 16);
    const __m512i quiet = _mm512_or_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(0x40));
    const __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(bits, _mm512_set1_epi32(0x7fffffff)),
                                                  _mm512_set1_epi32(0x7f800000));
    const __m512i out = _mm512_mask_blend_epi32(nan, rounded, quiet);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm512_cvtepi32_epi16(out));
  }
};

// 64 bytes from an aligned buffer to two aligned places, past the caches.
struct Stream {
  static constexpr std::size_t kBytes = 64;
  LP_KERNEL_TARGET static void both(unsigned char* d1, unsigned char* d2, const unsigned char* s) {
    const __m512i v = _mm512_load_si512(s);
    _mm512_stream_si512(reinterpret_cast<__m512i*>(d1), v);
    _mm512_stream_si512(reinterpret_cast<__m512i*>(d2), v);
  }
};

}  // namespace
}  // namespace lp::bench::allreduce

#include "bench/allreduce/kernel_loop.h"

#undef LP_KERNEL_TARGET

namespace lp::bench::allreduce::detail {

ReduceFn avx512_kernel(Dtype d, Op op) {
  return dispatch(d, op, []<Dtype D, Op O>() -> ReduceFn { return vector_kernel<D, O>(); },
                  ReduceFn{nullptr});
}

ReduceTwoFn avx512_two_kernel(Dtype d, Op op) {
  return dispatch(d, op, []<Dtype D, Op O>() -> ReduceTwoFn { return vector_two_kernel<D, O>(); },
                  ReduceTwoFn{nullptr});
}

}  // namespace lp::bench::allreduce::detail

