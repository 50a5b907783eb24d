// Whole runs with ranks as threads, over every backend that can run that way: requests and
// responses checked end to end, streams, KV caches, the stall, requests that could not be
// sent, closed loop, the sweep, and a server that survives misbehaving clients.
#include "bench/rpc/recv_ring.h"
#include "bench/rpc/run.h"
#include "core/error.h"
#include "lightpath/config.h"
#include "tests/transport/rank_threads.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace lp::bench::rpc {
namespace {

using namespace std::chrono_literals;

struct Ran {
  std::vector<LevelOutcome> levels;                          // as rank 0 saw them
  std::vector<std::vector<transport::PeerTraffic>> traffic;  // by rank
  std::string kv_method;
};

// A rank that does not run the benchmark itself; returns false to run it after all.
using Custom = std::function<bool(transport::Transport&, transport::Bootstrap&)>;
// Adjusts a rank's transport options before its transport is made.
using Tune = std::function<void(int rank, transport::TransportOptions&)>;

Ran run_threads(const std::string& backend, int n, const RpcConfig& config,
                const Custom& custom = nullptr, const Tune& tune = nullptr) {
  auto boots = transport::make_thread_bootstraps(n);
  Ran out;
  out.traffic.resize(static_cast<std::size_t>(n));
  transport::run_ranks(boots, [&](transport::Bootstrap& boot) {
    Leftovers leftovers;  // outlives the transport
    transport::TransportOptions options;
    options.timeout = 30s;
    options.max_message = config.max_message(false);
    if (tune) tune(boot.rank(), options);
    const auto t = transport::make_transport(backend, boot, options);
    if (custom && custom(*t, boot)) return;
    Run run(*t, config, leftovers);
    std::vector<LevelOutcome> levels = run.run_all([](const LevelOutcome&) {});
    out.traffic[static_cast<std::size_t>(boot.rank())] = t->traffic().peers();
    if (boot.rank() == 0) {
      out.levels = std::move(levels);
      out.kv_method = run.kv_method();
    }
  });
  return out;
}

RpcFlags quick() {
  RpcFlags f;
  f.arrival = "constant";
  f.rate = "2000";
  f.warmup = "0";
  f.duration = "300ms";
  f.request_timeout = "5s";
  return f;
}

std::vector<std::string> thread_backends() {
  std::vector<std::string> names = {"tcp"};
  if (LP_HAVE_UCX) names.push_back("ucx");
  return names;
}

std::uint64_t bytes(const Ran& r, int from, int to) {
  return r.traffic[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)].bytes;
}

class Backends : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(Backends, EveryRequestAnsweredWithTheSizesAsked) {
  const auto [backend, ranks] = GetParam();
  RpcFlags f = quick();
  f.servers = ranks / 2;
  f.balance = "round-robin";
  f.req = "200";
  f.resp = "300";
  f.stream = 3;
  const RpcConfig config = parse_config(f);
  const Ran r = run_threads(backend, ranks, config);
  ASSERT_EQ(r.levels.size(), 1u);
  const RankResults& m = *r.levels[0].merged;
  const Counters& c = m.counters;
  EXPECT_GE(c.offered, 550u);  // 2000/s for 300 ms
  EXPECT_EQ(c.sent, c.offered);
  EXPECT_EQ(c.answered, c.offered);
  EXPECT_EQ(c.timeouts, 0u);
  EXPECT_EQ(c.mismatched, 0u);
  EXPECT_EQ(c.rejected, 0u);
  EXPECT_EQ(c.dropped, 0u);
  EXPECT_EQ(c.served, c.offered);
  EXPECT_EQ(c.tokens, 3 * c.answered);
  EXPECT_EQ(m.latency.count(), c.answered);
  EXPECT_EQ(m.ttft.count(), c.answered);
  EXPECT_EQ(m.itl.count(), 2 * c.answered);
  EXPECT_GE(m.latency.min(), m.ttft.min());

  // What the transports carried, byte for byte: each request at its size, each token at its
  // size, and the end-of-level markers (one per posted receive).
  const Roles roles(config, ranks);
  std::uint64_t to_servers = 0;
  std::uint64_t to_clients = 0;
  for (int a = 0; a < ranks; ++a) {
    for (int b = 0; b < ranks; ++b) {
      if (roles.is_server(a) == roles.is_server(b)) {
        EXPECT_EQ(bytes(r, a, b), 0u) << a << "->" << b;
      } else if (roles.is_server(b)) {
        to_servers += bytes(r, a, b);
      } else {
        to_clients += bytes(r, a, b);
      }
    }
  }
  const std::uint64_t pairs = static_cast<std::uint64_t>(roles.servers() * roles.clients());
  EXPECT_EQ(to_servers, c.sent * 200 + pairs * ring_depth(200) * kRequestHeaderSize);
  EXPECT_EQ(to_clients, c.tokens * 300 + pairs * ring_depth(300) * kResponseHeaderSize);
}

