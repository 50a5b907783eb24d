// The loop of one server rank: takes requests from every client, does the simulated work,
// moves KV caches (--kv) and streams responses, token by token.
//
// Work model. --service-time is the work a request needs before its first token (prefill); a
// server has one worker, so requests queue for it in arrival order (an M/G/1 queue), while
// network progress goes on. --token-time paces the tokens of each stream; streams advance side
// by side, as in a batching decoder. With --kv the server that did the work moves the KV cache
// to the next server, which streams the tokens. --stall pauses the first server completely
// (no progress at all) once.
//
// Robustness (over tcp; other backends treat any transport error as fatal). A client that
// sends a malformed or oversized message, whose connection fails, or that leaves its responses
// unread for --request-timeout, is dropped with a log line on stderr: its later messages are
// read and discarded and the others are served as before. Nothing waits past the level's
// deadline, so an idle client cannot hold the server.
#pragma once

#include "bench/rpc/config.h"
#include "bench/rpc/kv_link.h"
#include "bench/rpc/level.h"
#include "bench/rpc/recv_ring.h"
#include "bench/rpc/results.h"
#include "bench/rpc/send_pool.h"

#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace lp::bench::rpc {

class Server {
 public:
  // `banned` (by rank, kept across the levels of a run) marks clients dropped earlier: they
  // are not served again.
  Server(transport::Transport& t, const RpcConfig& config, const Roles& roles,
         const LevelPlan& plan, KvLink* kv, std::vector<bool>& banned);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void run(const LevelClock& clock);
  const RankResults& results() const { return *results_; }
  bool quiescent() const;

 private:
  enum class Phase : std::uint8_t {
    kServing,
    kDone,     // the client said it is done: its work is cancelled
    kEnded,    // the end markers went out
    kDropped,  // no longer served; its messages are discarded
    kLost,     // its connection failed: never touched again
  };
  struct Work {  // a request waiting for (or in) service, or for its KV cache to move
    std::size_t conn;
    std::uint32_t slot, generation, tokens, resp;
    std::int64_t arrived;
    bool measured;  // the client measures it: its KV transfer is measured too
  };
  struct Stream {
    Work work;
    std::uint32_t next;
    std::int64_t due;
  };
  struct Conn {
    Conn(int rank, const Tags& tags, std::size_t max_req, std::size_t max_resp)
        : rank(rank), requests(rank, tags.request, max_req), responses(rank, max_resp) {}
    int rank;
    Phase phase = Phase::kServing;
    RecvRing requests;
    SendPool responses;
    int dones = 0;
    // Its streams, oldest first; only the oldest can be short of a send buffer, so a client
    // that reads slowly costs one check per poll however many streams wait for it.
    std::deque<Stream> streams;
    std::vector<transport::Request> end_reqs;
  };
  struct KvPut {
    transport::Request req;
    Work work;
    std::int64_t started;
    bool recorded;
  };

  bool active(const Conn& c) const { return c.phase == Phase::kServing; }
  // The time as last read: each iteration when the server has timed work (service, tokens,
  // KV caches, a stall to come), else every 64 iterations, which is all the deadline and the
  // slow-reader check need; reading a clock costs as much as a whole poll.
  std::int64_t now() const { return now_; }
  std::int64_t read_clock() { return now_ = clock_->now(); }
  // Transport calls on behalf of peer `peer`: errors that concern a client drop it (tcp);
  // anything else is rethrown. test() returns false for a request it could not complete.
  bool test(int peer, transport::Request& r);
  void pop(RecvRing& ring, bool repost);
  bool send(SendPool& pool, transport::Tag tag, std::size_t len);
  void fault(int peer, const char* what, bool lost);
  void drop(Conn& c, const std::string& why);

  void poll_requests(Conn& c);
  void on_request(Conn& c, const char* data, std::size_t len);
  bool reply_now(Conn& c, const RequestHeader& h);
  void serve();
  void finish_work(const Work& w);
  void move_kv();
  void poll_kv();
  void start_stream(const Work& w);
  bool send_tokens(Conn& c, Stream& s);  // true when the stream is over
  void advance_streams(Conn& c);
  void reap(Conn& c);
  void maybe_end(Conn& c);
  void maybe_end_kv();
  bool finished() const;
  void report_unfinished();

  transport::Transport& t_;
  const RpcConfig& config_;
  const Roles& roles_;
  LevelPlan plan_;
  Tags tags_;
  KvLink* kv_;
  std::vector<bool>& banned_;
  WireLimits limits_;
  bool tolerant_;  // tcp: client faults are survivable
  // Simulated work of any kind (service, tokens, KV caches): the server reads the clock each
  // iteration. Without it a one-token request is answered as it is decoded (on_request).
  bool timed_;
  const LevelClock* clock_ = nullptr;
  std::int64_t now_ = 0;
  // When to ask the bootstrap next whether a client died (Bootstrap::check_peers).
  static constexpr std::int64_t kPeerCheckNs = 100'000'000;
  std::int64_t next_peer_check_ = 0;
  std::mt19937_64 rng_;

  std::deque<Conn> conns_;  // by client index; never moves (the transport points into it)
  std::deque<Work> queue_;
  std::optional<Work> busy_;
  std::int64_t busy_until_ = 0;
  std::size_t streaming_ = 0;  // streams of all clients

  // --kv: to the next server (decode_) and from the previous one (source_).
  int decode_ = -1;
  int source_ = -1;
  std::deque<Work> kv_waiting_;
  std::deque<KvPut> kv_puts_;
  std::optional<SendPool> kv_out_;
  std::optional<RecvRing> kv_in_;
  std::vector<transport::Request> kv_end_reqs_;
  bool kv_end_sent_ = false;
  int kv_ends_ = 0;

  bool stall_pending_ = false;
  std::int64_t stall_end_ = 0;
  char end_msg_[kResponseHeaderSize];
  char kv_end_msg_[kKvHeaderSize];
  std::unique_ptr<RankResults> results_;
};

}  // namespace lp::bench::rpc
