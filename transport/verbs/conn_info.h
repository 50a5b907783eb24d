// What one rank tells every other, through the bootstrap's allgather, to connect its RC
// queue pairs: its port's address (LID, GID, link layer, active MTU) and, for each peer, the
// number and first packet sequence number of the queue pair it made for that peer.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lp::transport::verbs {

enum class LinkLayer : std::uint8_t { kInfiniBand = 1, kEthernet = 2 };

struct QpAddress {
  std::uint32_t qpn = 0;  // 24 bits
  std::uint32_t psn = 0;  // 24 bits
};

struct ConnInfo {
  std::uint16_t lid = 0;
  LinkLayer link_layer = LinkLayer::kInfiniBand;
  std::uint8_t mtu = 0;                  // the port's active MTU, an ibv_mtu code (1..5)
  bool has_gid = false;                  // false: routed by LID alone (InfiniBand)
  std::array<std::uint8_t, 16> gid{};
  std::vector<QpAddress> qps;            // by peer rank; the sender's own slot is zero
};

std::string encode_conn_info(const ConnInfo& info);

// Reads the blob rank `from` contributed, at rank `self` of a run of `ranks`. Throws Error
// naming both ranks when it is malformed or made for a different number of ranks.
ConnInfo decode_conn_info(std::string_view blob, int ranks, int self, int from);

}  // namespace lp::transport::verbs
