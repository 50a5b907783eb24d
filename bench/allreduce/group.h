// The ranks that run one all-reduce together, addressed by their index in the group: the
// whole job, the ranks of one host, or one leader per host. Each group has its own range of
// tags, so the levels of a hierarchy never take each other's messages.
#pragma once

#include "transport/transport.h"

#include <vector>

namespace lp::bench::allreduce {

using transport::Request;
using transport::Tag;

// Tags an algorithm may use within a group: [0, kGroupTags).
inline constexpr Tag kGroupTags = Tag{1} << 20;

class Group {
 public:
  // `members` are transport ranks, in the group's order; this rank must be one of them.
  // `slot` picks the group's tag range (slot * kGroupTags ...); slots below 16.
  Group(transport::Transport& t, std::vector<int> members, unsigned slot);
  // Every rank of the transport, in rank order, in tag slot 0.
  static Group world(transport::Transport& t);

  int size() const { return static_cast<int>(members_.size()); }
  int index() const { return index_; }
  int rank_of(int index) const { return members_[static_cast<std::size_t>(index)]; }
  const std::vector<int>& members() const { return members_; }
  transport::Transport& transport() const { return *t_; }

  void isend(int to, Tag tag, const void* buf, std::size_t len, Request& r) const {
    t_->isend(rank_of(to), base_ + tag, buf, len, r);
  }
  void irecv(int from, Tag tag, void* buf, std::size_t len, Request& r) const {
    t_->irecv(rank_of(from), base_ + tag, buf, len, r);
  }
  bool test(Request& r) const { return t_->test(r); }
  void wait(Request& r) const { t_->wait(r); }
  void wait_all(Request* r, std::size_t n) const { t_->wait_all(r, n); }

 private:
  transport::Transport* t_;
  std::vector<int> members_;
  int index_ = -1;
  Tag base_ = 0;
};

}  // namespace lp::bench::allreduce
