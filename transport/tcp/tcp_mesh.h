// Sets up the TCP backend's full mesh through the bootstrap: every rank listens on an
// ephemeral port of its own host address, the addresses are all-gathered, and the lower
// rank of each pair connects to the higher one and introduces itself.
#pragma once

#include "transport/bootstrap.h"
#include "transport/socket.h"

#include <chrono>
#include <vector>

namespace lp::transport::tcp {

struct Mesh {
  std::vector<Socket> peers;  // by rank; this rank's own slot stays invalid
  std::string address;        // "HOST:PORT" this rank listened on
};

// Connected, non-blocking, TCP_NODELAY sockets to every other rank. Throws Error (PeerLost
// when a rank does not show up) within `timeout`.
Mesh connect_mesh(Bootstrap& boot, std::chrono::milliseconds timeout);

// Names the interface whose IPv4 address the tcp transport listens on, for hosts with several
// networks (a lab host has a management and a fabric interface: `lightpath lab exec` sets it).
inline constexpr const char* kInterfaceVariable = "LP_TCP_IFNAME";

// The address this host is reached at: 127.0.0.1 for ranks that are threads of one process;
// else the IPv4 address of the interface named by LP_TCP_IFNAME (InputError when it has none);
// else the first non-loopback IPv4 address that is up (127.0.0.1 when there is none).
std::string host_address(const Bootstrap& boot);

}  // namespace lp::transport::tcp
