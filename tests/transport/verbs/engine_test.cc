// The verbs protocol (engine.h) over the in-memory NIC, one thread driving every rank:
// eager inline and staged sends, rendezvous writes with immediate, credits under floods,
// truncation, completion errors and malformed peers.
#include "core/error.h"
#include "tests/transport/verbs/fake_nic.h"
#include "transport/verbs/engine.h"
#include "transport/verbs/wire.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace lp::transport::verbs {
namespace {

// Small enough that every path is taken with small messages: eager up to 116 bytes, inline
// up to 64 bytes on the wire, writes in pieces of 1000 bytes, 8 receive buffers per peer.
EngineConfig small_config() {
  EngineConfig c;
  c.buffer_size = 128;
  c.recv_depth = 8;
  c.send_depth = 16;
  c.send_buffers = 8;
  c.max_message = 1 << 20;
  return c;
}

FakeFabricOptions small_fabric() {
  FakeFabricOptions o;
  o.max_inline = 64;
  o.max_write = 1000;
  return o;
}

std::vector<char> pattern(std::size_t len, unsigned seed) {
  std::vector<char> v(len);
  std::uint32_t x = seed * 2654435761u + 7;
  for (char& b : v) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<char>(x >> 24);
  }
  return v;
}

// `engines` ranks with engines (the others have none: tests speak for them through the
// fabric) over one fake fabric of `size` ranks.
struct Ranks {
  explicit Ranks(int size, int engines, EngineConfig config = small_config(),
                 FakeFabricOptions options = small_fabric())
      : fabric(FakeFabric::make(size, options)) {
    for (int r = 0; r < engines; ++r) {
      nics.push_back(fabric->nic(r));
      this->engines.push_back(std::make_unique<Engine>(*nics.back(), r, size, config));
    }
  }
  explicit Ranks(int size) : Ranks(size, size) {}

  Engine& operator[](int r) { return *engines[static_cast<std::size_t>(r)]; }

  void progress_all() {
    for (auto& e : engines) e->progress();
  }
  // Progresses every engine until `done`; fails the test after `rounds` rounds.
  void run_until(const std::function<bool()>& done, int rounds = 100000) {
    for (int i = 0; i < rounds; ++i) {
      if (done()) return;
      progress_all();
    }
    FAIL() << "the protocol did not finish in " << rounds << " rounds";
  }
  bool test(int rank, Request& r) {
    if (!r.done && (*this)[rank].test(r)) r.done = true;
    return r.done;
  }
  void wait(int rank, Request& r) {
    run_until([&] { return test(rank, r); });
  }

  std::shared_ptr<FakeFabric> fabric;
  std::vector<std::unique_ptr<Nic>> nics;
  std::vector<std::unique_ptr<Engine>> engines;
};

// What the Transport front end does before handing a request to the backend.
Request& fresh(Request& r, int peer) {
  r = Request{};
  r.peer = peer;
  r.done = false;
  return r;
}

void isend(Engine& e, int peer, Tag tag, const std::vector<char>& data, Request& r) {
  e.isend(peer, tag, data.data(), data.size(), fresh(r, peer));
}
void irecv(Engine& e, int peer, Tag tag, std::vector<char>& buf, Request& r) {
  e.irecv(peer, tag, buf.data(), buf.size(), fresh(r, peer));
}

TEST(VerbsEngine, SmallMessagesGoInlineLargerOnesThroughStagingBuffers) {
  Ranks ranks(2);
  const auto tiny = pattern(10, 1);     // 22 bytes on the wire: inline
  const auto medium = pattern(100, 2);  // 112 bytes: over max_inline, staged
  std::vector<char> a(200), b(200);
  Request s[2], r[2];
  irecv(ranks[1], 0, 5, a, r[0]);
  irecv(ranks[1], 0, 5, b, r[1]);
  isend(ranks[0], 1, 5, tiny, s[0]);
  EXPECT_TRUE(s[0].done) << "an inline send completes once posted";
  isend(ranks[0], 1, 5, medium, s[1]);
  EXPECT_TRUE(s[1].done) << "a staged send completes once copied and posted";
  ranks.wait(1, r[0]);
  ranks.wait(1, r[1]);
  EXPECT_EQ(r[0].bytes, tiny.size());
  EXPECT_EQ(r[1].bytes, medium.size());
  EXPECT_TRUE(std::equal(tiny.begin(), tiny.end(), a.begin()));
  EXPECT_TRUE(std::equal(medium.begin(), medium.end(), b.begin()));
  EXPECT_EQ(ranks[0].stats().inline_sends, 1u);
  EXPECT_EQ(ranks[0].stats().staged_sends, 1u);
  EXPECT_EQ(ranks[0].stats().rendezvous, 0u);
  EXPECT_EQ(ranks.fabric->counters().inline_errors, 0u);
  EXPECT_EQ(ranks[0].eager_limit(), 128u - kEagerHeaderSize);
}

