// The verbs backend's messages: what travels in a pre-posted receive buffer (eager data and
// the rendezvous's control messages) and the key a put needs. Every decoder checks lengths
// and values before anything is trusted: a malformed message is an Error naming both ranks,
// never a read past the buffer or an allocation sized by a peer.
//
// Layout (host byte order: all ranks of a run share one architecture). Every message opens
// with an 8-byte prefix: magic "LV" (u16), kind (u8), 0 (u8), credits (u16), 0 (u16).
//   eager   prefix, tag (u32), payload                       12 bytes + payload
//   rts     prefix, tag (u32), send id (u32), length (u64)   24 bytes
//   cts     prefix, send id, recv id, rkey, status (u32 each), address (u64)   32 bytes
//   credit  prefix                                           8 bytes
#pragma once

#include "transport/transport.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lp::transport::verbs {

enum class Kind : std::uint8_t {
  kEager = 1,   // a whole small message
  kRts = 2,     // request to send: a large message waits for the receiver's buffer
  kCts = 3,     // clear to send: the receiver's buffer (or a refusal) for one rts
  kCredit = 4,  // only returns credits
};

inline constexpr std::uint16_t kWireMagic = 0x564c;  // "LV" on the wire
inline constexpr std::size_t kPrefixSize = 8;
inline constexpr std::size_t kEagerHeaderSize = 12;
inline constexpr std::size_t kRtsSize = 24;
inline constexpr std::size_t kCtsSize = 32;
inline constexpr std::size_t kCreditSize = kPrefixSize;
// The largest header of any kind: a buffer this big holds every control message.
inline constexpr std::size_t kMaxHeaderSize = kCtsSize;

enum class CtsStatus : std::uint32_t {
  kAccepted = 0,  // write into address/rkey, then send the immediate recv id
  kRefused = 1,   // the receive buffer is too small; the message is dropped
};

struct Message {
  Kind kind = Kind::kCredit;
  std::uint16_t credits = 0;   // receive buffers the sender reposted since its last message
  Tag tag = 0;                 // eager, rts
  std::uint64_t length = 0;    // eager: payload bytes; rts: the whole message's length
  std::uint32_t send_id = 0;   // rts, cts: the sender's handle for the message
  std::uint32_t recv_id = 0;   // cts: the receiver's handle, sent back as the immediate
  std::uint32_t rkey = 0;      // cts
  CtsStatus status = CtsStatus::kAccepted;  // cts
  std::uint64_t address = 0;   // cts: where the receive buffer starts
  const char* payload = nullptr;  // eager, after decoding: points into the decoded bytes
};

// The header's size on the wire for `kind` (an eager message's payload follows it).
std::size_t header_size(Kind kind);

// Writes `m`'s header into `out` (at least header_size(m.kind) bytes); returns its size.
std::size_t encode(const Message& m, char* out);

// What a receiver accepts.
struct Limits {
  std::size_t eager_payload = 0;      // the largest eager payload
  std::uint64_t max_message = 0;      // the largest rts length
  std::uint32_t max_credits = 0;      // credits in one message (the receive depth)
};

// Reads `len` bytes that rank `peer` sent to rank `self`. Throws Error naming both ranks
// when they are not one well-formed message within `limits`.
Message decode(const char* in, std::size_t len, const Limits& limits, int self, int peer);

// A registered region as a peer needs it for a put: magic "LVR1", rkey, address, size.
struct RegionKey {
  std::uint64_t address = 0;
  std::uint64_t size = 0;
  std::uint32_t rkey = 0;
};
inline constexpr std::size_t kRegionKeySize = 24;

std::string pack_region(const RegionKey& key);
// Throws Error naming both ranks for a blob that is not a region key (or whose range wraps).
RegionKey unpack_region(std::string_view packed, int self, int peer);

}  // namespace lp::transport::verbs
