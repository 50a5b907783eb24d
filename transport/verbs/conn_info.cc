#include "transport/verbs/conn_info.h"

#include "core/error.h"

#include <cstring>

namespace lp::transport::verbs {
namespace {

constexpr std::uint32_t kConnMagic = 0x3143564cu;  // "LVC1" on the wire
// magic (u32), lid (u16), link layer (u8), mtu (u8), has_gid (u8), 3 zero bytes, gid (16),
// count (u32), then count * (qpn u32, psn u32).
constexpr std::size_t kFixedSize = 32;
constexpr std::uint32_t kMax24 = (1u << 24) - 1;

template <typename T>
T get(std::string_view in, std::size_t at) {
  T v;
  std::memcpy(&v, in.data() + at, sizeof v);
  return v;
}

}  // namespace

std::string encode_conn_info(const ConnInfo& info) {
  std::string out(kFixedSize + 8 * info.qps.size(), '\0');
  char* p = out.data();
  const auto count = static_cast<std::uint32_t>(info.qps.size());
  const auto link = static_cast<std::uint8_t>(info.link_layer);
  const std::uint8_t has_gid = info.has_gid ? 1 : 0;
  std::memcpy(p, &kConnMagic, 4);
  std::memcpy(p + 4, &info.lid, 2);
  std::memcpy(p + 6, &link, 1);
  std::memcpy(p + 7, &info.mtu, 1);
  std::memcpy(p + 8, &has_gid, 1);
  std::memcpy(p + 12, info.gid.data(), 16);
  std::memcpy(p + 28, &count, 4);
  for (std::size_t i = 0; i < info.qps.size(); ++i) {
    std::memcpy(p + kFixedSize + 8 * i, &info.qps[i].qpn, 4);
    std::memcpy(p + kFixedSize + 8 * i + 4, &info.qps[i].psn, 4);
  }
  return out;
}

ConnInfo decode_conn_info(std::string_view blob, int ranks, int self, int from) {
  const auto bad = [&](std::string_view problem) {
    return Error(fmt::format("rank {}: the verbs connection info from rank {} is malformed: {}",
                             self, from, problem));
  };
  if (blob.size() < kFixedSize || get<std::uint32_t>(blob, 0) != kConnMagic) {
    throw bad(fmt::format("{} bytes without the LVC1 header", blob.size()));
  }
  ConnInfo info;
  info.lid = get<std::uint16_t>(blob, 4);
  const auto link = get<std::uint8_t>(blob, 6);
  if (link != static_cast<std::uint8_t>(LinkLayer::kInfiniBand) &&
      link != static_cast<std::uint8_t>(LinkLayer::kEthernet)) {
    throw bad(fmt::format("link layer {}", link));
  }
  info.link_layer = static_cast<LinkLayer>(link);
  info.mtu = get<std::uint8_t>(blob, 7);
  if (info.mtu < 1 || info.mtu > 5) throw bad(fmt::format("MTU code {}", info.mtu));
  const auto has_gid = get<std::uint8_t>(blob, 8);
  if (has_gid > 1) throw bad(fmt::format("GID flag {}", has_gid));
  info.has_gid = has_gid == 1;
  std::memcpy(info.gid.data(), blob.data() + 12, 16);
  const auto count = get<std::uint32_t>(blob, 28);
  if (count != static_cast<std::uint32_t>(ranks)) {
    throw Error(fmt::format("rank {}: rank {} made verbs queue pairs for {} ranks, this run has "
                            "{}",
                            self, from, count, ranks));
  }
  if (blob.size() != kFixedSize + std::size_t{8} * count) {
    throw bad(fmt::format("{} bytes for {} queue pairs", blob.size(), count));
  }
  info.qps.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    QpAddress& q = info.qps[i];
    q.qpn = get<std::uint32_t>(blob, kFixedSize + 8 * i);
    q.psn = get<std::uint32_t>(blob, kFixedSize + 8 * i + 4);
    if (q.qpn > kMax24 || q.psn > kMax24) {
      throw bad(fmt::format("queue pair {} has number {:#x} and PSN {:#x} (24 bits each)", i, q.qpn,
                            q.psn));
    }
  }
  return info;
}

}  // namespace lp::transport::verbs
