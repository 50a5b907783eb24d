// Operations in flight, named by a small integer that travels on the wire (a rendezvous's
// send and receive ids) or in a work request id. Ids are reused once freed; find() checks
// an id a peer sent back before it is trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace lp::transport::verbs {

template <typename T>
class SlotMap {
 public:
  std::uint32_t add(T value) {
    if (free_.empty()) {
      slots_.emplace_back(std::move(value));
      return static_cast<std::uint32_t>(slots_.size() - 1);
    }
    const std::uint32_t id = free_.back();
    free_.pop_back();
    slots_[id].emplace(std::move(value));
    return id;
  }
  // Null for an id that is not in use.
  T* find(std::uint32_t id) {
    if (id >= slots_.size() || !slots_[id]) return nullptr;
    return &*slots_[id];
  }
  void erase(std::uint32_t id) {
    slots_[id].reset();
    free_.push_back(id);
  }

 private:
  std::vector<std::optional<T>> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace lp::transport::verbs