INSTANTIATE_TEST_SUITE_P(Rpc, Backends,
                         ::testing::Combine(::testing::ValuesIn(thread_backends()),
                                            ::testing::Values(2, 4)),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" +
                                  std::to_string(std::get<1>(info.param)) + "ranks";
                         });

class KvCache : public ::testing::TestWithParam<std::string> {};

TEST_P(KvCache, MovesToTheNextServerWhichStreams) {
  RpcFlags f = quick();
  f.servers = 2;
  f.rate = "300";  // a put over shared memory needs its target to progress: slow on busy cores
  f.kv = "64K";
  f.stream = 2;
  const RpcConfig config = parse_config(f);
  const Ran r = run_threads(GetParam(), 3, config);
  const RankResults& m = *r.levels[0].merged;
  EXPECT_EQ(r.kv_method, GetParam() == "ucx" ? "put" : "message");
  EXPECT_EQ(m.counters.answered, m.counters.offered);
  EXPECT_EQ(m.counters.mismatched, 0u);
  EXPECT_EQ(m.kv.count(), m.counters.offered);  // one per measured request
  // Every served request's cache went from its server to the other one.
  const std::uint64_t kv_bytes = bytes(r, 0, 1) + bytes(r, 1, 0);
  EXPECT_GE(kv_bytes, m.counters.served * 64 * 1024);
  EXPECT_LT(kv_bytes, m.counters.served * (64 * 1024 + 2 * kKvHeaderSize) + 64 * kKvHeaderSize);
}

INSTANTIATE_TEST_SUITE_P(Rpc, KvCache, ::testing::ValuesIn(thread_backends()),
                         [](const auto& info) { return info.param; });

TEST(RpcRun, AStallShowsInTheTailFromTheIntendedSendTime) {
  RpcFlags f = quick();
  f.rate = "1000";
  f.duration = "1s";
  f.stall = "200ms@300ms";
  const RpcConfig config = parse_config(f);
  const Ran r = run_threads("tcp", 2, config);
  const RankResults& m = *r.levels[0].merged;
  EXPECT_EQ(m.counters.timeouts, 0u);
  // About a fifth of the requests were due while the server was frozen: they waited up to
  // the whole 200 ms, and the tail says so.
  const auto p999 = percentile_or_timeout(m.latency, 0, 99.9);
  ASSERT_TRUE(p999.has_value());
  EXPECT_GE(*p999, 150'000'000u);
  EXPECT_GE(m.latency.max(), 190'000'000u);
  EXPECT_GE(*percentile_or_timeout(m.latency, 0, 90), 50'000'000u);
}

TEST(RpcRun, EveryArrivalIsAccountedForWhenTheServerCannotKeepUp) {
  RpcFlags f = quick();
  f.rate = "1000";
  f.service_time = "fixed:5ms";  // 200 requests/s at most
  f.max_outstanding = 2;
  f.request_timeout = "50ms";
  const RpcConfig config = parse_config(f);
  const Ran r = run_threads("tcp", 2, config);
  const Counters& c = r.levels[0].merged->counters;
  EXPECT_EQ(c.offered, 300u);  // constant arrivals, 1 ms apart, for 300 ms
  EXPECT_EQ(c.answered + c.timeouts, c.offered);
  EXPECT_GT(c.timeouts, 200u);
  // One worker at 5 ms a request answers 60 in 300 ms at most. Each timeout frees a slot for
  // the oldest request still waiting, which is younger, so most are sent just before their own
  // timeout; one is never sent only when the client falls behind by a whole slot's turn.
  EXPECT_LE(c.answered, 60u);
  EXPECT_LE(c.sent, c.offered);
  EXPECT_LE(c.unanswered, c.timeouts);
  EXPECT_FALSE(r.levels[0].kept_up);
  EXPECT_FALSE(percentile_or_timeout(r.levels[0].merged->latency, c.timeouts, 50).has_value());
}

// The server never reads: the client's sends stall once the transport's buffers and its own
// send pool are full, and each request due after that waits unsent until it times out.
TEST(RpcRun, RequestsThatCouldNotBeSentAreTimeoutsNeverAnswered) {
  RpcFlags f = quick();
  f.rate = "1000";
  f.req = "1M";
  f.request_timeout = "50ms";
  const RpcConfig config = parse_config(f);
  std::unique_ptr<RankResults> merged;
  const Custom silent_server = [&](transport::Transport& t, transport::Bootstrap& boot) {
    if (t.rank() != 0) return false;
    boot.barrier();                                 // the level starts
    merged = gather_results(boot, RankResults());  // the level ends
    return true;
  };
  run_threads("tcp", 2, config, silent_server);
  ASSERT_NE(merged, nullptr);
  const Counters& c = merged->counters;
  EXPECT_EQ(c.offered, 300u);  // constant arrivals, 1 ms apart, for 300 ms
  EXPECT_EQ(c.answered, 0u);
  EXPECT_EQ(c.timeouts, c.offered);
  EXPECT_EQ(c.unanswered, c.offered);
  // At most the send pool's 16 buffers of 1 MiB in flight and what loopback's socket buffers
  // took (a few MiB); everything after that was never sent.
  EXPECT_GT(c.sent, 0u);
  EXPECT_LE(c.sent, 64u);
}

