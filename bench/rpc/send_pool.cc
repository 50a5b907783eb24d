#include "bench/rpc/send_pool.h"

#include "core/error.h"

#include <algorithm>

namespace lp::bench::rpc {

int pool_limit(std::size_t capacity) {
  constexpr std::size_t kPoolBytes = std::size_t{16} << 20;
  return static_cast<int>(
      std::clamp<std::size_t>(kPoolBytes / std::max<std::size_t>(capacity, 1), 4, 64));
}

SendPool::SendPool(int peer, std::size_t capacity)
    : peer_(peer), capacity_(capacity), limit_(static_cast<std::size_t>(pool_limit(capacity))) {}

char* SendPool::acquire() {
  if (holding_) return slots_[acquired_].buf.get();
  if (free_.empty()) {
    if (slots_.size() >= limit_) return nullptr;
    // Filler bytes are zeroed once, so no uninitialized memory goes on the wire.
    slots_.push_back(Slot{{}, std::unique_ptr<char[]>(new char[capacity_]()), 0, false});
    free_.push_back(slots_.size() - 1);
  }
  acquired_ = free_.back();
  free_.pop_back();
  holding_ = true;
  return slots_[acquired_].buf.get();
}

bool SendPool::send(transport::Transport& t, transport::Tag tag, std::size_t len,
                    std::int64_t now_ns, bool note) {
  LP_ENFORCE(holding_, "send without acquire");
  LP_ENFORCE_LE(len, capacity_, "send longer than the pool's buffers");
  holding_ = false;
  Slot& s = slots_[acquired_];
  s.started = now_ns;
  s.note = note;
  try {
    t.isend(peer_, tag, s.buf.get(), len, s.req);
  } catch (...) {
    free_.push_back(acquired_);
    throw;
  }
  if (s.req.done) {
    free_.push_back(acquired_);
    return true;
  }
  in_flight_.push_back(acquired_);
  return false;
}

void SendPool::pop_oldest() {
  free_.push_back(in_flight_.front());
  in_flight_.pop_front();
}

}  // namespace lp::bench::rpc