TEST(VerbsEngine, LargeMessagesAreWrittenIntoTheReceiveBufferInPieces) {
  Ranks ranks(2);
  const auto big = pattern(5500, 3);
  std::vector<char> early(6000), late(6000);
  Request s[2], r[2];
  irecv(ranks[1], 0, 9, early, r[0]);  // posted before the rts arrives
  isend(ranks[0], 1, 9, big, s[0]);
  isend(ranks[0], 1, 9, big, s[1]);    // its rts waits, unexpected, for the second receive
  EXPECT_FALSE(s[0].done) << "a rendezvous send waits for the receiver";
  ranks.wait(1, r[0]);
  irecv(ranks[1], 0, 9, late, r[1]);
  ranks.wait(1, r[1]);
  ranks.wait(0, s[0]);
  ranks.wait(0, s[1]);
  for (const auto* buf : {&early, &late}) {
    EXPECT_TRUE(std::equal(big.begin(), big.end(), buf->begin()));
  }
  EXPECT_EQ(r[0].bytes, big.size());
  EXPECT_EQ(r[1].bytes, big.size());
  EXPECT_EQ(ranks[0].stats().rendezvous, 2u);
  const FakeCounters c = ranks.fabric->counters();
  EXPECT_EQ(c.writes, 12u) << "5500 bytes in pieces of 1000, twice";
  EXPECT_EQ(c.writes_with_imm, 2u) << "only the last piece carries the immediate";
  EXPECT_EQ(c.key_errors, 0u);
  EXPECT_EQ(ranks[1].stats().unexpected, 1u);
}

TEST(VerbsEngine, MixedSizesOnOneTagArriveInOrder) {
  Ranks ranks(2);
  const std::vector<std::size_t> sizes = {0, 10, 5000, 100, 117, 116, 3000, 1, 64, 52, 53, 2000};
  std::vector<std::vector<char>> out, in;
  std::vector<Request> s(sizes.size()), r(sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    out.push_back(pattern(sizes[i], static_cast<unsigned>(i)));
    in.emplace_back(6000);
  }
  // Half the receives before the sends, half after they all arrived.
  const std::size_t half = sizes.size() / 2;
  for (std::size_t i = 0; i < half; ++i) irecv(ranks[1], 0, 1, in[i], r[i]);
  for (std::size_t i = 0; i < sizes.size(); ++i) isend(ranks[0], 1, 1, out[i], s[i]);
  for (int i = 0; i < 100; ++i) ranks.progress_all();
  for (std::size_t i = half; i < sizes.size(); ++i) irecv(ranks[1], 0, 1, in[i], r[i]);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    ranks.wait(1, r[i]);
    ranks.wait(0, s[i]);
    ASSERT_EQ(r[i].bytes, sizes[i]) << "message " << i;
    EXPECT_TRUE(std::equal(out[i].begin(), out[i].end(), in[i].begin())) << "message " << i;
  }
  EXPECT_EQ(ranks.fabric->counters().overruns, 0u);
}

