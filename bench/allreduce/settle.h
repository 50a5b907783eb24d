// Ranks leave an all-reduce at different moments, and a rank's transport may still owe its
// peers protocol messages: UCX acknowledges a rendezvous (so the sender's request completes)
// from inside progress, after the receive has already completed. A rank that went straight
// into the bootstrap, which does not drive the transport, would leave its peer waiting
// forever. So results are gathered after a transport barrier, which lets them all go.
#pragma once

#include "transport/transport.h"

#include <string>
#include <string_view>
#include <vector>

namespace lp::bench::allreduce {

inline std::vector<std::string> settle_and_allgather(transport::Transport& t, std::string_view mine) {
  t.barrier();
  return t.bootstrap().allgather(mine);
}

}  // namespace lp::bench::allreduce
