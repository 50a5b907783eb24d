// The TCP transport's frame header decoder and the histogram wire form (both read bytes that
// came from another process).
#include "bench/common/histogram.h"
#include "fuzz/fuzz_target.h"
#include "transport/tcp/tcp_frame.h"

LP_FUZZ_TARGET({
  if (input.size() >= lp::transport::tcp::kFrameHeaderSize) {
    try {
      const auto h = lp::transport::tcp::decode_frame(input.data(), 1 << 20, 0, 1);
      if (h.length > (1u << 20)) __builtin_trap();
    } catch (const lp::Error&) {
    }
  }
  lp::bench::Histogram::deserialize(input);
})