TEST(VerbsEngine, ASenderNeverOverrunsAReceiverThatDoesNotProgress) {
  Ranks ranks(2);
  constexpr int kCount = 300;
  const auto msg = pattern(40, 4);
  std::vector<Request> s(kCount);
  for (int i = 0; i < kCount; ++i) isend(ranks[0], 1, 2, msg, s[i]);
  for (int i = 0; i < 1000; ++i) ranks[0].progress();
  int sent = 0;
  for (Request& r : s) sent += ranks.test(0, r) ? 1 : 0;
  // One of the 8 credits stays reserved for returning credits.
  EXPECT_EQ(sent, 7);
  EXPECT_EQ(ranks.fabric->counters().overruns, 0u);

  std::vector<std::vector<char>> in(kCount, std::vector<char>(64));
  std::vector<Request> r(kCount);
  for (int i = 0; i < kCount; ++i) irecv(ranks[1], 0, 2, in[i], r[i]);
  ranks.run_until([&] {
    for (int i = 0; i < kCount; ++i) {
      if (!ranks.test(0, s[i]) || !ranks.test(1, r[i])) return false;
    }
    return true;
  });
  EXPECT_EQ(ranks.fabric->counters().overruns, 0u);
  EXPECT_GT(ranks[1].stats().credit_messages, 0u) << "credits went back without reverse traffic";
  for (const auto& b : in) EXPECT_TRUE(std::equal(msg.begin(), msg.end(), b.begin()));
}

TEST(VerbsEngine, AllToAllFloodsOfEverySizeNeverOverrun) {
  constexpr int kRanks = 3;
  constexpr int kCount = 120;
  Ranks ranks(kRanks);
  const std::vector<std::size_t> sizes = {8, 60, 116, 117, 2500};
  struct Flow {
    std::vector<std::vector<char>> out, in;
    std::vector<Request> s, r;
  };
  std::vector<Flow> flows(kRanks * kRanks);
  for (int from = 0; from < kRanks; ++from) {
    for (int to = 0; to < kRanks; ++to) {
      Flow& f = flows[from * kRanks + to];
      f.s.resize(kCount);
      f.r.resize(kCount);
      for (int i = 0; i < kCount; ++i) {
        f.out.push_back(pattern(sizes[i % sizes.size()], static_cast<unsigned>(from * 1000 + to * 100 + i)));
        f.in.emplace_back(2500);
      }
    }
  }
  // Every rank posts half its receives, sends everything, then posts the rest.
  for (int to = 0; to < kRanks; ++to) {
    for (int from = 0; from < kRanks; ++from) {
      Flow& f = flows[from * kRanks + to];
      for (int i = 0; i < kCount / 2; ++i) irecv(ranks[to], from, 3, f.in[i], f.r[i]);
    }
  }
  for (int from = 0; from < kRanks; ++from) {
    for (int to = 0; to < kRanks; ++to) {
      Flow& f = flows[from * kRanks + to];
      for (int i = 0; i < kCount; ++i) isend(ranks[from], to, 3, f.out[i], f.s[i]);
    }
  }
  for (int to = 0; to < kRanks; ++to) {
    for (int from = 0; from < kRanks; ++from) {
      Flow& f = flows[from * kRanks + to];
      for (int i = kCount / 2; i < kCount; ++i) irecv(ranks[to], from, 3, f.in[i], f.r[i]);
    }
  }
  ranks.run_until([&] {
    for (int from = 0; from < kRanks; ++from) {
      for (int to = 0; to < kRanks; ++to) {
        Flow& f = flows[from * kRanks + to];
        for (int i = 0; i < kCount; ++i) {
          if (!ranks.test(from, f.s[i]) || !ranks.test(to, f.r[i])) return false;
        }
      }
    }
    return true;
  });
  for (const Flow& f : flows) {
    for (int i = 0; i < kCount; ++i) {
      ASSERT_EQ(f.r[i].bytes, f.out[i].size());
      ASSERT_TRUE(std::equal(f.out[i].begin(), f.out[i].end(), f.in[i].begin())) << "message " << i;
    }
  }
  const FakeCounters c = ranks.fabric->counters();
  EXPECT_EQ(c.overruns, 0u);
  EXPECT_EQ(c.key_errors, 0u);
  EXPECT_EQ(c.inline_errors, 0u);
}

