// Who this rank sent to: bytes and messages per destination rank. Incremented on every send
// and put by the Transport front end, so every backend counts the same way at one add each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lp::transport {

struct PeerTraffic {
  std::uint64_t bytes = 0;
  std::uint64_t messages = 0;
};

class TrafficCounter {
 public:
  explicit TrafficCounter(int size) : peers_(static_cast<std::size_t>(size)) {}

  void add(int peer, std::size_t bytes) {
    PeerTraffic& p = peers_[static_cast<std::size_t>(peer)];
    p.bytes += bytes;
    p.messages += 1;
  }
  const std::vector<PeerTraffic>& peers() const { return peers_; }
  void reset() { peers_.assign(peers_.size(), PeerTraffic{}); }

 private:
  std::vector<PeerTraffic> peers_;
};

}  // namespace lp::transport
