#include "lab/probe.h"

#include "core/error.h"
#include "lab/namespaces.h"

#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace lp::lab {
namespace {

using Clock = std::chrono::steady_clock;

std::uint16_t checksum(const void* data, std::size_t len) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < len; i += 2) sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
  if (len % 2) sum += static_cast<std::uint32_t>(p[len - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons(static_cast<std::uint16_t>(~sum));
}

sockaddr_in address_of(const std::string& dotted) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  ::inet_pton(AF_INET, dotted.c_str(), &a.sin_addr);
  return a;
}

// A raw ICMP socket made inside `netns`, bound to `source`.
class IcmpSocket {
 public:
  IcmpSocket(const std::string& netns, const std::string& source) {
    const NetnsScope inside(netns);
    fd_ = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd_ < 0) throw Error(fmt::format("{}: raw ICMP socket: {}", netns, std::strerror(errno)));
    const sockaddr_in a = address_of(source);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      const int saved = errno;
      ::close(fd_);
      throw Error(fmt::format("{}: bind ICMP socket to {}: {}", netns, source, std::strerror(saved)));
    }
  }
  IcmpSocket(IcmpSocket&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  IcmpSocket(const IcmpSocket&) = delete;
  IcmpSocket& operator=(const IcmpSocket&) = delete;
  ~IcmpSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

void send_echo(const IcmpSocket& s, const std::string& to, std::uint16_t id, std::uint16_t seq) {
  icmphdr h{};
  h.type = ICMP_ECHO;
  h.un.echo.id = htons(id);
  h.un.echo.sequence = htons(seq);
  h.checksum = checksum(&h, sizeof h);
  const sockaddr_in a = address_of(to);
  // A full socket buffer only delays this echo to the next round.
  (void)::sendto(s.fd(), &h, sizeof h, 0, reinterpret_cast<const sockaddr*>(&a), sizeof a);
}

}  // namespace

std::vector<std::pair<int, int>> unreachable_blocks(const Plan& plan, std::chrono::milliseconds timeout) {
  const auto& blocks = plan.blocks();
  const std::size_t n = blocks.size();
  std::vector<IcmpSocket> sockets;
  for (const BlockPlan& b : blocks) sockets.emplace_back(b.netns, b.gateway);
  const auto id = static_cast<std::uint16_t>(::getpid());
  // answered[i * n + j]: block j answered block i. The sequence number is i * n + j.
  std::vector<char> answered(n * n, 0);
  std::size_t missing = n * (n - 1);
  const auto deadline = Clock::now() + timeout;
  auto next_round = Clock::now();
  while (missing > 0 && Clock::now() < deadline) {
    if (Clock::now() >= next_round) {
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
          if (i != j && !answered[i * n + j]) {
            send_echo(sockets[i], blocks[j].gateway, id, static_cast<std::uint16_t>(i * n + j));
          }
        }
      }
      next_round = Clock::now() + std::chrono::milliseconds(100);
    }
    std::vector<pollfd> fds;
    for (const IcmpSocket& s : sockets) fds.push_back({s.fd(), POLLIN, 0});
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::min(next_round, deadline) - Clock::now());
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait.count()))) < 0 &&
        errno != EINTR) {
      throw Error(fmt::format("poll: {}", std::strerror(errno)));
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      std::uint8_t buf[512];
      ssize_t len = 0;
      while ((len = ::recv(sockets[i].fd(), buf, sizeof buf, 0)) > 0) {
        const auto* ip = reinterpret_cast<const iphdr*>(buf);
        const std::size_t header = static_cast<std::size_t>(ip->ihl) * 4;
        if (static_cast<std::size_t>(len) < header + sizeof(icmphdr)) continue;
        icmphdr h;
        std::memcpy(&h, buf + header, sizeof h);
        const std::size_t seq = ntohs(h.un.echo.sequence);
        if (h.type != ICMP_ECHOREPLY || ntohs(h.un.echo.id) != id || seq >= n * n || seq / n != i) continue;
        if (!answered[seq]) {
          answered[seq] = 1;
          --missing;
        }
      }
    }
  }
  std::vector<std::pair<int, int>> out;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j && !answered[i * n + j]) out.emplace_back(static_cast<int>(i), static_cast<int>(j));
    }
  }
  return out;
}

}  // namespace lp::lab
