// A first-in first-out queue that stops allocating once warm: a vector and a read index,
// reset when drained, compacted when the consumed prefix dominates.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace lp::transport::tcp {

template <typename T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  T& front() { return items_[head_]; }
  void push(T item) { items_.push_back(std::move(item)); }
  void pop() {
    ++head_;
    if (head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= 64 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace lp::transport::tcp
