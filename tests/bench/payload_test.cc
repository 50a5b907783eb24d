#include "bench/common/payload.h"

#include <gtest/gtest.h>

#include <vector>

namespace lp::bench {
namespace {

TEST(Payload, RoundTripsAtEveryLength) {
  for (std::size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 4096u, 4099u}) {
    std::vector<unsigned char> buf(len);
    fill_payload(buf.data(), len, 42);
    EXPECT_FALSE(payload_mismatch(buf.data(), len, 42)) << len;
    for (std::size_t i = 0; i < len; ++i) ASSERT_EQ(buf[i], payload_byte(42, i));
  }
}

TEST(Payload, FindsTheFirstWrongByte) {
  std::vector<unsigned char> buf(1000);
  fill_payload(buf.data(), buf.size(), 7);
  buf[517] ^= 0x10;
  buf[900] ^= 0x01;
  EXPECT_EQ(payload_mismatch(buf.data(), buf.size(), 7), 517u);
}

TEST(Payload, SeedsGiveDifferentBytes) {
  std::vector<unsigned char> a(64), b(64);
  fill_payload(a.data(), a.size(), 1);
  fill_payload(b.data(), b.size(), 2);
  EXPECT_NE(a, b);
  EXPECT_TRUE(payload_mismatch(a.data(), a.size(), 2).has_value());
}

}  // namespace
}  // namespace lp::bench
