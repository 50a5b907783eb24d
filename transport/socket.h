// Small, checked wrappers over BSD sockets, shared by the TCP bootstrap and the TCP transport.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace lp::transport {

// An owned file descriptor.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Socket& operator=(Socket&& o) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct Endpoint {
  std::string host;
  std::string port;
};

// Parses "HOST:PORT", "[V6]:PORT" or ":PORT" (HOST empty then). Throws InputError naming `what`.
Endpoint parse_endpoint(std::string_view text, std::string_view what);

// Listens on `ep` (empty host: 127.0.0.1; port "0": any free port). Blocking socket.
Socket listen_on(const Endpoint& ep, int backlog = 64);
// The "HOST:PORT" a listening socket is bound to.
Endpoint local_endpoint(const Socket& s);
// Connects, retrying until `deadline` while the listener is not up yet.
Socket connect_to(const Endpoint& ep, std::chrono::steady_clock::time_point deadline);
// Accepts one connection, waiting until `deadline`.
Socket accept_until(const Socket& listener, std::chrono::steady_clock::time_point deadline);

// Blocking full transfers bounded by `deadline`; throw Error on failure, EOF or time-out.
void send_all(const Socket& s, const void* data, std::size_t len,
              std::chrono::steady_clock::time_point deadline);
void recv_all(const Socket& s, void* data, std::size_t len,
              std::chrono::steady_clock::time_point deadline);

void set_nonblocking(const Socket& s);
void set_nodelay(const Socket& s);

}  // namespace lp::transport
