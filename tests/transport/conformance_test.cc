// One suite for every backend that can run with ranks as threads: what the Transport
// interface promises (transport.h), checked the same way for each. A backend that cannot
// run here (verbs without an RDMA device) is skipped, saying why. verbs_fake is the verbs
// protocol over the in-memory NIC of the verbs unit tests: it runs everywhere.
#include "core/error.h"
#include "lightpath/config.h"
#include "tests/transport/rank_threads.h"
#include "tests/transport/verbs/fake_nic.h"
#include "transport/verbs/verbs_transport.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <numeric>

namespace lp::transport {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::vector<std::string> thread_backends() {
  std::vector<std::string> names = {"tcp"};
  if (LP_HAVE_UCX) names.push_back("ucx");
  names.push_back("verbs");
  names.push_back("verbs_fake");
  return names;
}

using Maker = std::function<std::unique_ptr<Transport>(Bootstrap&, const TransportOptions&)>;

// Makes the transports of one run of `n` ranks of `backend`.
Maker maker_for(const std::string& backend, int n) {
  if (backend == "verbs_fake") {
    const auto fabric = verbs::FakeFabric::make(n);
    return [fabric](Bootstrap& boot, const TransportOptions& options) {
      return verbs::make_verbs_transport(boot, options, fabric->nic(boot.rank()),
                                         verbs::default_config(boot.size()));
    };
  }
  return [backend](Bootstrap& boot, const TransportOptions& options) {
    return make_transport(backend, boot, options);
  };
}

// Deterministic bytes that differ per message and per position, to catch misplaced data.
std::vector<unsigned char> pattern(std::size_t len, unsigned seed) {
  std::vector<unsigned char> v(len);
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<unsigned char>(x >> 24);
  }
  return v;
}

class Conformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (const BackendInfo& b : backends()) {
      if (b.name == GetParam() && !b.unavailable_reason.empty()) {
        GTEST_SKIP() << GetParam() << " cannot run here: " << b.unavailable_reason;
      }
    }
  }

  void run(int n, const std::function<void(Transport&)>& body,
           std::chrono::milliseconds timeout = 20s) {
    TransportOptions options;
    options.timeout = timeout;
    auto boots = make_thread_bootstraps(n);
    const Maker make = maker_for(GetParam(), n);
    run_ranks(boots, [&](Bootstrap& boot) { body(*make(boot, options)); });
  }
};

TEST_P(Conformance, SameTagMessagesArriveInOrder) {
  constexpr int kCount = 200;
  run(2, [&](Transport& t) {
    if (t.rank() == 0) {
      for (std::uint32_t i = 0; i < kCount; ++i) t.send(1, 7, &i, sizeof i);
    } else {
      // Half the receives are posted before the messages arrive, half after.
      std::vector<std::uint32_t> got(kCount);
      std::vector<Request> reqs(kCount);
      for (int i = 0; i < kCount / 2; ++i) t.irecv(0, 7, &got[i], sizeof got[i], reqs[i]);
      t.wait_all(reqs.data(), kCount / 2);
      for (int i = kCount / 2; i < kCount; ++i) t.irecv(0, 7, &got[i], sizeof got[i], reqs[i]);
      t.wait_all(reqs.data() + kCount / 2, kCount / 2);
      for (std::uint32_t i = 0; i < kCount; ++i) EXPECT_EQ(got[i], i);
    }
    t.barrier();
  });
}

