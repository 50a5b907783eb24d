#include "core/error.h"
#include "tests/transport/rank_threads.h"
#include "transport/bootstrap.h"
#include "transport/socket.h"

#include <gtest/gtest.h>

#include <thread>

namespace lp::transport {
namespace {

using namespace std::chrono_literals;

void expect_allgather_works(std::vector<std::unique_ptr<Bootstrap>>& boots) {
  const int n = static_cast<int>(boots.size());
  run_ranks(boots, [n](Bootstrap& b) {
    EXPECT_EQ(b.size(), n);
    for (int round = 0; round < 20; ++round) {
      // Different lengths per rank, including empty.
      const std::string mine(static_cast<std::size_t>(b.rank() * round), static_cast<char>('a' + b.rank()));
      const auto all = b.allgather(mine);
      ASSERT_EQ(static_cast<int>(all.size()), n);
      for (int r = 0; r < n; ++r) {
        EXPECT_EQ(all[r], std::string(static_cast<std::size_t>(r * round), static_cast<char>('a' + r)));
      }
      b.barrier();
    }
  });
}

TEST(ThreadBootstrap, AllgatherAndBarrier) {
  for (int n : {1, 2, 3, 5, 8}) {
    auto boots = make_thread_bootstraps(n);
    expect_allgather_works(boots);
  }
}

// A port that was free a moment ago: tests never use fixed ports, so suites can run at once.
std::string free_port() {
  Socket s = listen_on(Endpoint{"127.0.0.1", "0"});
  return local_endpoint(s).port;
}

std::vector<std::unique_ptr<Bootstrap>> tcp_group(int n) {
  const std::string port = free_port();
  std::vector<std::unique_ptr<Bootstrap>> boots(static_cast<std::size_t>(n));
  std::vector<std::thread> joiners;
  for (int r = 1; r < n; ++r) {
    joiners.emplace_back([&, r] { boots[r] = make_tcp_bootstrap_connect("127.0.0.1:" + port, 10s); });
  }
  boots[0] = make_tcp_bootstrap_listen(":" + port, n, 10s);
  for (auto& t : joiners) t.join();
  // Ranks 1.. are assigned in order of connection: sort them into place.
  std::sort(boots.begin(), boots.end(), [](auto& a, auto& b) { return a->rank() < b->rank(); });
  return boots;
}

TEST(TcpBootstrap, AllgatherAndBarrier) {
  auto boots = tcp_group(4);
  for (int r = 0; r < 4; ++r) EXPECT_EQ(boots[r]->rank(), r);
  expect_allgather_works(boots);
}

TEST(TcpBootstrap, DetectsDifferentArguments) {
  auto boots = tcp_group(3);
  std::atomic<int> caught{0};
  run_ranks(boots, [&](Bootstrap& b) {
    try {
      check_same_everywhere(b, b.rank() == 2 ? "--sizes 1:8" : "--sizes 1:4", "arguments");
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("rank(s) 2"), std::string::npos) << e.what();
      ++caught;
    }
  });
  EXPECT_EQ(caught.load(), 3);
}

TEST(TcpBootstrap, GarbageConnectionIsDroppedNotFatal) {
  const std::string port = free_port();
  std::unique_ptr<Bootstrap> peer;
  std::thread others([&] {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    Socket intruder = connect_to(parse_endpoint("127.0.0.1:" + port, "test"), deadline);
    const char junk[] = "GET / HTTP/1.0\r\n\r\n";
    send_all(intruder, junk, sizeof junk, deadline);
    peer = make_tcp_bootstrap_connect("127.0.0.1:" + port, 10s);
  });
  auto root = make_tcp_bootstrap_listen(":" + port, 2, 10s);
  others.join();
  EXPECT_EQ(peer->rank(), 1);
  std::vector<std::unique_ptr<Bootstrap>> boots;
  boots.push_back(std::move(root));
  boots.push_back(std::move(peer));
  expect_allgather_works(boots);
}

TEST(TcpBootstrap, CheckPeersNamesARankWhoseProcessEnded) {
  auto boots = tcp_group(3);
  // All alive, and data already waiting (an exchange that started early) is not an end.
  for (auto& b : boots) EXPECT_NO_THROW(b->check_peers());
  std::thread early([&] { boots[2]->allgather("x"); });
  std::this_thread::sleep_for(50ms);
  EXPECT_NO_THROW(boots[0]->check_peers());
  std::thread rest([&] { boots[1]->allgather("y"); });
  boots[0]->allgather("z");
  early.join();
  rest.join();
  // Rank 2 goes away: rank 0 names it; then rank 0 goes and rank 1 names rank 0.
  boots[2].reset();
  std::this_thread::sleep_for(50ms);
  try {
    boots[0]->check_peers();
    FAIL() << "a closed connection went unnoticed";
  } catch (const PeerLost& e) {
    EXPECT_EQ(e.peer(), 2);
    EXPECT_NE(std::string(e.what()).find("lost rank 2"), std::string::npos) << e.what();
  }
  boots[0].reset();
  std::this_thread::sleep_for(50ms);
  try {
    boots[1]->check_peers();
    FAIL() << "a closed connection went unnoticed";
  } catch (const PeerLost& e) {
    EXPECT_EQ(e.peer(), 0);
  }
}

TEST(ThreadBootstrap, CheckPeersIsANoOp) {
  auto boots = make_thread_bootstraps(2);
  EXPECT_NO_THROW(boots[0]->check_peers());
}

TEST(TcpBootstrap, ListenerTimesOutWithoutPeers) {
  EXPECT_THROW(make_tcp_bootstrap_listen(":" + free_port(), 2, 300ms), Error);
}

TEST(TcpBootstrap, BadEndpointIsInputError) {
  EXPECT_THROW(make_tcp_bootstrap_connect("nohostport", 100ms), InputError);
  EXPECT_THROW(make_tcp_bootstrap_listen(":99999", 2, 100ms), InputError);
}

}  // namespace
}  // namespace lp::transport
