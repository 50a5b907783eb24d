// The rpc messages' headers: round trips, and everything a receiver must refuse.
#include "bench/rpc/wire.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace lp::bench::rpc {
namespace {

WireLimits limits() {
  WireLimits l;
  l.max_request = 4096;
  l.max_response = 1024;
  l.max_tokens = 64;
  l.kv_payload = 100;
  l.ranks = 4;
  return l;
}

std::vector<char> request(const RequestHeader& h, std::size_t len) {
  std::vector<char> buf(len, 'x');
  encode_request(h, buf.data());
  return buf;
}

TEST(Wire, RequestRoundTrips) {
  const RequestHeader h{false, true, 7, 9, 16, 512, 2048};
  const auto buf = request(h, 2048);
  const RequestHeader back = decode_request(buf.data(), buf.size(), limits());
  EXPECT_FALSE(back.done);
  EXPECT_TRUE(back.measured);
  EXPECT_EQ(back.slot, 7u);
  EXPECT_EQ(back.generation, 9u);
  EXPECT_EQ(back.tokens, 16u);
  EXPECT_EQ(back.response, 512u);
  EXPECT_EQ(back.length, 2048u);
  const auto done =
      request(RequestHeader{true, false, 0, 0, 0, 0, kRequestHeaderSize}, kRequestHeaderSize);
  EXPECT_TRUE(decode_request(done.data(), done.size(), limits()).done);
}

TEST(Wire, RequestRejectsWhatDoesNotAddUp) {
  const WireLimits l = limits();
  const RequestHeader good{false, false, 1, 1, 4, 64, 100};
  struct Case {
    const char* why;
    RequestHeader h;
    std::size_t len;
  };
  const Case cases[] = {
      {"shorter than the header", good, 20},
      {"length disagrees with the bytes", good, 101},
      {"over the largest request", RequestHeader{false, false, 1, 1, 4, 64, 5000}, 5000},
      {"no tokens", RequestHeader{false, false, 1, 1, 0, 64, 100}, 100},
      {"too many tokens", RequestHeader{false, false, 1, 1, 65, 64, 100}, 100},
      {"response smaller than its header", RequestHeader{false, false, 1, 1, 4, 8, 100}, 100},
      {"response over the largest", RequestHeader{false, false, 1, 1, 4, 2048, 100}, 100},
      {"done with fields set", RequestHeader{true, false, 3, 0, 0, 0, kRequestHeaderSize},
       kRequestHeaderSize},
  };
  for (const Case& c : cases) {
    const auto buf = request(c.h, std::max<std::size_t>(c.len, kRequestHeaderSize));
    EXPECT_THROW(decode_request(buf.data(), c.len, l), Error) << c.why;
  }
  auto bad_magic = request(good, 100);
  bad_magic[0] ^= 0x20;
  EXPECT_THROW(decode_request(bad_magic.data(), 100, l), Error);
  auto reserved = request(good, 100);
  reserved[20] = 2;
  EXPECT_THROW(decode_request(reserved.data(), 100, l), Error);
}

TEST(Wire, ResponseRoundTripsAndRejectsGarbage) {
  char buf[64] = {};
  encode_response(ResponseHeader{false, 3, 4, 5}, buf);
  const ResponseHeader h = decode_response(buf, sizeof buf);
  EXPECT_FALSE(h.end);
  EXPECT_EQ(h.slot, 3u);
  EXPECT_EQ(h.generation, 4u);
  EXPECT_EQ(h.token, 5u);
  EXPECT_THROW(decode_response(buf, 15), Error);
  encode_response(ResponseHeader{true, 0, 0, 0}, buf);
  EXPECT_TRUE(decode_response(buf, kResponseHeaderSize).end);
  EXPECT_THROW(decode_response(buf, 20), Error);  // an end marker is exactly its header
  std::memcpy(buf, "XXXX", 4);
  EXPECT_THROW(decode_response(buf, sizeof buf), Error);
}

TEST(Wire, KvRoundTripsAndChecksItsPayload) {
  const WireLimits l = limits();
  std::vector<char> buf(kKvHeaderSize + 100);
  encode_kv(KvHeader{false, 3, 1, 2, 4, 64, buf.size()}, buf.data());
  const KvHeader h = decode_kv(buf.data(), buf.size(), l);
  EXPECT_EQ(h.client, 3u);
  EXPECT_EQ(h.tokens, 4u);
  EXPECT_THROW(decode_kv(buf.data(), buf.size() - 1, l), Error);
  encode_kv(KvHeader{false, 4, 1, 2, 4, 64, buf.size()}, buf.data());
  EXPECT_THROW(decode_kv(buf.data(), buf.size(), l), Error);  // rank 4 of 4
  encode_kv(KvHeader{false, 3, 1, 2, 4, 64, kKvHeaderSize}, buf.data());
  EXPECT_THROW(decode_kv(buf.data(), kKvHeaderSize, l), Error);  // payload missing
  encode_kv(KvHeader{true, 0, 0, 0, 0, 0, kKvHeaderSize}, buf.data());
  EXPECT_TRUE(decode_kv(buf.data(), kKvHeaderSize, l).end);
}

TEST(Wire, EachLevelHasItsOwnTags) {
  const Tags a = Tags::for_level(0);
  const Tags b = Tags::for_level(1);
  EXPECT_NE(a.request, b.request);
  EXPECT_NE(a.kv, b.request);
  EXPECT_LE(Tags::for_level(kMaxLevels).kv, transport::kMaxUserTag);
}

}  // namespace
}  // namespace lp::bench::rpc
