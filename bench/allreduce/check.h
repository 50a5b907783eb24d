// --check: inputs seeded so that every element of the exact result is known. Floats hold
// small integers, bounded so that every partial sum in any order is exactly representable
// (2^11 for f16, 2^8 for bf16, 2^24 for f32, 2^53 for f64); integers hold any bits, as
// their sums wrap around the same way everywhere. Element i on rank r is a hash of (seed,
// r, i), so any rank can compute what any other holds.
#pragma once

#include "bench/allreduce/dtype.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace lp::bench::allreduce {

struct Seeding {
  Dtype dtype = Dtype::kF32;
  Op op = Op::kSum;
  int ranks = 1;
  std::uint64_t seed = 1;
};

// Writes rank `rank`'s input: `count` elements.
void fill_input(const Seeding& s, int rank, void* buf, std::size_t count);

struct Mismatch {
  std::size_t index = 0;      // the first wrong element
  std::string expected;
  std::string actual;
  std::size_t wrong = 0;      // how many elements are wrong
};

// Compares `count` elements of an all-reduce result with the exact one.
std::optional<Mismatch> verify_result(const Seeding& s, const void* result, std::size_t count);

}  // namespace lp::bench::allreduce