TEST_P(Conformance, TagsAndSourcesAreSeparate) {
  run(3, [&](Transport& t) {
    if (t.rank() == 0) {
      // Receive in the opposite order of sending: tag 2 before tag 1, rank 2 before rank 1.
      std::array<char, 16> a{}, b{}, c{}, d{};
      EXPECT_EQ(t.recv(2, 2, c.data(), c.size()), 3u);
      EXPECT_EQ(t.recv(2, 1, d.data(), d.size()), 3u);
      EXPECT_EQ(t.recv(1, 2, a.data(), a.size()), 3u);
      EXPECT_EQ(t.recv(1, 1, b.data(), b.size()), 3u);
      EXPECT_STREQ(a.data(), "12");
      EXPECT_STREQ(b.data(), "11");
      EXPECT_STREQ(c.data(), "22");
      EXPECT_STREQ(d.data(), "21");
    } else {
      const std::string tag1 = std::to_string(t.rank()) + "1";
      const std::string tag2 = std::to_string(t.rank()) + "2";
      t.send(0, 1, tag1.c_str(), 3);
      t.send(0, 2, tag2.c_str(), 3);
    }
    t.barrier();
  });
}

TEST_P(Conformance, ZeroByteMessages) {
  run(2, [&](Transport& t) {
    char buf[8] = {};
    const int peer = 1 - t.rank();
    Request reqs[2];
    t.irecv(peer, 3, buf, sizeof buf, reqs[0]);
    t.isend(peer, 3, buf, 0, reqs[1]);
    t.wait_all(reqs, 2);
    EXPECT_EQ(reqs[0].bytes, 0u);
    // A zero-byte message still takes its own place in the order.
    std::uint64_t v = 42;
    if (t.rank() == 0) {
      t.send(1, 4, nullptr, 0);
      t.send(1, 4, &v, sizeof v);
    } else {
      EXPECT_EQ(t.recv(0, 4, &v, sizeof v), 0u);
      v = 0;
      EXPECT_EQ(t.recv(0, 4, &v, sizeof v), sizeof v);
      EXPECT_EQ(v, 42u);
    }
    t.barrier();
  });
}

TEST_P(Conformance, LargeMessageBothWays) {
  constexpr std::size_t kLen = std::size_t{64} << 20;
  run(2, [&](Transport& t) {
    const int peer = 1 - t.rank();
    const auto out = pattern(kLen, static_cast<unsigned>(t.rank()));
    std::vector<unsigned char> in(kLen);
    Request reqs[2];
    t.irecv(peer, 9, in.data(), in.size(), reqs[0]);
    t.isend(peer, 9, out.data(), out.size(), reqs[1]);
    t.wait_all(reqs, 2);
    EXPECT_EQ(reqs[0].bytes, kLen);
    EXPECT_TRUE(in == pattern(kLen, static_cast<unsigned>(peer)));
    t.barrier();
  });
}

TEST_P(Conformance, ThousandOutstandingRequests) {
  constexpr std::size_t kCount = 1000;
  constexpr std::size_t kLen = 1024;
  run(2, [&](Transport& t) {
    const int peer = 1 - t.rank();
    std::vector<std::vector<unsigned char>> out(kCount), in(kCount, std::vector<unsigned char>(kLen));
    std::vector<Request> reqs(2 * kCount);
    for (std::size_t i = 0; i < kCount; ++i) {
      out[i] = pattern(kLen, static_cast<unsigned>(t.rank() * kCount + i));
      t.irecv(peer, 5, in[i].data(), kLen, reqs[i]);
    }
    for (std::size_t i = 0; i < kCount; ++i) t.isend(peer, 5, out[i].data(), kLen, reqs[kCount + i]);
    t.wait_all(reqs.data(), reqs.size());
    for (std::size_t i = 0; i < kCount; ++i) {
      ASSERT_TRUE(in[i] == pattern(kLen, static_cast<unsigned>(peer * kCount + i))) << "message " << i;
    }
    t.barrier();
  });
}

TEST_P(Conformance, ReceiveReportsArrivedLength) {
  run(2, [&](Transport& t) {
    if (t.rank() == 0) {
      for (std::size_t len : {1, 37, 4096, 100000}) {
        const auto msg = pattern(len, static_cast<unsigned>(len));
        t.send(1, 11, msg.data(), len);
      }
    } else {
      std::vector<unsigned char> buf(200000);
      for (std::size_t len : {1, 37, 4096, 100000}) {
        EXPECT_EQ(t.recv(0, 11, buf.data(), buf.size()), len);
        EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(len),
                               pattern(len, static_cast<unsigned>(len)).begin()));
      }
    }
    t.barrier();
  });
}

