// The verbs backend's protocol, over the Nic interface (nic.h) so that it runs, and is
// tested, without an RDMA device. lightpath matches tags itself; the NIC only moves bytes.
//
// - Eager (up to eager_limit() bytes): one send into a receive buffer the peer pre-posted.
//   Header and payload go inline in the work request when they fit the NIC's max inline
//   data, else through a registered staging buffer. The send completes once posted.
// - Rendezvous (larger): an rts names the message; when the receive is matched the receiver
//   answers with a cts carrying its buffer's address and rkey (registered through the
//   cache), and the sender RDMA-writes the data there, the last write carrying the
//   receiver's id as immediate data. The receive completes on that immediate, the send on
//   the write's completion. A receive too small for the message refuses it in the cts.
// - Put: RDMA writes into a region the peer registered.
// - Credits: each peer has recv_depth receive buffers posted for us and we never send more
//   messages (immediates included) than it has posted: a receive is never missing (no RNR).
//   Every message returns the buffers its sender reposted; a credit-only message returns
//   them when half the depth is owed, and one credit is kept for it so both sides can
//   always return credits.
// - Ordering: everything for one peer leaves in the order it was posted (a per-peer
//   backlog holds what waits for credits, send-queue slots or staging buffers), and one RC
//   queue pair delivers in order, so messages of one tag are matched in the order sent.
// Messages to this rank itself are copied directly.
#pragma once

#include "transport/request.h"
#include "transport/tcp/fifo.h"
#include "transport/transport.h"
#include "transport/verbs/nic.h"
#include "transport/verbs/reg_cache.h"
#include "transport/verbs/slot_map.h"
#include "transport/verbs/wire.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace lp::transport::verbs {

struct EngineConfig {
  std::size_t buffer_size = 8192;    // one receive (and staging) buffer: header and payload
  std::uint32_t recv_depth = 64;     // receive buffers posted per peer: its credits
  std::uint32_t send_depth = 128;    // work requests in flight per peer's send queue
  std::uint32_t send_buffers = 256;  // staging buffers, shared by all peers
  std::uint64_t max_message = std::uint64_t{64} << 30;  // the largest message accepted
  RegistrationCache::Limits cache;
};

// The configuration for a run of `ranks`: every peer gets its own receive buffers, so their
// depth shrinks as peers grow, keeping one rank's within kReceiveBudget (but never fewer
// than kMinRecvDepth per peer).
inline constexpr std::size_t kReceiveBudget = std::size_t{64} << 20;
inline constexpr std::uint32_t kMinRecvDepth = 8;
EngineConfig default_config(int ranks);

struct EngineStats {
  std::uint64_t inline_sends = 0;     // eager messages carried inline in the work request
  std::uint64_t staged_sends = 0;     // eager messages copied through a staging buffer
  std::uint64_t rendezvous = 0;       // large messages written into the receiver's buffer
  std::uint64_t writes = 0;           // RDMA write work requests (rendezvous and put)
  std::uint64_t credit_messages = 0;  // credit-only messages
  std::uint64_t unexpected = 0;       // messages that arrived before their receive
};

class Engine {
 public:
  // Registers the receive and staging buffers and posts the receives; the NIC connects
  // afterwards.
  Engine(Nic& nic, int rank, int size, const EngineConfig& config);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The Transport operations (transport.h), for a Request the front end has reset.
  void isend(int peer, Tag tag, const void* buf, std::size_t len, Request& req);
  void irecv(int peer, Tag tag, void* buf, std::size_t capacity, Request& req);
  void put(int peer, const void* local, std::uint32_t lkey, std::uint64_t remote,
           std::uint32_t rkey, std::size_t len, Request& req);
  // Whether `req` is complete; throws for a failed operation or peer.
  bool test(Request& req);
  void progress();
  // Progresses until everything posted has left (its sends completed) or `grace` passes;
  // false when something was still in flight. For shutdown: never throws.
  bool drain(std::chrono::milliseconds grace) noexcept;

  RegistrationCache& cache() { return cache_; }
  const EngineStats& stats() const { return stats_; }
  std::size_t eager_limit() const { return eager_limit_; }
  nlohmann::json details() const;

 private:
  // What a work request was for: the top byte of its id, then the peer and an index.
  enum class Work : std::uint8_t { kRecv = 1, kStagedSend, kInlineSend, kWrite };

  enum class Out : std::uint8_t { kEager, kRts, kCts, kWrite };
  struct Outgoing {
    explicit Outgoing(Out k) : kind(k) {}
    Out kind;
    Request* req = nullptr;    // eager
    Tag tag = 0;               // eager, rts
    const char* data = nullptr;  // eager
    std::uint64_t len = 0;     // eager, rts
    Message cts;               // cts
    std::uint32_t id = 0;      // rts: the send id; write: the job id
  };

