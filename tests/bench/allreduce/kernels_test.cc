// Every kernel path gives the scalar definition's bits, for every (dtype, op), at lengths
// around the vector widths, in place and out of place.
#include "bench/allreduce/half.h"
#include "bench/allreduce/kernel_scalar.h"
#include "bench/allreduce/kernels.h"
#include "bench/allreduce/stream_copy.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

namespace lp::bench::allreduce {
namespace {

// Random element bytes: for floats a mix of integers, fractions, huge and tiny values and
// every bit pattern of the 16-bit types (NaN, infinities and subnormals included).
std::vector<unsigned char> random_elements(Dtype d, std::size_t n, std::mt19937_64& rng) {
  std::vector<unsigned char> out(n * element_size(d));
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char* p = out.data() + i * element_size(d);
    const std::uint64_t r = rng();
    switch (d) {
      case Dtype::kF16:
      case Dtype::kBf16: {
        const auto v = static_cast<std::uint16_t>(r);
        std::memcpy(p, &v, 2);
        break;
      }
      case Dtype::kF32: {
        const float choices[] = {static_cast<float>(static_cast<int>(r % 2001) - 1000),
                                 std::ldexp(static_cast<float>(r % 1000), static_cast<int>(r >> 40) % 200 - 100),
                                 INFINITY, -INFINITY, std::nanf(""), -0.0f};
        const float v = choices[(r >> 20) % 6 < 4 ? (r >> 20) % 2 : (r >> 20) % 6];
        std::memcpy(p, &v, 4);
        break;
      }
      case Dtype::kF64: {
        const double v = (r & 1) ? static_cast<double>(static_cast<std::int64_t>(r % 20001) - 10000)
                                 : std::ldexp(static_cast<double>(r % 100000), static_cast<int>(r >> 44) % 600 - 300);
        std::memcpy(p, &v, 8);
        break;
      }
      case Dtype::kI32: {
        const auto v = static_cast<std::int32_t>(r);
        std::memcpy(p, &v, 4);
        break;
      }
      case Dtype::kI64: {
        const auto v = static_cast<std::int64_t>(r);
        std::memcpy(p, &v, 8);
        break;
      }
    }
  }
  return out;
}

bool is_nan(Dtype d, const unsigned char* p) {
  switch (d) {
    case Dtype::kF16: {
      std::uint16_t v;
      std::memcpy(&v, p, 2);
      return std::isnan(f16_to_float(v));
    }
    case Dtype::kBf16: {
      std::uint16_t v;
      std::memcpy(&v, p, 2);
      return std::isnan(bf16_to_float(v));
    }
    case Dtype::kF32: {
      float v;
      std::memcpy(&v, p, 4);
      return std::isnan(v);
    }
    case Dtype::kF64: {
      double v;
      std::memcpy(&v, p, 8);
      return std::isnan(v);
    }
    default: return false;
  }
}

// Bit for bit, except that a NaN only has to be a NaN: which operand's payload survives
// NaN + NaN is not defined (the compiler may swap the operands of an addition).
::testing::AssertionResult same_elements(Dtype d, const std::vector<unsigned char>& want,
                                         const std::vector<unsigned char>& got) {
  const std::size_t e = element_size(d);
  for (std::size_t i = 0; i < want.size() / e; ++i) {
    const unsigned char* w = want.data() + i * e;
    const unsigned char* g = got.data() + i * e;
    if (is_nan(d, w) ? is_nan(d, g) : std::memcmp(w, g, e) == 0) continue;
    return ::testing::AssertionFailure() << "element " << i << " differs";
  }
  return ::testing::AssertionSuccess();
}

TEST(Kernels, EveryPathMatchesTheScalarDefinitionBitForBit) {
  std::mt19937_64 rng(42);
  const std::vector<std::size_t> lengths = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 1000, 4099};
  int checked = 0;
  for (Dtype d : kAllDtypes) {
    for (Op op : kAllOps) {
      if (!supports(d, op)) continue;
      const ReduceFn reference = reduce_fn(d, op, Isa::kPortable);
      for (Isa isa : available_isas()) {
        const ReduceFn fn = reduce_fn(d, op, isa);
        for (std::size_t n : lengths) {
          const auto a = random_elements(d, n, rng);
          const auto b = random_elements(d, n, rng);
          std::vector<unsigned char> want(a.size()), got(a.size());
          reference(want.data(), a.data(), b.data(), n);
          fn(got.data(), a.data(), b.data(), n);
          ASSERT_TRUE(same_elements(d, want, got)) << name(isa) << " " << name(d) << " " << name(op) << " n=" << n;
          // In place, into either operand.
          auto in_a = a;
          fn(in_a.data(), in_a.data(), b.data(), n);
          ASSERT_TRUE(same_elements(d, want, in_a)) << "in place (a) " << name(isa) << " " << name(d) << " " << name(op);
          auto in_b = b;
          fn(in_b.data(), a.data(), in_b.data(), n);
          ASSERT_TRUE(same_elements(d, want, in_b)) << "in place (b) " << name(isa) << " " << name(d) << " " << name(op);
          ++checked;
        }
      }
    }
  }
  EXPECT_GE(checked, 18 * static_cast<int>(lengths.size()));
}