TEST_P(Conformance, MessageLongerThanReceiveBufferIsAnError) {
  run(2, [&](Transport& t) {
    std::array<char, 64> big{};
    if (t.rank() == 0) {
      t.send(1, 12, big.data(), big.size());
    } else {
      std::array<char, 16> small{};
      try {
        t.recv(0, 12, small.data(), small.size());
        ADD_FAILURE() << "a 64-byte message fit a 16-byte receive";
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("longer than the receive buffer"), std::string::npos)
            << e.what();
      }
    }
    // The transport still works afterwards.
    const int peer = 1 - t.rank();
    std::uint32_t v = 7;
    Request reqs[2];
    std::uint32_t got = 0;
    t.irecv(peer, 13, &got, sizeof got, reqs[0]);
    t.isend(peer, 13, &v, sizeof v, reqs[1]);
    t.wait_all(reqs, 2);
    EXPECT_EQ(got, 7u);
  });
}

TEST_P(Conformance, PutThenNotify) {
  run(2, [&](Transport& t) {
    constexpr std::size_t kLen = 1 << 20;
    std::vector<unsigned char> mine(kLen, 0);
    const auto region = t.register_memory(mine.data(), mine.size());
    if (!t.supports(Capability::kPut)) {
      EXPECT_THROW(t.exchange_regions(*region), Error);
      return;
    }
    const auto remotes = t.exchange_regions(*region);
    const int peer = 1 - t.rank();
    ASSERT_EQ(remotes[peer]->size(), kLen);
    if (t.rank() == 0) {
      const auto src = pattern(kLen, 99);
      std::memcpy(mine.data(), src.data(), kLen);
      // Two puts at different offsets, then one message announcing both.
      Request r;
      t.put(*region, 0, *remotes[peer], 4096, kLen / 2, r);
      t.wait(r);
      t.put(*region, kLen / 2, *remotes[peer], 4096 + kLen / 2, 100, r);
      t.wait(r);
      const char note = 1;
      t.send(peer, 14, &note, 1);
      // Puts are counted as traffic, like sends.
      EXPECT_EQ(t.traffic().peers()[peer].bytes, kLen / 2 + 100 + 1);
    } else {
      char note = 0;
      t.recv(peer, 14, &note, 1);
      const auto src = pattern(kLen, 99);
      EXPECT_TRUE(std::equal(src.begin(), src.begin() + kLen / 2 + 100, mine.begin() + 4096));
      EXPECT_EQ(mine[4095], 0);
      EXPECT_EQ(mine[4096 + kLen / 2 + 100], 0);
    }
    t.barrier();
  });
}

TEST_P(Conformance, TrafficCountsExactlyTheUserBytes) {
  run(3, [&](Transport& t) {
    t.barrier();  // set-up messages (if any) are not workload
    const std::vector<std::size_t> sizes = {0, 1, 1000, 65536, 1 << 20};
    std::vector<unsigned char> buf(1 << 20);
    if (t.rank() == 0) {
      for (std::size_t len : sizes) t.send(2, 1, buf.data(), len);
    } else if (t.rank() == 2) {
      for (std::size_t len : sizes) EXPECT_EQ(t.recv(0, 1, buf.data(), buf.size()), len);
    }
    t.barrier();
    const auto& peers = t.traffic().peers();
    for (int p = 0; p < t.size(); ++p) {
      const bool sender = t.rank() == 0 && p == 2;
      EXPECT_EQ(peers[p].bytes, sender ? std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}) : 0u)
          << "rank " << t.rank() << " to " << p;
      EXPECT_EQ(peers[p].messages, sender ? sizes.size() : 0u) << "rank " << t.rank() << " to " << p;
    }
  });
}

