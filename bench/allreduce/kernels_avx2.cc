// AVX2 kernels (with F16C for f16). Compiled for AVX2 through target attributes and called
// only when the CPU reports it (kernels.cc), so the rest of the binary stays portable.
#include "bench/allreduce/kernel_scalar.h"
#include "bench/allreduce/kernels.h"

#include <immintrin.h>

// Every function that touches the wide registers is compiled for the instruction set.
#define LP_KERNEL_TARGET __attribute__((target("avx2,f16c")))

namespace lp::bench::allreduce {
namespace {

template <Dtype D> struct Vec;

template <> struct Vec<Dtype::kF32> {
  using R = __m256;
  static constexpr std::size_t kLanes = 8;
  LP_KERNEL_TARGET static R load(const float* p) { return _mm256_loadu_ps(p); }
  LP_KERNEL_TARGET static void store(float* p, R v) { _mm256_storeu_ps(p, v); }
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm256_add_ps(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm256_max_ps(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm256_min_ps(a, b); }
};

template <> struct Vec<Dtype::kF64> {
  using R = __m256d;
  static constexpr std::size_t kLanes = 4;
  LP_KERNEL_TARGET static R load(const double* p) { return _mm256_loadu_pd(p); }
  LP_KERNEL_TARGET static void store(double* p, R v) { _mm256_storeu_pd(p, v); }
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm256_add_pd(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm256_max_pd(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm256_min_pd(a, b); }
};

struct Bits256 {
  using R = __m256i;
  LP_KERNEL_TARGET static R band(R a, R b) { return _mm256_and_si256(a, b); }
  LP_KERNEL_TARGET static R bor(R a, R b) { return _mm256_or_si256(a, b); }
  LP_KERNEL_TARGET static R bxor(R a, R b) { return _mm256_xor_si256(a, b); }
};

template <> struct Vec<Dtype::kI32> : Bits256 {
  static constexpr std::size_t kLanes = 8;
  LP_KERNEL_TARGET static R load(const std::int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const R*>(p)); }
  LP_KERNEL_TARGET static void store(std::int32_t* p, R v) { _mm256_storeu_si256(reinterpret_cast<R*>(p), v); }
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm256_add_epi32(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm256_max_epi32(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm256_min_epi32(a, b); }
};

template <> struct Vec<Dtype::kI64> : Bits256 {
  static constexpr std::size_t kLanes = 4;
  LP_KERNEL_TARGET static R load(const std::int64_t* p) { return _mm256_loadu_si256(reinterpret_cast<const R*>(p)); }
  LP_KERNEL_TARGET static void store(std::int64_t* p, R v) { _mm256_storeu_si256(reinterpret_cast<R*>(p), v); }
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm256_add_epi64(a, b); }
  // AVX2 has no 64-bit max/min: compare and blend (a where a > b, else b).
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm256_blendv_epi8(b, a, _mm256_cmpgt_epi64(a, b)); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm256_blendv_epi8(b, a, _mm256_cmpgt_epi64(b, a)); }
};

// 16-bit floats are widened to 8 floats per register and rounded back on store.
struct Half8 {
  using R = __m256;
  static constexpr std::size_t kLanes = 8;
  LP_KERNEL_TARGET static R sum(R a, R b) { return _mm256_add_ps(a, b); }
  LP_KERNEL_TARGET static R max(R a, R b) { return _mm256_max_ps(a, b); }
  LP_KERNEL_TARGET static R min(R a, R b) { return _mm256_min_ps(a, b); }
};

template <> struct Vec<Dtype::kF16> : Half8 {
  LP_KERNEL_TARGET static R load(const std::uint16_t* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  LP_KERNEL_TARGET static void store(std::uint16_t* p, R v) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p),
                     _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  }
};

template <> struct Vec<Dtype::kBf16> : Half8 {
  LP_KERNEL_TARGET static R load(const std::uint16_t* p) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
  }
  // float_to_bf16 (half.h) on 8 lanes: round to nearest even, NaN kept quiet.
  LP_KERNEL_TARGET static void store(std::uint16_t* p, R v) {
    const __m256i bits = _mm256_castps_si256(v);
    const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(1));
    const __m256i rounded =
        _mm256_srli_epi32(_mm256_add_epi32(bits, _mm256_add_epi32(lsb, _mm256_set1_epi32(0x7fff))), 16);
    const __m256i quiet = _mm256_or_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(0x40));
    const __m256i nan = _mm256_cmpgt_epi32(_mm256_and_si256(bits, _mm256_set1_epi32(0x7fffffff)),
                                           _mm256_set1_epi32(0x7f800000));
    const __m256i out = _mm256_blendv_epi8(rounded, _mm256_and_si256(quiet, _mm256_set1_epi32(0xffff)), nan);
    // Pack 8 x 32 to 8 x 16: packus works per 128-bit half, then gather the halves.
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(out, out), 0x08);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(packed));
  }
};

// 32 bytes from an aligned buffer to two aligned places, past the caches.
struct Stream {
  static constexpr std::size_t kBytes = 32;
  LP_KERNEL_TARGET static void both(unsigned char* d1, unsigned char* d2, const unsigned char* s) {
    const __m256i v = _mm256_load_si256(reinterpret_cast<const __m256i*>(s));
    _mm256_stream_si256(reinterpret_cast<__m256i*>(d1), v);
    _mm256_stream_si256(reinterpret_cast<__m256i*>(d2), v);
  }
};

}  // namespace
}  // namespace lp::bench::allreduce

#include "bench/allreduce/kernel_loop.h"

#undef LP_KERNEL_TARGET

namespace lp::bench::allreduce::detail {

ReduceFn avx2_kernel(Dtype d, Op op) {
  return dispatch(d, op, []<Dtype D, Op O>() -> ReduceFn { return vector_kernel<D, O>(); },
                  ReduceFn{nullptr});
}

ReduceTwoFn avx2_two_kernel(Dtype d, Op op) {
  return dispatch(d, op, []<Dtype D, Op O>() -> ReduceTwoFn { return vector_two_kernel<D, O>(); },
                  ReduceTwoFn{nullptr});
}

}  // namespace lp::bench::allreduce::detail

