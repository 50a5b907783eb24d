// Buffers and request handles the transport may still point at after a level: receives a
// vanished peer never matched, sends to a client that stopped reading. The transport offers
// no cancel, so whatever a level leaves posted is kept here, and a Leftovers object is made
// before the transport and destroyed after it. A run where every peer behaves leaves nothing.
#pragma once

#include <memory>
#include <vector>

namespace lp::bench::rpc {

class Leftovers {
 public:
  template <typename T>
  void keep(std::unique_ptr<T> p) {
    items_.push_back(std::shared_ptr<void>(std::move(p)));
  }
  std::size_t size() const { return items_.size(); }

 private:
  std::vector<std::shared_ptr<void>> items_;
};

}  // namespace lp::bench::rpc
