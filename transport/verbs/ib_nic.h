// The Nic (nic.h) over libibverbs: one protection domain, a send and a receive completion
// queue shared by all peers, and one RC queue pair per peer, connected with the addresses
// exchanged through the bootstrap (conn_info.h).
#pragma once

#include "transport/transport.h"
#include "transport/verbs/engine.h"
#include "transport/verbs/nic.h"

#include <memory>

namespace lp::transport::verbs {

// Opens the port `options` asks for (ib_device.h) and makes queue pairs for `size` ranks,
// as deep as `config` needs; connect() brings them up.
std::unique_ptr<Nic> make_ib_nic(const TransportOptions& options, int rank, int size,
                                 const EngineConfig& config);

}  // namespace lp::transport::verbs