TEST(VerbsEngine, TruncatedMessagesAreErrorsAndTheSenderCompletes) {
  Ranks ranks(2);
  for (std::size_t len : {std::size_t{100}, std::size_t{4000}}) {
    const auto msg = pattern(len, 5);
    std::vector<char> small(50);
    Request s, r;
    irecv(ranks[1], 0, 4, small, r);
    isend(ranks[0], 1, 4, msg, s);
    ranks.wait(0, s);
    try {
      ranks.run_until([&] { return ranks.test(1, r); });
      ADD_FAILURE() << "a " << len << "-byte message fit a 50-byte receive";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("longer than the receive buffer"), std::string::npos) << what;
      EXPECT_NE(what.find(std::to_string(len) + " bytes"), std::string::npos) << what;
    }
    // Still works afterwards, and nothing was written past the small buffer.
    std::vector<char> ok(8);
    const auto next = pattern(8, 6);
    irecv(ranks[1], 0, 4, ok, r);
    isend(ranks[0], 1, 4, next, s);
    ranks.wait(1, r);
    EXPECT_EQ(ok, next);
  }
  EXPECT_EQ(ranks.fabric->counters().key_errors, 0u);
}

TEST(VerbsEngine, CompletionErrorsNameThePeerAndRetriesExhaustedMeanPeerLost) {
  Ranks ranks(2);
  std::vector<char> buf(16);
  Request pending;
  irecv(ranks[0], 1, 1, buf, pending);  // flushed when the queue pair fails
  ranks.fabric->fail_next(0, 1, "transport retry counter exceeded", true);
  const auto msg = pattern(10, 7);
  Request s;
  isend(ranks[0], 1, 1, msg, s);
  try {
    ranks.run_until([&] { return ranks.test(0, pending); });
    ADD_FAILURE() << "a receive on a failed queue pair completed";
  } catch (const PeerLost& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.peer(), 1);
    EXPECT_NE(what.find("rank 0"), std::string::npos) << what;
    EXPECT_NE(what.find("rank 1"), std::string::npos) << what;
    EXPECT_NE(what.find("transport retry counter exceeded"), std::string::npos)
        << "the cause, not the flush that followed it: " << what;
  }
  EXPECT_THROW(isend(ranks[0], 1, 1, msg, s), PeerLost);
}

TEST(VerbsEngine, OtherCompletionErrorsAreErrorsNotLostPeers) {
  Ranks ranks(2);
  ranks.fabric->fail_next(0, 1, "remote access error", false);
  const auto msg = pattern(10, 8);
  Request s;
  isend(ranks[0], 1, 1, msg, s);
  try {
    ranks.run_until([&] { return ranks.test(0, s); });
  } catch (const PeerLost&) {
    ADD_FAILURE() << "an access error was reported as a lost peer";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("remote access error"), std::string::npos) << e.what();
  }
}

TEST(VerbsEngine, MalformedMessagesFailThatPeerOnly) {
  Ranks ranks(3, 2);  // rank 2 has no engine: the test speaks for it
  ranks.fabric->inject(2, 0, "not a lightpath message");
  try {
    ranks[0].progress();
    ADD_FAILURE() << "garbage was accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("malformed verbs message from rank 2"), std::string::npos) << what;
  }
  std::vector<char> buf(8);
  Request r;
  EXPECT_THROW(irecv(ranks[0], 2, 1, buf, r), Error);
  // A clear-to-send for a send never offered breaks the protocol.
  Message cts;
  cts.kind = Kind::kCts;
  cts.send_id = 77;
  std::string wire(kCtsSize, '\0');
  encode(cts, wire.data());
  ranks.fabric->inject(2, 1, wire);
  EXPECT_THROW(ranks[1].progress(), Error);
  // Ranks 0 and 1 still talk.
  const auto msg = pattern(8, 9);
  Request s;
  irecv(ranks[1], 0, 1, buf, r);
  isend(ranks[0], 1, 1, msg, s);
  ranks.wait(1, r);
  EXPECT_EQ(buf, msg);
}

