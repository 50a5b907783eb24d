#include "transport/tcp/tcp_mesh.h"

#include "core/error.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace lp::transport::tcp {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint32_t kHelloMagic = 0x4d50504cu;  // "LPPM"

}  // namespace

std::string host_address(const Bootstrap& boot) {
  if (boot.kind() == "threads") return "127.0.0.1";
  const char* wanted = std::getenv(kInterfaceVariable);
  const bool named = wanted != nullptr && *wanted != '\0';
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) {
    if (named) throw Error(fmt::format("{}={}: cannot list interfaces", kInterfaceVariable, wanted));
    return "127.0.0.1";
  }
  std::string found;
  for (ifaddrs* a = list; a && found.empty(); a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || !(a->ifa_flags & IFF_UP)) continue;
    if (named ? std::strcmp(a->ifa_name, wanted) != 0 : (a->ifa_flags & IFF_LOOPBACK) != 0) continue;
    char text[INET_ADDRSTRLEN];
    const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
    if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) found = text;
  }
  ::freeifaddrs(list);
  if (found.empty() && named) {
    throw InputError(fmt::format("{}: no interface '{}' that is up with an IPv4 address here",
                                 kInterfaceVariable, wanted));
  }
  return found.empty() ? "127.0.0.1" : found;
}

Mesh connect_mesh(Bootstrap& boot, std::chrono::milliseconds timeout) {
  const int me = boot.rank();
  const int n = boot.size();
  const auto deadline = Clock::now() + timeout;
  Socket listener = listen_on(Endpoint{host_address(boot), "0"}, n);
  const Endpoint bound = local_endpoint(listener);
  Mesh mesh;
  mesh.address = bound.host + ":" + bound.port;
  const std::vector<std::string> addresses = boot.allgather(mesh.address);
  mesh.peers.resize(static_cast<std::size_t>(n));

  // Connecting needs no accept on the other side (the kernel's backlog completes it), so
  // every rank connects upward first and accepts afterwards without deadlock.
  for (int p = me + 1; p < n; ++p) {
    Socket s = connect_to(parse_endpoint(addresses[p], "tcp transport peer address"), deadline);
    const std::array<std::uint32_t, 2> hello = {kHelloMagic, static_cast<std::uint32_t>(me)};
    send_all(s, hello.data(), sizeof hello, deadline);
    mesh.peers[p] = std::move(s);
  }
  for (int accepted = 0; accepted < me; ++accepted) {
    Socket s;
    try {
      s = accept_until(listener, deadline);
    } catch (const Error& e) {
      throw PeerLost(-1, fmt::format("rank {}: only {} of the {} lower ranks connected over tcp "
                                     "within {} ms: {}",
                                     me, accepted, me, timeout.count(), e.what()));
    }
    std::array<std::uint32_t, 2> hello{};
    recv_all(s, hello.data(), sizeof hello, deadline);
    const auto from = static_cast<int>(hello[1]);
    if (hello[0] != kHelloMagic || from >= me || mesh.peers[from].valid()) {
      throw Error(fmt::format("rank {}: a connection on {} is not a lower lightpath rank of this "
                              "run (introduced itself as rank {})",
                              me, mesh.address, hello[1]));
    }
    mesh.peers[from] = std::move(s);
  }
  for (const Socket& s : mesh.peers) {
    if (!s.valid()) continue;
    set_nonblocking(s);
    set_nodelay(s);
  }
  return mesh;
}

}  // namespace lp::transport::tcp
