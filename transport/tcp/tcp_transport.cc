// Plain sockets behind the Transport interface: the path a terminal or a non-RDMA service
// takes, and a fallback that works everywhere. A full mesh of non-blocking TCP_NODELAY
// connections; each message is a frame (tcp_frame.h). Receives posted for (peer, tag) are
// matched in order; frames that arrive first wait in an unexpected queue. Writes that the
// kernel cannot take at once wait in a per-peer queue that progress() drains: nothing blocks.
#include "transport/tcp/tcp_transport.h"

#include "core/error.h"
#include "transport/backends.h"
#include "transport/tcp/fifo.h"
#include "transport/tcp/tcp_frame.h"
#include "transport/tcp/tcp_mesh.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>
#include <unordered_map>

namespace lp::transport::tcp {
namespace {

// What a pending Request's cookie says (its handle points at the receive buffer).
constexpr std::uint64_t kPending = 0;
constexpr std::uint64_t kComplete = 1;
constexpr std::uint64_t kTruncated = 2;
// Received bytes are staged in this much memory per peer; larger payload remainders are
// read straight into the receive buffer.
constexpr std::size_t kStageSize = 64 * 1024;

struct PendingSend {
  Request* req;
  char header[kFrameHeaderSize];
  const char* data;
  std::size_t len;
  std::size_t sent;  // header and payload bytes written so far
};

struct Peer {
  Socket sock;
  bool lost = false;
  std::string lost_reason;

  Fifo<PendingSend> sends;
  std::unordered_map<Tag, Fifo<Request*>> posted;
  std::unordered_map<Tag, Fifo<std::vector<char>>> unexpected;

  // The frame being received.
  char header[kFrameHeaderSize];
  std::size_t header_got = 0;
  bool in_payload = false;
  FrameHeader frame;
  std::size_t got = 0;
  Request* target = nullptr;     // the posted receive it goes to, if any
  char* dest = nullptr;          // where its payload goes; nullptr: discarded (truncated)
  std::vector<char> incoming;    // its payload when nobody had posted a receive yet

  std::vector<char> stage;
  std::size_t stage_begin = 0;
  std::size_t stage_end = 0;
};

// Completes a posted receive with `len` bytes from `data`, or marks it truncated.
void fill(Request& r, const char* data, std::size_t len) {
  if (len > r.bytes) {
    r.cookie = kTruncated;
    return;
  }
  if (len > 0) std::memcpy(r.handle, data, len);
  r.bytes = len;
  r.cookie = kComplete;
}

class TcpTransport final : public Transport {
 public:
  TcpTransport(Bootstrap& boot, const TransportOptions& options, std::size_t max_message)
      : Transport(boot, options, 0), max_message_(max_message), peers_(static_cast<std::size_t>(size())) {
    Mesh mesh = connect_mesh(boot, options.timeout);
    for (std::size_t p = 0; p < peers_.size(); ++p) {
      peers_[p].sock = std::move(mesh.peers[p]);
      if (peers_[p].sock.valid()) peers_[p].stage.resize(kStageSize);
    }
    details_ = {{"address", mesh.address}, {"max_message", max_message_}, {"nodelay", true}};
  }

  std::string name() const override { return "tcp"; }
  nlohmann::json details() const override { return details_; }

  void progress() override {
    for (std::size_t p = 0; p < peers_.size(); ++p) {
      Peer& peer = peers_[p];
      if (!peer.sock.valid() || peer.lost) continue;
      write_some(peer, static_cast<int>(p));
      read_some(peer, static_cast<int>(p));
    }
  }

  std::unique_ptr<MemoryRegion> register_memory(void* data, std::size_t size) override {
    return std::make_unique<HostRegion>(data, size);
  }