TEST(RpcRun, ClosedLoopServiceTimeBoundsThroughput) {
  RpcFlags f = quick();
  f.servers = 1;
  f.concurrency = 4;
  f.service_time = "fixed:500us";
  const RpcConfig config = parse_config(f);
  const Ran r = run_threads("tcp", 3, config);
  const LevelOutcome& o = r.levels[0];
  EXPECT_EQ(o.merged->counters.sent, o.merged->counters.offered);
  EXPECT_EQ(o.merged->counters.answered, o.merged->counters.offered);
  EXPECT_GT(o.achieved_rps, 0);
  // One worker, 500 us a request: at most 2000 requests/s whatever the concurrency.
  EXPECT_LE(o.achieved_rps, 2000 * 1.02);
  EXPECT_GE(o.merged->latency.min(), 500'000u);
}

TEST(RpcRun, SweepStopsAtTheFirstRateTheServerCannotCarry) {
  RpcFlags f = quick();
  f.rate = "2000";
  f.service_time = "fixed:100us";  // one worker: at most 10000 requests/s
  f.warmup = "100ms";
  f.sweep = true;
  f.sweep_factor = 8;
  f.sweep_steps = 3;  // 2000, 16000, 128000
  f.request_timeout = "100ms";
  const RpcConfig config = parse_config(f);
  const Ran r = run_threads("tcp", 2, config);
  // 16000 requests/s is beyond what the server can do, so the sweep stops there at the
  // latest (a loaded machine may stop it at the first level already).
  ASSERT_GE(r.levels.size(), 1u);
  ASSERT_LE(r.levels.size(), 2u);
  EXPECT_FALSE(r.levels.back().ok());
  for (std::size_t i = 0; i + 1 < r.levels.size(); ++i) EXPECT_TRUE(r.levels[i].ok());
  EXPECT_DOUBLE_EQ(capacity_rps(r.levels), r.levels.size() == 2 ? 2000.0 : 0.0);
  EXPECT_DOUBLE_EQ(r.levels.back().plan.rate, r.levels.size() == 2 ? 16000.0 : 2000.0);
}

// Over tcp: one client sends a malformed request, one an oversized frame, one stops reading
// its responses, one never does anything. The server drops the first three with a log line,
// stops waiting for the fourth at the deadline, and answers the well-behaved client throughout.
TEST(RpcRun, TcpServerSurvivesMisbehavingClients) {
  RpcFlags f = quick();
  f.rate = "20";
  f.resp = "1M";
  f.duration = "500ms";
  f.request_timeout = "300ms";
  const RpcConfig config = parse_config(f);
  const Tags tags = Tags::for_level(0);
  const Custom misbehave = [&](transport::Transport& t, transport::Bootstrap& boot) {
    if (t.rank() < 2) return false;  // the server and the good client run the benchmark
    boot.barrier();                  // the level starts
    std::vector<char> buf(2 << 20, 0);
    transport::Request req;
    if (t.rank() == 2) {
      std::memcpy(buf.data(), "JUNKJUNK", 8);
      t.send(0, tags.request, buf.data(), 64);
    } else if (t.rank() == 3) {
      t.isend(0, tags.request, buf.data(), buf.size(), req);  // over the server's 1 MiB limit
    } else if (t.rank() == 5) {
      for (std::uint32_t i = 0; i < 60; ++i) {
        encode_request(RequestHeader{false, false, i, 0, 1, 1u << 20, 64}, buf.data());
        t.send(0, tags.request, buf.data(), 64);
      }
    }
    gather_results(boot, RankResults());  // the level ends
    return true;
  };
  // Rank 3 may send what the server refuses to take.
  const Tune unlimited = [](int rank, transport::TransportOptions& o) {
    if (rank == 3) o.max_message = 0;
  };
  ::testing::internal::CaptureStderr();
  const Ran r = run_threads("tcp", 6, config, misbehave, unlimited);
  const std::string log = ::testing::internal::GetCapturedStderr();
  const Counters& c = r.levels[0].merged->counters;
  EXPECT_GT(c.offered, 0u);
  EXPECT_EQ(c.answered, c.offered);
  EXPECT_EQ(c.mismatched, 0u);
  EXPECT_EQ(c.rejected, 1u);
  EXPECT_EQ(c.dropped, 3u);
  EXPECT_EQ(c.unfinished, 1u);
  EXPECT_NE(log.find("dropping client rank 2: it sent a request with a wrong magic"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("dropping client rank 3"), std::string::npos) << log;
  EXPECT_NE(log.find("over this rank's limit"), std::string::npos) << log;
  EXPECT_NE(log.find("dropping client rank 5: it left its responses unread"), std::string::npos)
      << log;
  EXPECT_NE(log.find("client rank 4"), std::string::npos) << log;
}

}  // namespace
}  // namespace lp::bench::rpc
