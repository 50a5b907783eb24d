// How an all-reduce cuts a vector: into near-equal parts (one per rank, or one per pipeline
// chunk). Element counts and offsets are size_t throughout: vectors past 2^31 bytes (or
// elements) are ordinary.
#pragma once

#include <cstddef>

namespace lp::bench::allreduce {

struct Span {
  std::size_t offset = 0;  // in elements
  std::size_t count = 0;
};

// Part `i` of `parts` near-equal parts of [0, count): the first count % parts parts get one
// element more. Every element lands in exactly one part, in order.
inline Span part(std::size_t count, std::size_t parts, std::size_t i) {
  const std::size_t base = count / parts;
  const std::size_t extra = count % parts;
  const std::size_t offset = i * base + (i < extra ? i : extra);
  return {offset, base + (i < extra ? 1 : 0)};
}

// Part `i` of `parts` within `whole`.
inline Span part(Span whole, std::size_t parts, std::size_t i) {
  Span s = part(whole.count, parts, i);
  s.offset += whole.offset;
  return s;
}

// How many pipeline chunks of at most `chunk_bytes` a span of `count` elements needs (at
// least one, so an empty span still takes part in the schedule).
inline std::size_t chunks_for(std::size_t count, std::size_t elem, std::size_t chunk_bytes) {
  const std::size_t per_chunk = chunk_bytes / elem == 0 ? 1 : chunk_bytes / elem;
  const std::size_t n = count / per_chunk + (count % per_chunk != 0 ? 1 : 0);
  return n == 0 ? 1 : n;
}

}  // namespace lp::bench::allreduce
