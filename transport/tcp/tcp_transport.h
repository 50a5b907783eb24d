// The TCP backend's own knob, for callers that need more than make_tcp_transport().
#pragma once

#include "transport/transport.h"

#include <cstddef>

namespace lp::transport::tcp {

// The largest message a rank accepts by default; a frame announcing more is rejected.
inline constexpr std::size_t kDefaultMaxMessage = std::size_t{64} << 30;

std::unique_ptr<Transport> make_tcp_transport(Bootstrap& boot, const TransportOptions& options,
                                              std::size_t max_message);

}  // namespace lp::transport::tcp
