#include "bench/allreduce/check.h"

#include "bench/allreduce/half.h"
#include "bench/allreduce/kernel_scalar.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace lp::bench::allreduce {
namespace {

std::uint64_t mix(std::uint64_t x) {
  // splitmix64's finalizer.
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t hash(const Seeding& s, int rank, std::size_t i) {
  return mix(s.seed ^ mix(static_cast<std::uint64_t>(rank) * 0x100000001b3ull ^ mix(i)));
}

// The largest integer magnitude a float type holds exactly with all smaller ones.
std::int64_t exact_limit(Dtype d) {
  switch (d) {
    case Dtype::kF16: return std::int64_t{1} << 11;
    case Dtype::kBf16: return std::int64_t{1} << 8;
    case Dtype::kF32: return std::int64_t{1} << 24;
    default: return std::int64_t{1} << 53;
  }
}

// Float inputs: integers in [-k, k]. For sums only `contributors` ranks hold non-zeros and
// k is small enough that no partial sum leaves the exact range; max and min take any.
struct FloatRange {
  std::int64_t k;
  int contributors;
};

FloatRange float_range(const Seeding& s) {
  const std::int64_t limit = exact_limit(s.dtype);
  if (s.op != Op::kSum) return {std::min<std::int64_t>(limit, 1 << 20), s.ranks};
  const std::int64_t k = std::max<std::int64_t>(1, limit / s.ranks);
  return {k, static_cast<int>(std::min<std::int64_t>(s.ranks, limit / k))};
}

std::int64_t float_value(const Seeding& s, const FloatRange& r, int rank, std::size_t i) {
  if (rank >= r.contributors) return 0;
  const auto span = static_cast<std::uint64_t>(2 * r.k + 1);
  return static_cast<std::int64_t>(hash(s, rank, i) % span) - r.k;
}

template <Dtype D>
StorageT<D> from_integer(std::int64_t v) {
  if constexpr (D == Dtype::kF16) return float_to_f16(static_cast<float>(v));
  else if constexpr (D == Dtype::kBf16) return float_to_bf16(static_cast<float>(v));
  else return static_cast<StorageT<D>>(v);
}

template <Dtype D>
std::string show(StorageT<D> v) {
  if constexpr (D == Dtype::kF16) return fmt::format("{}", f16_to_float(v));
  else if constexpr (D == Dtype::kBf16) return fmt::format("{}", bf16_to_float(v));
  else return fmt::format("{}", v);
}

// Element i on `rank`, in storage form.
template <Dtype D>
StorageT<D> input_of(const Seeding& s, const FloatRange& r, int rank, std::size_t i) {
  if constexpr (D == Dtype::kI32 || D == Dtype::kI64) {
    return static_cast<StorageT<D>>(hash(s, rank, i));
  } else {
    return from_integer<D>(float_value(s, r, rank, i));
  }
}

template <Dtype D, Op O>
StorageT<D> expected_at(const Seeding& s, const FloatRange& r, std::size_t i) {
  if constexpr (D == Dtype::kI32 || D == Dtype::kI64) {
    StorageT<D> acc = input_of<D>(s, r, 0, i);
    for (int k = 1; k < s.ranks; ++k) acc = combine<O>(acc, input_of<D>(s, r, k, i));
    return acc;
  } else {
    // Exact integer arithmetic, converted once at the end.
    std::int64_t acc = float_value(s, r, 0, i);
    for (int k = 1; k < s.ranks; ++k) acc = combine<O>(acc, float_value(s, r, k, i));
    return from_integer<D>(acc);
  }
}

}  // namespace

void fill_input(const Seeding& s, int rank, void* buf, std::size_t count) {
  const FloatRange r = float_range(s);
  dispatch(s.dtype, s.op, [&]<Dtype D, Op O>() {
    auto* out = static_cast<StorageT<D>*>(buf);
    for (std::size_t i = 0; i < count; ++i) out[i] = input_of<D>(s, r, rank, i);
    return 0;
  }, 0);
}

std::optional<Mismatch> verify_result(const Seeding& s, const void* result, std::size_t count) {
  const FloatRange r = float_range(s);
  return dispatch(s.dtype, s.op, [&]<Dtype D, Op O>() -> std::optional<Mismatch> {
    const auto* got = static_cast<const StorageT<D>*>(result);
    std::optional<Mismatch> first;
    for (std::size_t i = 0; i < count; ++i) {
      const StorageT<D> want = expected_at<D, O>(s, r, i);
      if (std::memcmp(&want, &got[i], sizeof want) == 0) continue;
      if (!first) first = Mismatch{i, show<D>(want), show<D>(got[i]), 0};
      ++first->wrong;
    }
    return first;
  }, std::optional<Mismatch>{});
}

}  // namespace lp::bench::allreduce
