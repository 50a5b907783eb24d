// Everything one `lightpath rpc` run does, as types: the flags are parsed and checked once,
// here, before any rank communicates (docs/errors.md), and the timed loops only read this.
#pragma once

#include "bench/rpc/arrival.h"
#include "bench/rpc/size_mix.h"
#include "bench/rpc/slo.h"
#include "bench/rpc/stall.h"
#include "bench/rpc/work_time.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lp::bench::rpc {

enum class Balance { kRandom, kRoundRobin };

// The flags as typed (CLI11 binds these; parse_config turns them into a RpcConfig).
struct RpcFlags {
  int servers = 1;
  std::string balance = "random";
  std::string req = "64";
  std::string resp = "64";
  std::string size_dist;     // a lightpath.rpc-sizes/1 file, instead of --req/--resp
  std::uint32_t stream = 0;  // 0: not given (one response message)
  std::string token_time = "0";
  std::string kv = "0";
  std::string service_time = "0";
  std::string rate = "1000";
  bool rate_given = false;
  std::string arrival = "poisson";
  std::string on = "10ms";
  std::string off = "10ms";
  int concurrency = 0;  // > 0: closed loop
  std::string duration = "10s";
  std::string warmup = "1s";
  std::string request_timeout = "1s";
  int max_outstanding = 4096;
  std::string slo;
  std::string slo_p99;  // DESIGN.md's shorthand for --slo p99=...
  bool fail_on_slo = false;
  bool sweep = false;
  double sweep_factor = 1.25;
  int sweep_steps = 20;
  std::string stall;
  std::uint64_t seed = 1;
};

struct RpcConfig {
  int servers = 1;
  Balance balance = Balance::kRandom;
  SizeMix sizes = SizeMix::fixed(64, 64, 1);
  std::string size_file;  // where `sizes` came from, if a file
  WorkTime service;       // per request, one request at a time per server
  WorkTime token_time;    // between the tokens of one stream (streams advance together)
  std::size_t kv = 0;     // KV-cache bytes moved per request from its server to the next
  ArrivalSpec arrival;
  int concurrency = 0;  // > 0: closed loop with this many requests in flight in all
  std::chrono::nanoseconds duration{0};
  std::chrono::nanoseconds warmup{0};
  std::chrono::nanoseconds request_timeout{0};
  std::uint32_t max_outstanding = 4096;  // per client
  std::vector<SloBound> slo;
  bool fail_on_slo = false;
  bool sweep = false;
  double sweep_factor = 1.25;
  int sweep_steps = 20;
  Stall stall;
  std::uint64_t seed = 1;

  bool closed_loop() const { return concurrency > 0; }
  bool streaming() const { return sizes.max_tokens() > 1; }
  // The largest message any rank of this run may receive (and so the most a tcp receiver
  // accepts from a peer): requests, responses, kv messages, the transport's own key exchange.
  std::size_t max_message(bool kv_by_put) const;
  // Every option that shapes the run, for check_same_everywhere.
  std::string fingerprint() const;
};

// Throws InputError naming the flag (or the size-distribution file) on the first bad value.
RpcConfig parse_config(const RpcFlags& flags);

// Who does what: the first `servers` ranks serve, the others are clients.
class Roles {
 public:
  // Throws InputError naming --servers (or --kv, --concurrency) when the ranks cannot be split.
  Roles(const RpcConfig& config, int ranks);
  int ranks() const { return ranks_; }
  int servers() const { return servers_; }
  int clients() const { return ranks_ - servers_; }
  bool is_server(int rank) const { return rank < servers_; }
  int client_index(int rank) const { return rank - servers_; }
  int client_rank(int index) const { return servers_ + index; }
  // With --kv the server that took a request moves its KV cache to the next server, which
  // streams the response; without, the server that took it answers.
  int decode_server(int server, bool kv) const { return kv ? (server + 1) % servers_ : server; }
  int kv_source(int server) const { return (server + servers_ - 1) % servers_; }

 private:
  int ranks_;
  int servers_;
};

}  // namespace lp::bench::rpc
