// A copy with non-temporal stores, for data the writer will not read back and the target
// will not read soon (a finished block pushed into a peer's output): the stores skip the
// read a cache line costs before it is written, which at sizes past the caches is a third of
// a copy's memory traffic. Non-temporal stores are weakly ordered: call stream_fence() before
// announcing the data.
#pragma once

#include <cstddef>

namespace lp::bench::allreduce {

void stream_copy(void* dst, const void* src, std::size_t n);
void stream_fence();

// Whether a vector of `bytes` is past the caches: at least half the last-level cache (the
// ranks' buffers together then cannot stay in it). Below, ordinary stores are faster.
bool past_the_caches(std::size_t bytes);

}  // namespace lp::bench::allreduce
