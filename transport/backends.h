// The backend factories behind make_transport(). Each backend folder defines its pair.
#pragma once

#include "transport/transport.h"

namespace lp::transport {

std::unique_ptr<Transport> make_mpi_transport(Bootstrap& boot, const TransportOptions& options);

}  // namespace lp::transport
