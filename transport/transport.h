// One interface for every way lightpath moves bytes: MPI, UCX, TCP sockets, RDMA verbs.
//
// Shape: tagged, asynchronous, two-sided messages with caller-owned request handles
// (isend/irecv, then test/wait), explicit progress (no hidden threads, so a benchmark's timed
// loop does exactly the work it measures), and, where the hardware can, one-sided put into a
// peer's registered memory. Backends implement the do_* hooks; the public calls count traffic
// and enforce timeouts once, here, for all of them.
//
// Matching: a receive posted for (peer, tag) takes the first message that peer sent with that
// tag; messages between one pair with one tag arrive in the order they were sent. A message
// longer than the receive's capacity is an error (never silently truncated).
#pragma once

#include "transport/bootstrap.h"
#include "transport/request.h"
#include "transport/traffic_counter.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lp::transport {

using Tag = std::uint32_t;
// Tags at or above this are reserved for lightpath's own control messages.
inline constexpr Tag kMaxUserTag = (1u << 24) - 1;

enum class Capability : unsigned {
  kPut = 1u << 0,           // one-sided put into registered remote memory
  kRegistration = 1u << 1,  // register_memory() pins memory with the NIC (not a no-op)
};

// Memory a transport may read from or write into directly.
class MemoryRegion {
 public:
  virtual ~MemoryRegion() = default;
  void* data() const { return data_; }
  std::size_t size() const { return size_; }
  // What a peer needs to put into this region (address and key); send it to the peer.
  virtual std::string pack() const = 0;

 protected:
  MemoryRegion(void* data, std::size_t size) : data_(data), size_(size) {}

 private:
  void* data_;
  std::size_t size_;
};

// A peer's region, made from the blob its MemoryRegion::pack() produced.
class RemoteRegion {
 public:
  virtual ~RemoteRegion() = default;
  int peer() const { return peer_; }
  std::size_t size() const { return size_; }
  // The peer's memory mapped into this process, where the transport shares memory with that
  // peer (UCX on one host, for memory from allocate_memory): loads and stores through it go
  // straight to the peer's memory. nullptr elsewhere; put is the portable way to write.
  virtual void* mapped() const { return nullptr; }

 protected:
  RemoteRegion(int peer, std::size_t size) : peer_(peer), size_(size) {}

 private:
  int peer_;
  std::size_t size_;
};

struct TransportOptions {
  // How long wait() may go without completing before the peer counts as lost.
  std::chrono::milliseconds timeout{60000};
  // verbs: "mlx5_0" or "mlx5_0:1" (device and port); empty picks the first active port.
  std::string device;
  int gid_index = -1;  // verbs RoCE GID index; -1 picks one
  // tcp: the largest message this rank accepts from a peer (a frame announcing more ends that
  // connection); 0 keeps the backend's default. Benchmarks set it to their largest message.
  std::size_t max_message = 0;
  // The caller will put() into peers' memory. UCX then adds its RMA lanes, and every progress
  // call polls them too (about 5 ns a message on shared memory), so a caller that only sends
  // and receives says false and gets no Capability::kPut. Other backends ignore it.
  bool one_sided = true;
  // More ranks than cores on this host (mpirun --oversubscribe, ranks as threads): waits
  // give the core away between polls, so the rank being waited for gets to run.
  bool yield_when_idle = false;
};

class Transport {
 public:
  virtual ~Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  virtual std::string name() const = 0;
  // What the backend chose (UCX transports and devices, verbs device/port/MTU, ...).
  virtual nlohmann::json details() const = 0;
  bool supports(Capability c) const {
    return (capabilities_ & static_cast<unsigned>(c)) != 0;
  }

