#include "transport/verbs/wire.h"

#include "core/error.h"

#include <cstring>

namespace lp::transport::verbs {
namespace {

constexpr std::uint32_t kRegionMagic = 0x3152564cu;  // "LVR1" on the wire

template <typename T>
void put(char* out, std::size_t at, T v) {
  std::memcpy(out + at, &v, sizeof v);
}

template <typename T>
T get(const char* in, std::size_t at) {
  T v;
  std::memcpy(&v, in + at, sizeof v);
  return v;
}

[[noreturn]] void malformed(int self, int peer, std::string_view problem) {
  throw Error(fmt::format("rank {}: malformed verbs message from rank {}: {}", self, peer, problem));
}

}  // namespace

std::size_t header_size(Kind kind) {
  switch (kind) {
    case Kind::kEager: return kEagerHeaderSize;
    case Kind::kRts: return kRtsSize;
    case Kind::kCts: return kCtsSize;
    case Kind::kCredit: return kCreditSize;
  }
  throw Error(fmt::format("unknown verbs message kind {}", static_cast<int>(kind)));
}

std::size_t encode(const Message& m, char* out) {
  put<std::uint16_t>(out, 0, kWireMagic);
  put<std::uint8_t>(out, 2, static_cast<std::uint8_t>(m.kind));
  put<std::uint8_t>(out, 3, 0);
  put<std::uint16_t>(out, 4, m.credits);
  put<std::uint16_t>(out, 6, 0);
  switch (m.kind) {
    case Kind::kEager:
      put<std::uint32_t>(out, 8, m.tag);
      break;
    case Kind::kRts:
      put<std::uint32_t>(out, 8, m.tag);
      put<std::uint32_t>(out, 12, m.send_id);
      put<std::uint64_t>(out, 16, m.length);
      break;
    case Kind::kCts:
      put<std::uint32_t>(out, 8, m.send_id);
      put<std::uint32_t>(out, 12, m.recv_id);
      put<std::uint32_t>(out, 16, m.rkey);
      put<std::uint32_t>(out, 20, static_cast<std::uint32_t>(m.status));
      put<std::uint64_t>(out, 24, m.address);
      break;
    case Kind::kCredit:
      break;
  }
  return header_size(m.kind);
}

Message decode(const char* in, std::size_t len, const Limits& limits, int self, int peer) {
  if (len < kPrefixSize) malformed(self, peer, fmt::format("{} bytes, shorter than a header", len));
  const auto magic = get<std::uint16_t>(in, 0);
  if (magic != kWireMagic) {
    malformed(self, peer, fmt::format("magic {:#06x}, expected {:#06x}", magic, kWireMagic));
  }
  if (get<std::uint8_t>(in, 3) != 0 || get<std::uint16_t>(in, 6) != 0) {
    malformed(self, peer, "reserved header bytes are not zero");
  }
  Message m;
  const auto kind = get<std::uint8_t>(in, 2);
  if (kind < static_cast<std::uint8_t>(Kind::kEager) || kind > static_cast<std::uint8_t>(Kind::kCredit)) {
    malformed(self, peer, fmt::format("unknown kind {}", kind));
  }
  m.kind = static_cast<Kind>(kind);
  m.credits = get<std::uint16_t>(in, 4);
  if (m.credits > limits.max_credits) {
    malformed(self, peer, fmt::format("returns {} credits, more than the {} receive buffers",
                                      m.credits, limits.max_credits));
  }
  const std::size_t need = header_size(m.kind);
  if (m.kind == Kind::kEager ? len < need : len != need) {
    malformed(self, peer, fmt::format("{} bytes for a kind {} message of {}{} bytes", len, kind,
                                      m.kind == Kind::kEager ? "at least " : "", need));
  }
  switch (m.kind) {
    case Kind::kEager:
      m.tag = get<std::uint32_t>(in, 8);
      m.length = len - kEagerHeaderSize;
      m.payload = in + kEagerHeaderSize;
      if (m.length > limits.eager_payload) {
        malformed(self, peer, fmt::format("an eager payload of {} bytes, over the limit of {}",
                                          m.length, limits.eager_payload));
      }
      break;
    case Kind::kRts:
      m.tag = get<std::uint32_t>(in, 8);
      m.send_id = get<std::uint32_t>(in, 12);
      m.length = get<std::uint64_t>(in, 16);
      if (m.length <= limits.eager_payload) {
        malformed(self, peer, fmt::format("a rendezvous for {} bytes, which go eager", m.length));
      }
      if (m.length > limits.max_message) {
        throw Error(fmt::format("rank {}: rank {} sends a {}-byte message over verbs, over this "
                                "rank's limit of {} bytes",
                                self, peer, m.length, limits.max_message));
      }
      break;
    case Kind::kCts: {
      m.send_id = get<std::uint32_t>(in, 8);
      m.recv_id = get<std::uint32_t>(in, 12);
      m.rkey = get<std::uint32_t>(in, 16);
      const auto status = get<std::uint32_t>(in, 20);
      if (status > static_cast<std::uint32_t>(CtsStatus::kRefused)) {
        malformed(self, peer, fmt::format("clear-to-send status {}", status));
      }
      m.status = static_cast<CtsStatus>(status);
      m.address = get<std::uint64_t>(in, 24);
      break;
    }
    case Kind::kCredit:
      break;
  }
  return m;
}

std::string pack_region(const RegionKey& key) {
  std::string out(kRegionKeySize, '\0');
  put<std::uint32_t>(out.data(), 0, kRegionMagic);
  put<std::uint32_t>(out.data(), 4, key.rkey);
  put<std::uint64_t>(out.data(), 8, key.address);
  put<std::uint64_t>(out.data(), 16, key.size);
  return out;
}

RegionKey unpack_region(std::string_view packed, int self, int peer) {
  if (packed.size() != kRegionKeySize || get<std::uint32_t>(packed.data(), 0) != kRegionMagic) {
    throw Error(fmt::format("rank {}: the region key from rank {} is not a verbs region key "
                            "({} bytes)",
                            self, peer, packed.size()));
  }
  RegionKey key;
  key.rkey = get<std::uint32_t>(packed.data(), 4);
  key.address = get<std::uint64_t>(packed.data(), 8);
  key.size = get<std::uint64_t>(packed.data(), 16);
  if (key.address + key.size < key.address) {
    throw Error(fmt::format("rank {}: the region key from rank {} describes a range that wraps "
                            "around ({:#x} + {} bytes)",
                            self, peer, key.address, key.size));
  }
  return key;
}

}  // namespace lp::transport::verbs
