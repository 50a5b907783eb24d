// RAII owners for the libibverbs handles the verbs backend holds, and the one place their
// return codes become exceptions. Most verbs calls report failure by returning a positive
// errno (ibv_modify_qp, ibv_post_send, ibv_destroy_*, ibv_dereg_mr); the others return NULL
// or -1 and set errno.
#pragma once

#include "core/error.h"

#include <infiniband/verbs.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

namespace lp::transport::verbs::ib {

// For calls that return 0 or a positive errno.
inline void check_rc(int rc, std::string_view call) {
  if (rc != 0) {
    throw Error(fmt::format("{} failed: {}", call, std::strerror(rc > 0 ? rc : errno)));
  }
}

// For destructors: logs instead of throwing.
inline void log_rc(int rc, std::string_view call) noexcept {
  if (rc != 0) log_destructor_error(call, std::strerror(rc > 0 ? rc : errno));
}

struct DeviceListDeleter {
  void operator()(ibv_device** list) const { ibv_free_device_list(list); }
};
struct ContextDeleter {
  void operator()(ibv_context* c) const { log_rc(ibv_close_device(c), "ibv_close_device"); }
};
struct PdDeleter {
  void operator()(ibv_pd* pd) const { log_rc(ibv_dealloc_pd(pd), "ibv_dealloc_pd"); }
};
struct CqDeleter {
  void operator()(ibv_cq* cq) const { log_rc(ibv_destroy_cq(cq), "ibv_destroy_cq"); }
};
struct QpDeleter {
  void operator()(ibv_qp* qp) const { log_rc(ibv_destroy_qp(qp), "ibv_destroy_qp"); }
};
struct MrDeleter {
  void operator()(ibv_mr* mr) const { log_rc(ibv_dereg_mr(mr), "ibv_dereg_mr"); }
};

using DeviceListPtr = std::unique_ptr<ibv_device*, DeviceListDeleter>;
using ContextPtr = std::unique_ptr<ibv_context, ContextDeleter>;
using PdPtr = std::unique_ptr<ibv_pd, PdDeleter>;
using CqPtr = std::unique_ptr<ibv_cq, CqDeleter>;
using QpPtr = std::unique_ptr<ibv_qp, QpDeleter>;
using MrPtr = std::unique_ptr<ibv_mr, MrDeleter>;

}  // namespace lp::transport::verbs::ib
