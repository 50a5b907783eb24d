// The rpc benchmark's messages. Every message starts with a small header that the receiver
// validates before it acts on anything (it came from another process): the magic, the length
// it announces against the bytes that arrived, and every size and index against the limits
// of the run. A request or response is its header followed by filler up to the size asked
// for, so sizes on the wire are exactly the sizes the user gave.
//
// Layout (host byte order; all ranks of a run share one architecture):
//   request   32 B: magic "LPRQ" (or "LPRD": the client is done), slot, generation, tokens,
//                   response bytes per token, flags (bit 0: measured, the others zero),
//                   total length (u64)
//   response  16 B: magic "LPRS" (or "LPRE": end of this server's responses), slot,
//                   generation, token index
//   kv        32 B: magic "LPKV" (or "LPKE": end), client rank, slot, generation, tokens,
//                   response bytes per token, total length (u64); for a KV cache sent as a
//                   message the cache follows the header.
#pragma once

#include "transport/transport.h"

#include <cstddef>
#include <cstdint>

namespace lp::bench::rpc {

inline constexpr std::size_t kRequestHeaderSize = 32;
inline constexpr std::size_t kResponseHeaderSize = 16;
inline constexpr std::size_t kKvHeaderSize = 32;
// The largest request, response (per token) or KV cache a run may ask for.
inline constexpr std::size_t kMaxMessageSize = std::size_t{1} << 30;
inline constexpr std::uint32_t kMaxTokens = 1000000;

// What a receiver accepts.
struct WireLimits {
  std::size_t max_request = kMaxMessageSize;
  std::size_t max_response = kMaxMessageSize;
  std::uint32_t max_tokens = kMaxTokens;
  std::size_t kv_payload = 0;  // bytes after a kv header (0: the cache moved by a put)
  int ranks = 0;               // a kv message's client must be a rank of the run
};

struct RequestHeader {
  bool done = false;      // the client's end-of-run marker (all other fields zero)
  bool measured = false;  // intended within the measured window (not warmup)
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::uint32_t tokens = 0;
  std::uint32_t response = 0;  // bytes per token message
  std::uint64_t length = 0;    // the whole message, header included
};

struct ResponseHeader {
  bool end = false;  // the server's end-of-run marker (all other fields zero)
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::uint32_t token = 0;
};

struct KvHeader {
  bool end = false;
  std::uint32_t client = 0;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::uint32_t tokens = 0;
  std::uint32_t response = 0;
  std::uint64_t length = 0;
};

// Each writes its header's wire form into the first bytes of `out`.
void encode_request(const RequestHeader& h, char* out);
void encode_response(const ResponseHeader& h, char* out);
void encode_kv(const KvHeader& h, char* out);

// Each reads `len` received bytes. Throws lp::Error saying what is wrong (a short or
// oversized message, a wrong magic, a length that disagrees with the bytes received, a size
// or count out of limits); the caller adds who sent it.
RequestHeader decode_request(const char* data, std::size_t len, const WireLimits& limits);
ResponseHeader decode_response(const char* data, std::size_t len);
KvHeader decode_kv(const char* data, std::size_t len, const WireLimits& limits);

// The tags of one load level. Each level of a sweep has its own, so nothing left over from one
// level (a late response, a receive a vanished peer never matched) can meet the next.
struct Tags {
  transport::Tag request;
  transport::Tag response;
  transport::Tag kv;
  static Tags for_level(int level) {
    const auto base = static_cast<transport::Tag>(1 + 3 * level);
    return {base, base + 1, base + 2};
  }
};
inline constexpr int kMaxLevels = 1000;

}  // namespace lp::bench::rpc