TEST_P(Conformance, SilentPeerIsPeerLostWithinTheTimeout) {
  auto boots = make_thread_bootstraps(2);
  TransportOptions options;
  options.timeout = 300ms;
  const Maker make = maker_for(GetParam(), 2);
  run_ranks(boots, [&](Bootstrap& boot) {
    const auto t = make(boot, options);
    if (t->rank() == 0) {
      std::uint64_t v = 0;
      const auto start = Clock::now();
      try {
        t->recv(1, 15, &v, sizeof v);
        ADD_FAILURE() << "a receive from a silent peer completed";
      } catch (const PeerLost& e) {
        const auto took = Clock::now() - start;
        EXPECT_GE(took, 300ms);
        EXPECT_LT(took, 3s);
        EXPECT_EQ(e.peer(), 1);
        const std::string what = e.what();
        EXPECT_NE(what.find("rank 0"), std::string::npos) << what;
        EXPECT_NE(what.find("rank 1"), std::string::npos) << what;
      }
    }
    boot.barrier();  // rank 1 stays up (silent) until rank 0 has given up
  });
}

// Receives nothing will match, left posted when the transport closes (a peer that vanished):
// closing neither hangs nor complains, and what did arrive was delivered.
TEST_P(Conformance, ReceivesLeftPostedAtCloseAreReleased) {
  struct Left {
    std::array<std::uint64_t, 4> bufs{};
    std::array<Request, 4> reqs{};
  };
  std::array<Left, 2> left;  // outlives the transports, as the caller's buffers must
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  run(2, [&](Transport& t) {
    const int peer = 1 - t.rank();
    Left& mine = left[static_cast<std::size_t>(t.rank())];
    for (std::size_t i = 0; i < mine.reqs.size(); ++i) {
      t.irecv(peer, 40 + static_cast<Tag>(i), &mine.bufs[i], sizeof mine.bufs[i], mine.reqs[i]);
    }
    const std::uint64_t v = 77;
    t.send(peer, 40, &v, sizeof v);
    t.wait(mine.reqs[0]);
    EXPECT_EQ(mine.bufs[0], 77u);
    for (std::size_t i = 1; i < mine.reqs.size(); ++i) EXPECT_FALSE(t.test(mine.reqs[i]));
    t.barrier();
  });
  const std::string out = ::testing::internal::GetCapturedStdout() +
                          ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.find("not returned"), std::string::npos) << out;
  EXPECT_EQ(out.find("WARN"), std::string::npos) << out;
}

TEST_P(Conformance, ByteCountsBeyond2GiBDoNotOverflow) {
  run(2, [&](Transport& t) {
    const int peer = 1 - t.rank();
    // The traffic counter adds in 64 bits.
    const std::size_t huge = (std::size_t{5} << 30) + 3;
    t.traffic().add(peer, huge);
    t.traffic().add(peer, huge);
    EXPECT_EQ(t.traffic().peers()[peer].bytes, 2 * huge);
    t.traffic().reset();
    // A put whose offset is past 2^32 is refused by the bounds check, never wrapped around.
    std::vector<unsigned char> mine(4096);
    const auto region = t.register_memory(mine.data(), mine.size());
    if (t.supports(Capability::kPut)) {
      const auto remotes = t.exchange_regions(*region);
      Request r;
      EXPECT_THROW(t.put(*region, 0, *remotes[peer], std::size_t{1} << 32, 16, r), Error);
      EXPECT_THROW(t.put(*region, (std::size_t{1} << 33) - 8, *remotes[peer], 0, 16, r), Error);
      // offset + len would wrap around to a small number.
      EXPECT_THROW(t.put(*region, SIZE_MAX - 8, *remotes[peer], 0, 16, r), Error);
      EXPECT_THROW(t.put(*region, 0, *remotes[peer], SIZE_MAX - 8, 16, r), Error);
      EXPECT_EQ(t.traffic().peers()[peer].bytes, 0u);
    }
    t.barrier();
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, Conformance, ::testing::ValuesIn(thread_backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lp::transport
