// RAII owners for the UCP handles the UCX backend holds, and the one place UCS status codes
// become exceptions.
#pragma once

#include "core/error.h"

#include <ucp/api/ucp.h>

#include <memory>
#include <string_view>

namespace lp::transport::ucx {

inline void check(ucs_status_t status, std::string_view call) {
  if (status != UCS_OK) {
    throw Error(fmt::format("{} failed: {}", call, ucs_status_string(status)));
  }
}

struct ConfigDeleter {
  void operator()(ucp_config_t* c) const { ucp_config_release(c); }
};
struct ContextDeleter {
  void operator()(ucp_context_h c) const { ucp_cleanup(c); }
};
struct WorkerDeleter {
  void operator()(ucp_worker_h w) const { ucp_worker_destroy(w); }
};
struct RkeyDeleter {
  void operator()(ucp_rkey_h k) const { ucp_rkey_destroy(k); }
};
struct RkeyBufferDeleter {
  void operator()(void* b) const { ucp_rkey_buffer_release(b); }
};

using ConfigPtr = std::unique_ptr<ucp_config_t, ConfigDeleter>;
using ContextPtr = std::unique_ptr<std::remove_pointer_t<ucp_context_h>, ContextDeleter>;
using WorkerPtr = std::unique_ptr<std::remove_pointer_t<ucp_worker_h>, WorkerDeleter>;
using RkeyPtr = std::unique_ptr<std::remove_pointer_t<ucp_rkey_h>, RkeyDeleter>;
using RkeyBufferPtr = std::unique_ptr<void, RkeyBufferDeleter>;

// A worker's address: released through the worker that made it.
class WorkerAddress {
 public:
  explicit WorkerAddress(ucp_worker_h worker) : worker_(worker) {
    check(ucp_worker_get_address(worker, &address_, &length_), "ucp_worker_get_address");
  }
  ~WorkerAddress() { ucp_worker_release_address(worker_, address_); }
  WorkerAddress(const WorkerAddress&) = delete;
  WorkerAddress& operator=(const WorkerAddress&) = delete;

  std::string_view bytes() const {
    return {reinterpret_cast<const char*>(address_), length_};
  }

 private:
  ucp_worker_h worker_;
  ucp_address_t* address_ = nullptr;
  std::size_t length_ = 0;
};

}  // namespace lp::transport::ucx
