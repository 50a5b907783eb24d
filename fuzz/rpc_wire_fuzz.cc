// The rpc benchmark's message headers and the per-rank results blob: bytes that came from
// another process.
#include "bench/rpc/results.h"
#include "bench/rpc/wire.h"
#include "fuzz/fuzz_target.h"

namespace rpc = lp::bench::rpc;

LP_FUZZ_TARGET({
  rpc::WireLimits limits;
  limits.max_request = 1 << 16;
  limits.max_response = 1 << 12;
  limits.max_tokens = 64;
  limits.kv_payload = input.size() > rpc::kKvHeaderSize ? input.size() - rpc::kKvHeaderSize : 0;
  limits.ranks = 8;
  try {
    const rpc::RequestHeader h = rpc::decode_request(input.data(), input.size(), limits);
    if (h.length != input.size()) __builtin_trap();
    if (!h.done && (h.tokens < 1 || h.tokens > 64 || h.response > (1u << 12))) __builtin_trap();
  } catch (const lp::Error&) {
  }
  try {
    rpc::decode_response(input.data(), input.size());
  } catch (const lp::Error&) {
  }
  try {
    const rpc::KvHeader h = rpc::decode_kv(input.data(), input.size(), limits);
    if (!h.end && h.client >= 8) __builtin_trap();
  } catch (const lp::Error&) {
  }
  rpc::RankResults::deserialize(input);
})
