// The verbs backend as a Transport: the protocol engine (engine.h) over a Nic. ib_nic.cc
// supplies the libibverbs Nic; tests supply one in memory.
#pragma once

#include "transport/transport.h"
#include "transport/verbs/engine.h"
#include "transport/verbs/nic.h"

#include <memory>

namespace lp::transport::verbs {

// Posts the receives, connects `nic` through `boot` and returns the transport. `nic` is
// made for this rank of `boot` with queues as deep as `config` asks.
std::unique_ptr<Transport> make_verbs_transport(Bootstrap& boot, const TransportOptions& options,
                                                std::unique_ptr<Nic> nic,
                                                const EngineConfig& config);

}  // namespace lp::transport::verbs
