// Send buffers for one destination. A message's header differs per message, so each send in
// flight needs its own buffer; the pool grows on demand up to `limit` (never allocating once
// warm) and keeps the sends in flight in the order they started. Sends to one peer complete
// in that order in practice, so testing the oldest is enough; one that completes out of order
// only returns its buffer a little later.
#pragma once

#include "transport/transport.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace lp::bench::rpc {

// How many sends of `capacity` bytes a pool keeps in flight at most: 64, fewer for large
// messages (at least 4) so a pool stays near 16 MiB.
int pool_limit(std::size_t capacity);

class SendPool {
 public:
  SendPool(int peer, std::size_t capacity);
  SendPool(const SendPool&) = delete;
  SendPool& operator=(const SendPool&) = delete;

  int peer() const { return peer_; }
  // A free buffer for the next send, or nullptr when the limit is in flight.
  char* acquire();
  // Sends the buffer acquire() returned; `note` is the caller's, handed back by oldest_note().
  // Returns true when it completed at once (its buffer is free again), false when it is in
  // flight.
  bool send(transport::Transport& t, transport::Tag tag, std::size_t len, std::int64_t now_ns,
            bool note = false);

  bool idle() const { return in_flight_.empty(); }
  // Every buffer is in flight: acquire() would return nullptr.
  bool full() const { return !holding_ && free_.empty() && slots_.size() >= limit_; }
  std::size_t in_flight() const { return in_flight_.size(); }
  transport::Request& oldest() { return slots_[in_flight_.front()].req; }
  std::int64_t oldest_started() const { return slots_[in_flight_.front()].started; }
  bool oldest_note() const { return slots_[in_flight_.front()].note; }
  void pop_oldest();

 private:
  struct Slot {
    transport::Request req;
    std::unique_ptr<char[]> buf;
    std::int64_t started = 0;
    bool note = false;
  };
  int peer_;
  std::size_t capacity_;
  std::size_t limit_;
  std::deque<Slot> slots_;  // grows at the back only: the transport points at its requests
  std::vector<std::size_t> free_;
  std::deque<std::size_t> in_flight_;
  std::size_t acquired_ = 0;
  bool holding_ = false;
};

}  // namespace lp::bench::rpc