// The two-output streaming kernels give both outputs the one-output kernel's bits, at every
// alignment of either output (alike or not), and in place (dst = a, dst2 = b).
TEST(Kernels, TwoOutputKernelsWriteTheSumIntoBoth) {
  std::mt19937_64 rng(7);
  const std::vector<std::size_t> lengths = {0, 1, 3, 31, 64, 65, 127, 1000, 4099};
  int checked = 0;
  for (Dtype d : kAllDtypes) {
    for (Op op : kAllOps) {
      if (!supports(d, op)) continue;
      const std::size_t e = element_size(d);
      const ReduceFn reference = reduce_fn(d, op, Isa::kPortable);
      for (Isa isa : available_isas()) {
        const ReduceTwoFn two = reduce_two_fn(d, op, isa);
        for (std::size_t n : lengths) {
          const auto a = random_elements(d, n, rng);
          const auto b = random_elements(d, n, rng);
          std::vector<unsigned char> want(a.size());
          reference(want.data(), a.data(), b.data(), n);
          for (const auto& [off1, off2] : {std::pair{0, 0}, std::pair{1, 1}, std::pair{3, 0}, std::pair{0, 5}}) {
            std::vector<unsigned char> o1(a.size() + 64 * e + 64), o2(a.size() + 64 * e + 64);
            // Line-aligned starts, then moved by whole elements.
            auto* p1 = o1.data() + (64 - reinterpret_cast<std::uintptr_t>(o1.data()) % 64) % 64 + off1 * e;
            auto* p2 = o2.data() + (64 - reinterpret_cast<std::uintptr_t>(o2.data()) % 64) % 64 + off2 * e;
            two(p1, p2, a.data(), b.data(), n);
            ASSERT_TRUE(same_elements(d, want, std::vector<unsigned char>(p1, p1 + a.size())))
                << name(isa) << " " << name(d) << " " << name(op) << " n=" << n << " dst +" << off1;
            ASSERT_TRUE(same_elements(d, want, std::vector<unsigned char>(p2, p2 + a.size())))
                << name(isa) << " " << name(d) << " " << name(op) << " n=" << n << " dst2 +" << off2;
          }
          auto in_a = a;
          auto in_b = b;
          two(in_a.data(), in_b.data(), in_a.data(), in_b.data(), n);
          ASSERT_TRUE(same_elements(d, want, in_a)) << "in place (a) " << name(isa) << " " << name(d);
          ASSERT_TRUE(same_elements(d, want, in_b)) << "in place (b) " << name(isa) << " " << name(d);
          ++checked;
        }
      }
    }
  }
  EXPECT_GE(checked, 18 * static_cast<int>(lengths.size()));
}