  // Starts sending `len` bytes of `buf` to `peer`. `buf` must stay valid until done.
  void isend(int peer, Tag tag, const void* buf, std::size_t len, Request& req) {
    check_peer(peer, "isend");
    // lightpath's own control messages (tags above kMaxUserTag) are not workload traffic.
    if (tag <= kMaxUserTag) traffic_.add(peer, len);
    start(req, peer);
    do_isend(peer, tag, buf, len, req);
  }
  // Starts receiving up to `capacity` bytes from `peer` into `buf`.
  void irecv(int peer, Tag tag, void* buf, std::size_t capacity, Request& req) {
    check_peer(peer, "irecv");
    start(req, peer);
    do_irecv(peer, tag, buf, capacity, req);
  }
  // Progresses and reports whether `req` is complete. Throws on a failed operation.
  bool test(Request& req) {
    if (req.done) return true;
    if (do_test(req)) req.done = true;
    return req.done;
  }
  // Blocks (busy-polling) until `req` completes; throws PeerLost after the timeout. A short
  // wait (a few hundred microseconds; 64 polls where ranks share cores) polls without looking
  // at the clock; a longer one goes on in wait_long().
  void wait(Request& req) {
    if (req.done) return;
    if (do_poll(req, quick_polls_)) {
      req.done = true;
      return;
    }
    wait_long(req);
  }
  void wait_all(Request* reqs, std::size_t n);
  // Drives communication without waiting for anything in particular.
  virtual void progress() = 0;
  // For a caller's own polling loop that found nothing to do: yields the core when
  // options().yield_when_idle, else does nothing.
  void idle();

  // Blocking conveniences built on the above.
  void send(int peer, Tag tag, const void* buf, std::size_t len);
  std::size_t recv(int peer, Tag tag, void* buf, std::size_t capacity);

  // One-sided. register_memory works on every backend (a no-op where nothing needs pinning);
  // put requires Capability::kPut. A put's request completes when the data is visible at
  // the target; a message sent afterwards can then announce it.
  virtual std::unique_ptr<MemoryRegion> register_memory(void* data, std::size_t size) = 0;
  // Memory the transport allocates (zero-filled, page-aligned, owned by the region) where
  // peers' puts land fastest: UCX allocates it shared, so a put from a rank on the same host
  // is a plain copy instead of a kernel-assisted one. Elsewhere: ordinary memory, registered.
  virtual std::unique_ptr<MemoryRegion> allocate_memory(std::size_t size);
  virtual std::unique_ptr<RemoteRegion> attach_remote(int peer, const std::string& packed);
  void put(const MemoryRegion& local, std::size_t local_offset, RemoteRegion& remote,
           std::size_t remote_offset, std::size_t len, Request& req);

  // Everyone registers a region and learns everyone else's (uses the transport itself).
  std::vector<std::unique_ptr<RemoteRegion>> exchange_regions(const MemoryRegion& mine);

  // Synchronizes all ranks through the transport's own messages (not the bootstrap), so it
  // also drains progress. Costs a dissemination barrier: ceil(log2 n) rounds.
  void barrier();

  TrafficCounter& traffic() { return traffic_; }
  const TransportOptions& options() const { return options_; }
  Bootstrap& bootstrap() { return boot_; }

 protected:
  Transport(Bootstrap& boot, TransportOptions options, unsigned capabilities);

  virtual void do_isend(int peer, Tag tag, const void* buf, std::size_t len, Request& req) = 0;
  virtual void do_irecv(int peer, Tag tag, void* buf, std::size_t capacity, Request& req) = 0;
  virtual bool do_test(Request& req) = 0;
  // Tests `req` up to `polls` times, stopping once it completes; true if it did. A backend
  // may poll tighter than a loop over do_test.
  virtual bool do_poll(Request& req, int polls) {
    for (int i = 0; i < polls; ++i) {
      if (do_test(req)) return true;
    }
    return false;
  }
  virtual void do_put(const MemoryRegion& local, std::size_t local_offset, RemoteRegion& remote,
                      std::size_t remote_offset, std::size_t len, Request& req);

 private:
  void wait_long(Request& req);
  void check_peer(int peer, const char* op) const {
    if (peer < 0 || peer >= size_) [[unlikely]] bad_peer(peer, op);
  }
  [[noreturn]] void bad_peer(int peer, const char* op) const;
  static void start(Request& req, int peer) {
    req = Request{};
    req.peer = peer;
    req.done = false;
  }

  Bootstrap& boot_;
  TransportOptions options_;
  unsigned capabilities_;
  int rank_;
  int size_;
  TrafficCounter traffic_;
  int quick_polls_;
  Tag barrier_round_ = 0;
};

// The backends compiled into this build, in the order tried by "auto"; each says whether it
// can run here (verbs needs an RDMA device).
struct BackendInfo {
  std::string name;
  bool compiled;
  std::string unavailable_reason;  // empty when it can run here
};
std::vector<BackendInfo> backends();

// Makes the named backend. Throws InputError for an unknown name, and Error naming the
// transports that are available when the backend cannot run here.
std::unique_ptr<Transport> make_transport(const std::string& name, Bootstrap& boot,
                                          const TransportOptions& options = {});

}  // namespace lp::transport