 protected:
  void do_isend(int peer, Tag tag, const void* buf, std::size_t len, Request& req) override {
    if (len > max_message_) {
      throw Error(fmt::format("rank {}: a {}-byte message to rank {} is over the tcp limit of {} "
                              "bytes",
                              rank(), len, peer, max_message_));
    }
    req.bytes = len;
    const char* data = static_cast<const char*>(buf);
    if (peer == rank()) {
      deliver(peers_[peer], tag, std::vector<char>(data, data + len));
      req.done = true;
      return;
    }
    Peer& p = peers_[peer];
    if (p.lost) throw lost(peer);
    PendingSend s{&req, {}, data, len, 0};
    encode_frame(FrameHeader{tag, len}, s.header);
    req.cookie = kPending;
    const bool idle = p.sends.empty();
    p.sends.push(s);
    if (idle) write_some(p, peer);
    if (req.cookie == kComplete) req.done = true;
  }

  void do_irecv(int peer, Tag tag, void* buf, std::size_t capacity, Request& req) override {
    Peer& p = peers_[peer];
    req.handle = buf;
    req.bytes = capacity;
    req.cookie = kPending;
    if (auto it = p.unexpected.find(tag); it != p.unexpected.end() && !it->second.empty()) {
      const std::vector<char> message = std::move(it->second.front());
      it->second.pop();
      fill(req, message.data(), message.size());
      if (req.cookie == kTruncated) throw truncated(peer, message.size(), capacity);
      req.done = true;
      return;
    }
    if (p.lost) throw lost(peer);
    p.posted[tag].push(&req);
  }

  bool do_test(Request& req) override {
    progress();
    if (req.cookie == kComplete) return true;
    if (req.cookie == kTruncated) throw truncated(req.peer, 0, req.bytes);
    if (peers_[req.peer].lost) throw lost(req.peer);
    return false;
  }

 private:
  class HostRegion final : public MemoryRegion {
   public:
    HostRegion(void* data, std::size_t size) : MemoryRegion(data, size) {}
    std::string pack() const override { return {}; }
  };

  PeerLost lost(int peer) const {
    return PeerLost(peer, fmt::format("rank {}: lost rank {} over tcp: {}", rank(), peer,
                                      peers_[peer].lost_reason));
  }
  Error truncated(int peer, std::size_t len, std::size_t capacity) const {
    const std::string size = len ? fmt::format(" ({} bytes)", len) : std::string();
    return Error(fmt::format("rank {}: a message from rank {}{} is longer than the receive "
                             "buffer ({} bytes)",
                             rank(), peer, size, capacity));
  }
  void mark_lost(Peer& p, std::string reason) {
    p.lost = true;
    p.lost_reason = std::move(reason);
  }

  // A whole message for `p` (from itself, or finished into the unexpected buffer): the
  // oldest receive posted for its tag takes it, else it waits in the unexpected queue.
  void deliver(Peer& p, Tag tag, std::vector<char> message) {
    if (auto it = p.posted.find(tag); it != p.posted.end() && !it->second.empty()) {
      Request* r = it->second.front();
      it->second.pop();
      fill(*r, message.data(), message.size());
      return;
    }
    p.unexpected[tag].push(std::move(message));
  }

  void write_some(Peer& p, int peer) {
    while (!p.sends.empty()) {
      PendingSend& s = p.sends.front();
      iovec iov[2];
      int n = 0;
      if (s.sent < kFrameHeaderSize) {
        iov[n++] = {s.header + s.sent, kFrameHeaderSize - s.sent};
      }
      const std::size_t data_sent = s.sent > kFrameHeaderSize ? s.sent - kFrameHeaderSize : 0;
      if (data_sent < s.len) {
        iov[n++] = {const_cast<char*>(s.data) + data_sent, s.len - data_sent};
      }
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<std::size_t>(n);
      const ssize_t w = ::sendmsg(p.sock.fd(), &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        mark_lost(p, fmt::format("send to rank {} failed: {}", peer, std::strerror(errno)));
        return;
      }
      s.sent += static_cast<std::size_t>(w);
      if (s.sent < kFrameHeaderSize + s.len) return;  // the socket is full: later
      s.req->cookie = kComplete;
      p.sends.pop();
    }
  }