  // An arrival nobody had posted a receive for yet.
  struct Arrival {
    std::vector<char> data;   // eager: the payload
    bool rts = false;
    std::uint64_t length = 0;  // rts
    std::uint32_t send_id = 0;
  };

  struct Peer {
    std::uint32_t credits = 0;     // its receive buffers we may still fill
    std::uint32_t owed = 0;        // our reposted buffers it has not been told of
    std::uint32_t send_free = 0;   // free slots in the send queue to it
    bool active = false;           // in active_: something to send
    tcp::Fifo<Outgoing> backlog;
    std::unordered_map<Tag, tcp::Fifo<Request*>> posted;
    std::unordered_map<Tag, tcp::Fifo<Arrival>> unexpected;
    std::string failure;           // non-empty once an operation with it failed
    bool failure_flushed = false;  // the failure recorded is a flush (look for its cause)
    bool unreachable = false;
  };

  // A large send before its cts.
  struct RndvSend {
    Request* req;
    int peer;
    const char* data;
    std::uint64_t len;
    RegistrationCache::Lease lease;
  };
  // A large receive waiting for its data.
  struct RndvRecv {
    Request* req;
    int peer;
    std::uint64_t len;
    RegistrationCache::Lease lease;
  };
  // RDMA writes of one rendezvous or put, posted in pieces of at most max_write bytes.
  struct WriteJob {
    WriteJob(Request* r, int p, const char* d, std::uint32_t l, std::uint64_t n,
             std::uint64_t to, std::uint32_t k)
        : req(r), peer(p), data(d), lkey(l), len(n), remote(to), rkey(k) {}
    Request* req;
    int peer;
    const char* data;
    std::uint32_t lkey;
    std::uint64_t len;
    std::uint64_t remote;
    std::uint32_t rkey;
    bool has_imm = false;  // rendezvous: the last write carries the receiver's id
    std::uint32_t imm = 0;
    std::uint64_t posted = 0;
    std::uint32_t in_flight = 0;
    RegistrationCache::Lease lease;  // rendezvous: the source buffer's registration
  };

  static std::uint64_t wr_id(Work w, int peer, std::uint32_t index);
  std::size_t peer_slot(int peer) const;  // this rank has no receive buffers of its own
  char* recv_buffer(int peer, std::uint32_t i);
  void post_receive(int peer, std::uint32_t i);

  void enqueue(int peer, Outgoing out);
  void activate(int peer);
  void flush(int peer);
  // Posts one message (a header and maybe a payload) to `peer`; false when it must wait.
  bool post_message(int peer, Message& m, const char* payload, std::size_t payload_len,
                    bool keep_reserve);
  bool post_writes(int peer, WriteJob& job, std::uint32_t job_id);

  void on_completion(const Completion& c);
  void on_receive(int peer, std::uint32_t index, const Completion& c);
  void on_message(int peer, const Message& m);
  void on_cts(int peer, const Message& m);
  void on_write_done(std::uint32_t job_id);
  void fail(int peer, Work w, const Completion& c);
  [[noreturn]] void protocol_error(int peer, const std::string& problem);

  void deliver(int peer, Tag tag, const char* data, std::size_t len);
  void start_receive(int peer, Request& req, std::uint64_t length, std::uint32_t send_id);
  void complete(Request& req, std::size_t bytes);
  [[noreturn]] void throw_failure(int peer) const;
  void check_alive(int peer) const;

  Nic& nic_;
  int rank_;
  int size_;
  EngineConfig config_;
  std::size_t eager_limit_;
  std::size_t max_inline_;
  std::size_t max_write_;
  std::uint32_t credit_threshold_;
  Limits limits_;

  RegistrationCache cache_;  // before every Lease holder, so it outlives them
  std::vector<char> recv_slab_;
  std::vector<char> send_slab_;
  std::unique_ptr<Registration> recv_reg_;
  std::unique_ptr<Registration> send_reg_;
  std::vector<std::uint32_t> free_buffers_;  // staging buffers not in flight
  std::vector<char> inline_buffer_;          // where inline messages are assembled

  std::vector<Peer> peers_;
  std::vector<int> active_;  // peers with a backlog or owed credits to return
  SlotMap<RndvSend> sends_;
  SlotMap<RndvRecv> recvs_;
  SlotMap<WriteJob> jobs_;
  std::vector<Completion> completions_;
  EngineStats stats_;
};

}  // namespace lp::transport::verbs