TEST(VerbsEngine, RendezvousRegistersEachBufferOnce) {
  Ranks ranks(2);
  const auto msg = pattern(3000, 10);
  std::vector<char> in(3000);
  for (int i = 0; i < 10; ++i) {
    Request s, r;
    irecv(ranks[1], 0, 1, in, r);
    isend(ranks[0], 1, 1, msg, s);
    ranks.wait(1, r);
    ranks.wait(0, s);
  }
  for (int rank : {0, 1}) {
    const auto stats = ranks[rank].cache().stats();
    EXPECT_EQ(stats.misses, 1u) << "rank " << rank;
    EXPECT_EQ(stats.hits, 9u) << "rank " << rank;
  }
  EXPECT_EQ(in, msg);
  // Each rank: its receive and staging buffers, and the one cached buffer.
  EXPECT_EQ(ranks.fabric->counters().registrations, 6u);
  ranks.engines.clear();
  EXPECT_EQ(ranks.fabric->counters().live_registrations, 0u) << "all deregistered with the engines";
}

TEST(VerbsEngine, PutWritesIntoTheRemoteRegionWithoutAReceive) {
  Ranks ranks(2);
  const auto src = pattern(4500, 11);
  std::vector<char> dst(5000, 0);
  const auto local = ranks[0].cache().acquire(src.data(), src.size());
  const auto remote = ranks[1].cache().acquire(dst.data(), dst.size());
  Request p;
  fresh(p, 1);
  ranks[0].put(1, src.data(), local.lkey(), reinterpret_cast<std::uintptr_t>(dst.data()) + 100,
               remote.rkey(), src.size(), p);
  ranks.wait(0, p);
  EXPECT_TRUE(std::equal(src.begin(), src.end(), dst.begin() + 100));
  EXPECT_EQ(dst[99], 0);
  const FakeCounters c = ranks.fabric->counters();
  EXPECT_EQ(c.writes, 5u);
  EXPECT_EQ(c.writes_with_imm, 0u);
  EXPECT_EQ(c.key_errors, 0u);
}

TEST(VerbsEngine, MessagesToItselfAreCopied) {
  Ranks ranks(2);
  for (std::size_t len : {std::size_t{0}, std::size_t{20}, std::size_t{3000}}) {
    const auto msg = pattern(len, 12);
    std::vector<char> before(3000), after(3000);
    Request s, r1, r2;
    irecv(ranks[0], 0, 6, before, r1);
    isend(ranks[0], 0, 6, msg, s);
    EXPECT_TRUE(s.done);
    isend(ranks[0], 0, 6, msg, s);
    irecv(ranks[0], 0, 6, after, r2);
    ranks.wait(0, r1);
    ranks.wait(0, r2);
    EXPECT_EQ(r1.bytes, len);
    EXPECT_EQ(r2.bytes, len);
    EXPECT_TRUE(std::equal(msg.begin(), msg.end(), before.begin()));
    EXPECT_TRUE(std::equal(msg.begin(), msg.end(), after.begin()));
  }
  EXPECT_EQ(ranks.fabric->counters().sends, 0u);
}

TEST(VerbsEngine, DrainWaitsForPostedSendsToLeave) {
  Ranks ranks(2);
  const auto msg = pattern(10, 13);
  Request s;
  isend(ranks[0], 1, 1, msg, s);
  EXPECT_TRUE(ranks[0].drain(std::chrono::seconds(1)));
  // A send that cannot leave (the receiver has no credits left for it) is reported.
  std::vector<Request> more(20);
  for (Request& r : more) isend(ranks[0], 1, 1, msg, r);
  EXPECT_FALSE(ranks[0].drain(std::chrono::milliseconds(50)));
}

TEST(VerbsEngine, ReceiveBuffersStayWithinTheBudgetAsRanksGrow) {
  const EngineConfig two = default_config(2);
  EXPECT_EQ(two.recv_depth, EngineConfig{}.recv_depth);
  for (int ranks : {2, 17, 129, 1025, 100000}) {
    const EngineConfig c = default_config(ranks);
    const std::size_t bytes = std::size_t(ranks - 1) * c.recv_depth * c.buffer_size;
    EXPECT_GE(c.recv_depth, kMinRecvDepth) << ranks << " ranks";
    if (c.recv_depth > kMinRecvDepth) {
      EXPECT_LE(bytes, kReceiveBudget) << ranks << " ranks";
    }
  }
  EXPECT_EQ(default_config(1025).recv_depth, kMinRecvDepth);
}

}  // namespace
}  // namespace lp::transport::verbs
