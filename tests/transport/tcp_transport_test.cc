// The TCP backend's wire format and limits (its behaviour as a Transport is in the
// conformance suite).
#include "core/error.h"
#include "tests/transport/rank_threads.h"
#include "transport/tcp/tcp_frame.h"
#include "transport/tcp/tcp_mesh.h"
#include "transport/tcp/tcp_transport.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace lp::transport::tcp {
namespace {

using namespace std::chrono_literals;

TEST(TcpFrame, RoundTripsLengthsPast4GiB) {
  const FrameHeader h{kMaxUserTag, (std::uint64_t{5} << 30) + 7};
  char wire[kFrameHeaderSize];
  encode_frame(h, wire);
  const FrameHeader back = decode_frame(wire, std::size_t{8} << 30, 1, 0);
  EXPECT_EQ(back.tag, h.tag);
  EXPECT_EQ(back.length, h.length);
}

TEST(TcpFrame, RejectsWrongMagicNamingBothRanks) {
  char wire[kFrameHeaderSize];
  encode_frame(FrameHeader{1, 8}, wire);
  wire[0] ^= 0x5a;
  try {
    decode_frame(wire, 1024, 3, 5);
    ADD_FAILURE() << "a corrupted header was accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("malformed frame"), std::string::npos) << what;
    EXPECT_NE(what.find("rank 3"), std::string::npos) << what;
    EXPECT_NE(what.find("rank 5"), std::string::npos) << what;
  }
}

TEST(TcpFrame, RejectsLengthOverTheLimit) {
  char wire[kFrameHeaderSize];
  encode_frame(FrameHeader{1, 1025}, wire);
  EXPECT_THROW(decode_frame(wire, 1024, 0, 1), Error);
  encode_frame(FrameHeader{1, 1024}, wire);
  EXPECT_EQ(decode_frame(wire, 1024, 0, 1).length, 1024u);
  // The largest length a header can carry is refused, not allocated.
  encode_frame(FrameHeader{1, UINT64_MAX}, wire);
  EXPECT_THROW(decode_frame(wire, kDefaultMaxMessage, 0, 1), Error);
}

TEST(TcpTransport, OversizedMessageIsRejectedByTheReceiver) {
  auto boots = make_thread_bootstraps(2);
  TransportOptions options;
  options.timeout = 10s;
  run_ranks(boots, [&](Bootstrap& boot) {
    const auto t = make_tcp_transport(boot, options, boot.rank() == 1 ? 1024 : kDefaultMaxMessage);
    std::vector<char> buf(4096);
    if (t->rank() == 0) {
      t->send(1, 1, buf.data(), 2048);
    } else {
      try {
        t->recv(0, 1, buf.data(), buf.size());
        ADD_FAILURE() << "a message over the limit was accepted";
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("limit of 1024 bytes"), std::string::npos) << e.what();
      }
      // Its own limit applies to what it sends, before anything is written; and the peer
      // whose stream broke is reported as lost.
      try {
        t->send(0, 1, buf.data(), 2048);
        ADD_FAILURE() << "a send over the limit was accepted";
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("over the tcp limit"), std::string::npos) << e.what();
      }
      EXPECT_THROW(t->send(0, 1, buf.data(), 8), PeerLost);
    }
    boot.barrier();
  });
}

// One rank launched by something other than threads, so host_address looks at interfaces.
class LoneRank : public Bootstrap {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::string> allgather(std::string_view mine) override { return {std::string(mine)}; }
  void barrier() override {}
  std::string kind() const override { return "tcp"; }
};

// Sets LP_TCP_IFNAME for one test and restores its absence after.
class InterfaceVariable {
 public:
  explicit InterfaceVariable(const char* value) { ::setenv(kInterfaceVariable, value, 1); }
  ~InterfaceVariable() { ::unsetenv(kInterfaceVariable); }
};

TEST(TcpHostAddress, TheNamedInterfaceWinsEvenLoopback) {
  const InterfaceVariable named("lo");
  EXPECT_EQ(host_address(LoneRank()), "127.0.0.1");
}

TEST(TcpHostAddress, AMissingNamedInterfaceIsAnInputErrorNamingTheVariable) {
  const InterfaceVariable named("lpnosuchif0");
  try {
    host_address(LoneRank());
    ADD_FAILURE() << "an interface that does not exist was accepted";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("LP_TCP_IFNAME"), std::string::npos) << what;
    EXPECT_NE(what.find("lpnosuchif0"), std::string::npos) << what;
  }
}

TEST(TcpHostAddress, ThreadsAlwaysUseLoopback) {
  const InterfaceVariable named("lpnosuchif0");
  auto boots = make_thread_bootstraps(1);
  EXPECT_EQ(host_address(*boots[0]), "127.0.0.1");
}

}  // namespace
}  // namespace lp::transport::tcp
