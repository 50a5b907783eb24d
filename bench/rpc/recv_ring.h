// A fixed number of receives kept posted on one (peer, tag). The transport completes them in
// the order they were posted (transport.h), so only the oldest needs testing: a poll costs one
// test per peer however many receives are posted.
//
// At the end of a level the sender sends exactly depth() end markers and the receiver stops
// reposting after the first, so a ring ends with nothing posted (ring_depth() gives both ends
// the same depth).
#pragma once

#include "transport/transport.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace lp::bench::rpc {

// How many receives a ring of `capacity`-byte buffers keeps posted: 8, fewer for large
// messages (at least 2) so a ring stays near 8 MiB.
int ring_depth(std::size_t capacity);

class RecvRing {
 public:
  RecvRing(int peer, transport::Tag tag, std::size_t capacity);
  RecvRing(const RecvRing&) = delete;
  RecvRing& operator=(const RecvRing&) = delete;

  int peer() const { return peer_; }
  int depth() const { return depth_; }
  int posted() const { return posted_; }
  bool draining() const { return draining_; }

  void post_all(transport::Transport& t);
  // The oldest posted receive, or nullptr when none is.
  transport::Request* head() { return posted_ > 0 ? &reqs_[head_] : nullptr; }
  const char* head_data() const { return buf_.get() + static_cast<std::size_t>(head_) * capacity_; }
  // Consumes the oldest (read its data first). With `repost` its buffer is posted again as
  // the newest; once a ring stops reposting it never starts again.
  void pop(transport::Transport& t, bool repost);

 private:
  int peer_;
  transport::Tag tag_;
  std::size_t capacity_;
  int depth_;
  std::vector<transport::Request> reqs_;  // never resized: the transport points at them
  std::unique_ptr<char[]> buf_;
  int head_ = 0;
  int posted_ = 0;
  bool draining_ = false;
};

}  // namespace lp::bench::rpc
