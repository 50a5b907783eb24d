// What UCX chose for an endpoint: the transport/device of each lane, read from
// ucp_ep_print_info() (UCX has no structured query for it), e.g. "tcp/lo" or "posix/memory".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <ucp/api/ucp.h>

namespace lp::transport::ucx {

// Parses the "lane[N]: IDX:TL/DEV ..." lines of ucp_ep_print_info output; distinct, in order.
std::vector<std::string> parse_lanes(std::string_view ep_info);

// The lanes of a live endpoint.
std::vector<std::string> endpoint_lanes(ucp_ep_h ep);

}  // namespace lp::transport::ucx
