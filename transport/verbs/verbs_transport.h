// The verbs backend as a Transport: the protocol engine (engine.h) over a Nic. ib_nic.cc
// supplies the libibverbs Nic; tests supply one in memory.
//
// Buffers of large messages (over the eager limit) stay registered with the NIC after the
// message, for the next one (reg_cache.h): keep such buffers allocated while the transport
// lives, or cover them with register_memory() and destroy that region before freeing them.
// Regions must be destroyed before the transport.
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
