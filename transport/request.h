// A request handle for an asynchronous operation. The caller owns the storage; a pending
// request must stay at its address until it completes (backends may point at it).
#pragma once

#include <cstddef>
#include <cstdint>

namespace lp::transport {

struct Request {
  // Backend state: what it needs to test for completion. Opaque to callers.
  void* handle = nullptr;
  std::uint64_t cookie = 0;

  int peer = -1;
  std::size_t bytes = 0;  // bytes moved; for a receive, the length that arrived
  bool done = true;       // a default request is complete (nothing to wait for)
  bool pending_put = false;
};

}  // namespace lp::transport
