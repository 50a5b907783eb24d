#include "transport/socket.h"

#include "core/error.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace lp::transport {
namespace {

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

struct AddrInfo {
  addrinfo* list = nullptr;
  ~AddrInfo() {
    if (list) ::freeaddrinfo(list);
  }
};

void resolve(const Endpoint& ep, bool passive, AddrInfo& out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (passive) hints.ai_flags = AI_PASSIVE;
  const std::string host = ep.host.empty() ? "127.0.0.1" : ep.host;
  const int rc = ::getaddrinfo(host.c_str(), ep.port.c_str(), &hints, &out.list);
  if (rc != 0) {
    throw Error(fmt::format("cannot resolve {}:{}: {}", host, ep.port, ::gai_strerror(rc)));
  }
}

void wait_fd(int fd, short events, Clock::time_point deadline, const char* what) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int rc = ::poll(&p, 1, ms_left(deadline));
    if (rc > 0) return;
    if (rc == 0) throw Error(fmt::format("{}: timed out", what));
    if (errno != EINTR) throw Error(fmt::format("{}: poll failed: {}", what, std::strerror(errno)));
  }
}

}  // namespace

Socket& Socket::operator=(Socket&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) ::close(fd_);
}

Endpoint parse_endpoint(std::string_view text, std::string_view what) {
  Endpoint ep;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      throw input_error(what, fmt::format("'{}' is not [ADDRESS]:PORT", text));
    }
    ep.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      throw input_error(what, fmt::format("'{}' is not HOST:PORT", text));
    }
    ep.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoi(std::string(port)) > 65535) {
    throw input_error(what, fmt::format("'{}': the port must be a number from 0 to 65535", text));
  }
  ep.port = std::string(port);
  return ep;
}

Socket listen_on(const Endpoint& ep, int backlog) {
  AddrInfo ai;
  resolve(ep, true, ai);
  std::string last_error = "no address";
  for (addrinfo* a = ai.list; a; a = a->ai_next) {
    Socket s(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol));
    if (!s.valid()) continue;
    const int one = 1;
    ::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(s.fd(), a->ai_addr, a->ai_addrlen) == 0 && ::listen(s.fd(), backlog) == 0) {
      return s;
    }
    last_error = std::strerror(errno);
  }
  throw Error(fmt::format("cannot listen on {}:{}: {}", ep.host.empty() ? "127.0.0.1" : ep.host,
                          ep.port, last_error));
}

Endpoint local_endpoint(const Socket& s) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(s.fd(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    throw Error(fmt::format("getsockname failed: {}", std::strerror(errno)));
  }
  char host[NI_MAXHOST];
  char port[NI_MAXSERV];
  const int rc = ::getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, port,
                               sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
  if (rc != 0) throw Error(fmt::format("getnameinfo failed: {}", ::gai_strerror(rc)));
  return Endpoint{host, port};
}

Socket connect_to(const Endpoint& ep, Clock::time_point deadline) {
  std::string last_error = "no address";
  for (;;) {
    AddrInfo ai;
    resolve(ep, false, ai);
    for (addrinfo* a = ai.list; a; a = a->ai_next) {
      Socket s(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol));
      if (!s.valid()) continue;
      if (::connect(s.fd(), a->ai_addr, a->ai_addrlen) == 0) return s;
      last_error = std::strerror(errno);
    }
    if (Clock::now() >= deadline) {
      throw Error(fmt::format("cannot connect to {}:{}: {}", ep.host, ep.port, last_error));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Socket accept_until(const Socket& listener, Clock::time_point deadline) {
  for (;;) {
    wait_fd(listener.fd(), POLLIN, deadline, "waiting for a connection");
    const int fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) return Socket(fd);
    if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
      throw Error(fmt::format("accept failed: {}", std::strerror(errno)));
    }
  }
}

void send_all(const Socket& s, const void* data, std::size_t len, Clock::time_point deadline) {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    const ssize_t n = ::send(s.fd(), p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      p += n;
      len -= static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      wait_fd(s.fd(), POLLOUT, deadline, "sending");
    } else {
      throw Error(fmt::format("send failed: {}", std::strerror(errno)));
    }
  }
}

void recv_all(const Socket& s, void* data, std::size_t len, Clock::time_point deadline) {
  char* p = static_cast<char*>(data);
  while (len > 0) {
    const ssize_t n = ::recv(s.fd(), p, len, MSG_DONTWAIT);
    if (n > 0) {
      p += n;
      len -= static_cast<std::size_t>(n);
    } else if (n == 0) {
      throw Error("the peer closed the connection");
    } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      wait_fd(s.fd(), POLLIN, deadline, "receiving");
    } else {
      throw Error(fmt::format("recv failed: {}", std::strerror(errno)));
    }
  }
}

void set_nonblocking(const Socket& s) {
  const int flags = ::fcntl(s.fd(), F_GETFL, 0);
  if (flags < 0 || ::fcntl(s.fd(), F_SETFL, flags | O_NONBLOCK) != 0) {
    throw Error(fmt::format("fcntl(O_NONBLOCK) failed: {}", std::strerror(errno)));
  }
}

void set_nodelay(const Socket& s) {
  const int one = 1;
  if (::setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
    throw Error(fmt::format("setsockopt(TCP_NODELAY) failed: {}", std::strerror(errno)));
  }
}

}  // namespace lp::transport