  // Reads what the socket has; false when it has nothing more now (or the peer is gone).
  bool read_into(Peer& p, int peer, char* buf, std::size_t len, std::size_t& n) {
    const ssize_t r = ::recv(p.sock.fd(), buf, len, MSG_DONTWAIT);
    if (r > 0) {
      n = static_cast<std::size_t>(r);
      return true;
    }
    if (r == 0) {
      mark_lost(p, fmt::format("rank {} closed the connection", peer));
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      mark_lost(p, fmt::format("receive from rank {} failed: {}", peer, std::strerror(errno)));
    }
    return false;
  }

  void read_some(Peer& p, int peer) {
    for (;;) {
      if (p.stage_begin == p.stage_end) {
        std::size_t n = 0;
        const std::size_t left = p.in_payload ? p.frame.length - p.got : 0;
        if (left >= kStageSize && p.dest != nullptr) {
          if (!read_into(p, peer, p.dest + p.got, left, n)) return;
          p.got += n;
          if (p.got == p.frame.length) finish_frame(p);
          continue;
        }
        if (!read_into(p, peer, p.stage.data(), p.stage.size(), n)) return;
        p.stage_begin = 0;
        p.stage_end = n;
      }
      consume_stage(p, peer);
    }
  }

  void consume_stage(Peer& p, int peer) {
    while (p.stage_begin < p.stage_end) {
      const std::size_t avail = p.stage_end - p.stage_begin;
      const char* at = p.stage.data() + p.stage_begin;
      if (!p.in_payload) {
        const std::size_t take = std::min(avail, kFrameHeaderSize - p.header_got);
        std::memcpy(p.header + p.header_got, at, take);
        p.header_got += take;
        p.stage_begin += take;
        if (p.header_got == kFrameHeaderSize) begin_frame(p, peer);
        continue;
      }
      const std::size_t take = std::min<std::size_t>(avail, p.frame.length - p.got);
      if (p.dest != nullptr) std::memcpy(p.dest + p.got, at, take);
      p.got += take;
      p.stage_begin += take;
      if (p.got == p.frame.length) finish_frame(p);
    }
  }

  void begin_frame(Peer& p, int peer) {
    try {
      p.frame = decode_frame(p.header, max_message_, rank(), peer);
    } catch (const Error& e) {
      mark_lost(p, e.what());
      throw;
    }
    p.header_got = 0;
    p.in_payload = true;
    p.got = 0;
    p.target = nullptr;
    p.dest = nullptr;
    if (auto it = p.posted.find(p.frame.tag); it != p.posted.end() && !it->second.empty()) {
      p.target = it->second.front();
      it->second.pop();
      if (p.frame.length <= p.target->bytes) p.dest = static_cast<char*>(p.target->handle);
    } else {
      p.incoming.resize(p.frame.length);
      p.dest = p.incoming.data();
    }
    if (p.frame.length == 0) finish_frame(p);
  }

  void finish_frame(Peer& p) {
    p.in_payload = false;
    if (p.target == nullptr) {
      deliver(p, p.frame.tag, std::move(p.incoming));
      p.incoming = {};
    } else if (p.dest == nullptr) {
      p.target->cookie = kTruncated;
    } else {
      p.target->bytes = p.frame.length;
      p.target->cookie = kComplete;
    }
    p.target = nullptr;
    p.dest = nullptr;
  }

  std::size_t max_message_;
  std::vector<Peer> peers_;
  nlohmann::json details_;
};

}  // namespace

std::unique_ptr<Transport> make_tcp_transport(Bootstrap& boot, const TransportOptions& options,
                                              std::size_t max_message) {
  return std::make_unique<TcpTransport>(boot, options, max_message);
}

}  // namespace lp::transport::tcp

namespace lp::transport {

std::unique_ptr<Transport> make_tcp_transport(Bootstrap& boot, const TransportOptions& options) {
  return tcp::make_tcp_transport(boot, options,
                                 options.max_message ? options.max_message : tcp::kDefaultMaxMessage);
}

}  // namespace lp::transport
