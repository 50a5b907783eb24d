// TCP rendezvous: a star around rank 0, in the spirit of perftest's out-of-band exchange.
// Wire format (all integers little-endian u32): a client sends the magic, rank 0 answers with
// the client's rank and the group size; afterwards every message is a length-prefixed blob.
// Lengths are bounded (kMaxBlob) so a stray peer cannot make us allocate without limit.
#include "core/error.h"
#include "transport/bootstrap.h"
#include "transport/socket.h"

#include <algorithm>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cstdio>
#include <cstdint>
#include <cstring>

namespace lp::transport {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::array<char, 8> kMagic = {'L', 'P', 'B', 'O', 'O', 'T', '1', '\n'};
constexpr std::uint32_t kMaxBlob = 64u << 20;

std::uint32_t recv_u32(const Socket& s, Clock::time_point deadline) {
  std::uint32_t v = 0;
  recv_all(s, &v, sizeof v, deadline);
  return v;
}
// Length and payload leave in one write: two small writes would meet Nagle's algorithm and the
// peer's delayed ACK (tens of milliseconds per exchange).
void send_blob(const Socket& s, std::string_view b, Clock::time_point deadline) {
  const auto len = static_cast<std::uint32_t>(b.size());
  std::string frame(sizeof len + b.size(), '\0');
  std::memcpy(frame.data(), &len, sizeof len);
  if (!b.empty()) std::memcpy(frame.data() + sizeof len, b.data(), b.size());
  send_all(s, frame.data(), frame.size(), deadline);
}
std::string recv_blob(const Socket& s, Clock::time_point deadline) {
  const std::uint32_t len = recv_u32(s, deadline);
  if (len > kMaxBlob) throw Error(fmt::format("bootstrap: a peer announced {} bytes (limit {})", len, kMaxBlob));
  std::string b(len, '\0');
  recv_all(s, b.data(), len, deadline);
  return b;
}

class TcpBootstrap final : public Bootstrap {
 public:
  TcpBootstrap(int rank, int size, std::vector<Socket> peers, Socket root,
               std::chrono::milliseconds timeout)
      : rank_(rank), size_(size), peers_(std::move(peers)), root_(std::move(root)), timeout_(timeout) {}

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string kind() const override { return "tcp"; }

  std::vector<std::string> allgather(std::string_view mine) override {
    LP_ENFORCE_LE(mine.size(), static_cast<std::size_t>(kMaxBlob), "bootstrap blob too large");
    const auto deadline = Clock::now() + timeout_;
    std::vector<std::string> all(static_cast<std::size_t>(size_));
    int peer = 0;  // who the exchange was waiting on, for the message
    try {
      if (rank_ == 0) {
        all[0] = std::string(mine);
        for (peer = 1; peer < size_; ++peer) all[peer] = recv_blob(peers_[peer], deadline);
        for (peer = 1; peer < size_; ++peer) {
          for (const std::string& b : all) send_blob(peers_[peer], b, deadline);
        }
      } else {
        send_blob(root_, mine, deadline);
        for (std::string& b : all) b = recv_blob(root_, deadline);
      }
    } catch (const Error& e) {
      throw PeerLost(peer, fmt::format("rank {}: lost rank {}: the TCP bootstrap exchange with it failed: {}",
                                       rank_, peer, e.what()));
    }
    return all;
  }

  void barrier() override { allgather({}); }

  void check_peers() override {
    if (rank_ == 0) {
      for (int r = 1; r < size_; ++r) check(peers_[r], r);
    } else {
      check(root_, 0);
    }
  }

 private:
  // A connection that reports end of file or an error belongs to a rank that is gone. Data
  // waiting to be read (an exchange that started early) is left where it is.
  void check(const Socket& s, int peer) const {
    pollfd p{s.fd(), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return;
    char byte = 0;
    const bool gone = (p.revents & (POLLERR | POLLHUP)) != 0 ||
                      ((p.revents & POLLIN) != 0 && ::recv(s.fd(), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0);
    if (gone) {
      throw PeerLost(peer, fmt::format("rank {}: lost rank {}: its connection to the TCP rendezvous closed "
                                       "(the process ended)", rank_, peer));
    }
  }

  int rank_;
  int size_;
  std::vector<Socket> peers_;  // rank 0: a connection to every other rank
  Socket root_;                // other ranks: the connection to rank 0
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<Bootstrap> make_tcp_bootstrap_listen(std::string_view listen, int size,
                                                     std::chrono::milliseconds timeout) {
  if (size < 1) throw InputError(fmt::format("--listen: the group needs at least 1 rank, not {}", size));
  const Endpoint ep = parse_endpoint(listen, "--listen");
  Socket listener = listen_on(ep);
  const Endpoint bound = local_endpoint(listener);
  std::fprintf(stderr, "lightpath: listening on %s:%s for %d peer(s)\n", bound.host.c_str(),
               bound.port.c_str(), size - 1);
  const auto deadline = Clock::now() + timeout;
  std::vector<Socket> peers(static_cast<std::size_t>(size));
  for (int r = 1; r < size; ++r) {
    Socket s;
    try {
      s = accept_until(listener, deadline);
    } catch (const Error&) {
      throw PeerLost(r, fmt::format("--listen {}:{}: {} of {} peer(s) connected within {} ms", bound.host,
                                    bound.port, r - 1, size - 1, timeout.count()));
    }
    std::array<char, kMagic.size()> magic{};
    try {
      // A silent connection gets a few seconds, not the whole start-up window.
      recv_all(s, magic.data(), magic.size(), std::min(deadline, Clock::now() + std::chrono::seconds(5)));
    } catch (const Error&) {
      --r;  // a connection that never said who it was: drop it, keep waiting
      continue;
    }
    if (magic != kMagic) {
      std::fprintf(stderr, "lightpath: dropped a connection that is not a lightpath peer\n");
      --r;
      continue;
    }
    set_nodelay(s);
    const std::array<std::uint32_t, 2> welcome = {static_cast<std::uint32_t>(r),
                                                   static_cast<std::uint32_t>(size)};
    send_all(s, welcome.data(), sizeof welcome, deadline);
    peers[r] = std::move(s);
  }
  return std::make_unique<TcpBootstrap>(0, size, std::move(peers), Socket{}, timeout);
}

std::unique_ptr<Bootstrap> make_tcp_bootstrap_connect(std::string_view connect,
                                                      std::chrono::milliseconds timeout) {
  const Endpoint ep = parse_endpoint(connect, "--connect");
  const auto deadline = Clock::now() + timeout;
  Socket s = connect_to(ep, deadline);
  set_nodelay(s);
  send_all(s, kMagic.data(), kMagic.size(), deadline);
  const std::uint32_t rank = recv_u32(s, deadline);
  const std::uint32_t size = recv_u32(s, deadline);
  if (size < 2 || size > (1u << 20) || rank == 0 || rank >= size) {
    throw Error(fmt::format("--connect {}: the listener sent rank {} of {}; is it lightpath?", connect, rank, size));
  }
  return std::make_unique<TcpBootstrap>(static_cast<int>(rank), static_cast<int>(size),
                                        std::vector<Socket>{}, std::move(s), timeout);
}

}  // namespace lp::transport
