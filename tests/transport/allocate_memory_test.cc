// Transport::allocate_memory: zeroed memory of the size asked, that peers can put into.
#include "lightpath/config.h"
#include "tests/transport/rank_threads.h"

#include <gtest/gtest.h>

#include <cstring>

namespace lp::transport {
namespace {

using namespace std::chrono_literals;

class AllocateMemory : public ::testing::TestWithParam<std::string> {};

TEST_P(AllocateMemory, ZeroedAndAPutTargetWhereThereIsPut) {
  TransportOptions options;
  options.timeout = 20s;
  run_transport_ranks(GetParam(), 2, options, [&](Transport& t) {
    constexpr std::size_t kLen = 3 * 4096 + 5;
    const auto mine = t.allocate_memory(kLen);
    ASSERT_EQ(mine->size(), kLen);
    ASSERT_EQ(reinterpret_cast<std::uintptr_t>(mine->data()) % 4096, 0u);
    const auto* bytes = static_cast<const unsigned char*>(mine->data());
    for (std::size_t i = 0; i < kLen; ++i) ASSERT_EQ(bytes[i], 0) << i;
    if (!t.supports(Capability::kPut)) return;
    const int peer = 1 - t.rank();
    std::memset(mine->data(), 'a' + t.rank(), kLen);
    t.barrier();
    auto remotes = t.exchange_regions(*mine);
    if (t.rank() == 0) {
      // Rank 0 overwrites the middle of rank 1's memory, then says so.
      Request r;
      t.put(*mine, 0, *remotes[peer], 4096, 4096, r);
      t.wait(r);
      const char done = 1;
      t.send(peer, 9, &done, 1);
    } else {
      char done = 0;
      t.recv(peer, 9, &done, 1);
      for (std::size_t i = 0; i < kLen; ++i) {
        ASSERT_EQ(bytes[i], (i >= 4096 && i < 8192) ? 'a' : 'b') << i;
      }
    }
    t.barrier();
  });
}

// A caller that never puts (TransportOptions::one_sided = false) gets no put capability, and
// still gets allocated memory and messages that land in it.
TEST_P(AllocateMemory, TwoSidedOnlyTransportsStillAllocateAndMoveMessages) {
  TransportOptions options;
  options.timeout = 20s;
  options.one_sided = false;
  run_transport_ranks(GetParam(), 2, options, [&](Transport& t) {
    if (GetParam() == "ucx") {
      EXPECT_FALSE(t.supports(Capability::kPut));
    }
    constexpr std::size_t kLen = 70000;  // past UCX's eager limit on shared memory
    const auto buf = t.allocate_memory(kLen);
    auto* bytes = static_cast<unsigned char*>(buf->data());
    const int peer = 1 - t.rank();
    if (t.rank() == 0) {
      for (std::size_t i = 0; i < kLen; ++i) bytes[i] = static_cast<unsigned char>(i * 7);
      t.send(peer, 3, bytes, kLen);
    } else {
      ASSERT_EQ(t.recv(peer, 3, bytes, kLen), kLen);
      for (std::size_t i = 0; i < kLen; ++i) ASSERT_EQ(bytes[i], static_cast<unsigned char>(i * 7)) << i;
    }
  });
}

std::vector<std::string> backends_here() {
  std::vector<std::string> names = {"tcp"};
  if (LP_HAVE_UCX) names.push_back("ucx");
  return names;
}

INSTANTIATE_TEST_SUITE_P(Backends, AllocateMemory, ::testing::ValuesIn(backends_here()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lp::transport
