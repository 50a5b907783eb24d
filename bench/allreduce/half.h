// IEEE binary16 (f16) and bfloat16 (bf16) as 16-bit patterns, converted to and from float.
// Reductions on them widen to float, operate, and round back to nearest even: the scalar
// functions here define the result bit for bit, and the vector kernels match them.
#pragma once

#include <bit>
#include <cstdint>

namespace lp::bench::allreduce {

inline float bf16_to_float(std::uint16_t h) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(h) << 16);
}

// Round to nearest even; a NaN stays a (quiet) NaN with its sign.
inline std::uint16_t float_to_bf16(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x0040u);
  const std::uint32_t rounding = 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<std::uint16_t>((bits + rounding) >> 16);
}

inline float f16_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  std::uint32_t mant = h & 0x3ffu;
  std::uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);  // inf or NaN (payload kept)
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {
    // Subnormal: normalize.
    int e = -1;
    do {
      mant <<= 1;
      ++e;
    } while ((mant & 0x400u) == 0);
    bits = sign | (static_cast<std::uint32_t>(112 - e) << 23) | ((mant & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

// Round to nearest even, overflow to infinity, subnormals kept; NaN becomes a quiet NaN.
inline std::uint16_t float_to_f16(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t abs = bits & 0x7fffffffu;
  if (abs > 0x7f800000u) {
    return static_cast<std::uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
  }
  if (abs >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // rounds past max
  if (abs >= 0x38800000u) {
    // Normal in f16: rebias the exponent, round the 13 dropped bits to nearest even.
    const std::uint32_t rebased = abs - (112u << 23);
    const std::uint32_t rounding = 0xfffu + ((rebased >> 13) & 1u);
    return static_cast<std::uint16_t>(sign | ((rebased + rounding) >> 13));
  }
  if (abs < 0x33000000u) return sign;  // below half the smallest subnormal: rounds to zero
  // Subnormal in f16: value = mant * 2^-24; shift the full significand into place.
  const std::uint32_t exp = abs >> 23;
  const std::uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
  const std::uint32_t shift = 126 - exp;  // 14..24
  const std::uint32_t half = 1u << (shift - 1);
  const std::uint32_t rest = mant & ((1u << shift) - 1);
  std::uint32_t out = mant >> shift;
  if (rest > half || (rest == half && (out & 1u))) ++out;
  return static_cast<std::uint16_t>(sign | out);
}

}  // namespace lp::bench::allreduce
