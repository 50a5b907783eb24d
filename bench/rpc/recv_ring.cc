#include "bench/rpc/recv_ring.h"

#include "core/error.h"

#include <algorithm>

namespace lp::bench::rpc {

int ring_depth(std::size_t capacity) {
  constexpr std::size_t kRingBytes = std::size_t{8} << 20;
  return static_cast<int>(
      std::clamp<std::size_t>(kRingBytes / std::max<std::size_t>(capacity, 1), 2, 8));
}

RecvRing::RecvRing(int peer, transport::Tag tag, std::size_t capacity)
    : peer_(peer),
      tag_(tag),
      capacity_(capacity),
      depth_(ring_depth(capacity)),
      reqs_(static_cast<std::size_t>(depth_)),
      buf_(new char[static_cast<std::size_t>(depth_) * capacity]) {}

void RecvRing::post_all(transport::Transport& t) {
  LP_ENFORCE_EQ(posted_, 0, "a ring is posted once");
  for (int i = 0; i < depth_; ++i) {
    t.irecv(peer_, tag_, buf_.get() + static_cast<std::size_t>(i) * capacity_, capacity_, reqs_[i]);
    ++posted_;
  }
}

void RecvRing::pop(transport::Transport& t, bool repost) {
  LP_ENFORCE(posted_ > 0, "pop from an empty ring");
  const int i = head_;
  head_ = (head_ + 1) % depth_;
  --posted_;
  if (!repost) {
    draining_ = true;
    return;
  }
  LP_ENFORCE(!draining_, "a draining ring cannot repost");
  // Counted as posted before irecv, which may complete at once from an unexpected message.
  ++posted_;
  t.irecv(peer_, tag_, buf_.get() + static_cast<std::size_t>(i) * capacity_, capacity_, reqs_[i]);
}

}  // namespace lp::bench::rpc