TEST(Kernels, ScalarDefinitionIsTheArithmetic) {
  float fa[] = {1.5f, -2.0f, 3.0f};
  float fb[] = {2.5f, 5.0f, -7.0f};
  float fo[3];
  reduce_fn(Dtype::kF32, Op::kSum)(fo, fa, fb, 3);
  EXPECT_EQ(fo[0], 4.0f);
  EXPECT_EQ(fo[1], 3.0f);
  EXPECT_EQ(fo[2], -4.0f);
  reduce_fn(Dtype::kF32, Op::kMax)(fo, fa, fb, 3);
  EXPECT_EQ(fo[1], 5.0f);
  reduce_fn(Dtype::kF32, Op::kMin)(fo, fa, fb, 3);
  EXPECT_EQ(fo[2], -7.0f);
  std::int32_t ia[] = {INT32_MAX, 6}, ib[] = {1, 3}, io[2];
  reduce_fn(Dtype::kI32, Op::kSum)(io, ia, ib, 2);
  EXPECT_EQ(io[0], INT32_MIN);  // wraps around
  reduce_fn(Dtype::kI32, Op::kBxor)(io, ia, ib, 2);
  EXPECT_EQ(io[1], 5);
  std::int64_t la[] = {-5, 1LL << 40}, lb[] = {3, -(1LL << 41)}, lo[2];
  reduce_fn(Dtype::kI64, Op::kMax)(lo, la, lb, 2);
  EXPECT_EQ(lo[0], 3);
  EXPECT_EQ(lo[1], 1LL << 40);
  std::uint16_t ha[] = {float_to_f16(1.0f)}, hb[] = {float_to_f16(0.5f)}, ho[1];
  reduce_fn(Dtype::kF16, Op::kSum)(ho, ha, hb, 1);
  EXPECT_EQ(f16_to_float(ho[0]), 1.5f);
  std::uint16_t ba[] = {float_to_bf16(256.0f)}, bb[] = {float_to_bf16(1.0f)}, bo[1];
  reduce_fn(Dtype::kBf16, Op::kSum)(bo, ba, bb, 1);
  EXPECT_EQ(bf16_to_float(bo[0]), 256.0f);  // 257 is a tie between 256 and 258: even wins
}

TEST(Half, F16RoundTripsEveryNonNanPattern) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    const float f = f16_to_float(bits);
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(f16_to_float(float_to_f16(f))));
      continue;
    }
    ASSERT_EQ(float_to_f16(f), bits) << h;
  }
  EXPECT_EQ(f16_to_float(0x3c00), 1.0f);
  EXPECT_EQ(f16_to_float(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(float_to_f16(65520.0f), 0x7c00);                // ties to even: infinity
  EXPECT_EQ(float_to_f16(65519.0f), 0x7bff);
  EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -25)), 0x0000);   // tie to even: zero
  EXPECT_EQ(float_to_f16(std::ldexp(1.5f, -25)), 0x0001);
}

TEST(Half, Bf16RoundsToNearestEven) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const float f = bf16_to_float(static_cast<std::uint16_t>(h));
    if (!std::isnan(f)) {
      ASSERT_EQ(float_to_bf16(f), h);
    }
  }
  EXPECT_EQ(float_to_bf16(1.0f + std::ldexp(1.0f, -8)), float_to_bf16(1.0f));  // tie, even
  EXPECT_EQ(float_to_bf16(1.0f + std::ldexp(3.0f, -8)), float_to_bf16(1.0f + std::ldexp(1.0f, -6)));
  EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(std::nanf("")))));
}

TEST(StreamCopy, CopiesEveryByteAtAnyAlignment) {
  std::mt19937_64 rng(3);
  std::vector<unsigned char> src(5000), dst(5200);
  for (auto& b : src) b = static_cast<unsigned char>(rng());
  for (std::size_t offset : {0, 1, 7, 15, 16, 33}) {
    for (std::size_t n : {0, 1, 15, 16, 17, 63, 64, 65, 1000, 4999}) {
      std::fill(dst.begin(), dst.end(), 0xee);
      stream_copy(dst.data() + offset, src.data() + (n % 3), n);
      stream_fence();
      ASSERT_EQ(std::memcmp(dst.data() + offset, src.data() + (n % 3), n), 0) << offset << " " << n;
      ASSERT_EQ(dst[offset + n], 0xee) << "wrote past the end";
      if (offset > 0) {
        ASSERT_EQ(dst[offset - 1], 0xee) << "wrote before the start";
      }
    }
  }
  EXPECT_TRUE(past_the_caches(std::size_t{1} << 40));
  EXPECT_FALSE(past_the_caches(4096));
}

TEST(Kernels, BitwiseOpsOnFloatsAreRefused) {
  EXPECT_THROW(reduce_fn(Dtype::kF32, Op::kBand), InputError);
  EXPECT_THROW(parse_dtype("f8"), InputError);
  EXPECT_THROW(parse_op("prod"), InputError);
  EXPECT_EQ(parse_dtypes("all").size(), 6u);
  EXPECT_EQ(parse_ops("sum, max").size(), 2u);
  EXPECT_THROW(parse_ops("sum,,max"), InputError);
}

}  // namespace
}  // namespace lp::bench::allreduce
