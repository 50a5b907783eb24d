// The backend factories behind make_transport(). Each backend folder defines its pair.
#pragma once

#include "lightpath/config.h"
#include "transport/transport.h"

namespace lp::transport {

std::unique_ptr<Transport> make_mpi_transport(Bootstrap& boot, const TransportOptions& options);
std::unique_ptr<Transport> make_tcp_transport(Bootstrap& boot, const TransportOptions& options);
#if LP_HAVE_UCX
std::unique_ptr<Transport> make_ucx_transport(Bootstrap& boot, const TransportOptions& options);
#endif
#if LP_HAVE_VERBS
std::unique_ptr<Transport> make_verbs_transport(Bootstrap& boot, const TransportOptions& options);
// Empty when an active RDMA port exists here, else why verbs cannot run.
std::string verbs_unavailable_reason();
#endif

}  // namespace lp::transport
