// The verbs wire formats: messages in receive buffers, region keys, connection info. Every
// decoder refuses what is not well-formed, naming both ranks, before trusting a byte.
#include "core/error.h"
#include "transport/verbs/conn_info.h"
#include "transport/verbs/wire.h"

#include <gtest/gtest.h>

#include <string>

namespace lp::transport::verbs {
namespace {

const Limits kLimits{100, std::uint64_t{8} << 30, 64};

std::string wire(const Message& m, std::string_view payload = {}) {
  std::string out(header_size(m.kind) + payload.size(), '\0');
  EXPECT_EQ(encode(m, out.data()), header_size(m.kind));
  out.replace(header_size(m.kind), payload.size(), payload);
  return out;
}

Message decode(const std::string& bytes, const Limits& limits = kLimits) {
  return verbs::decode(bytes.data(), bytes.size(), limits, 3, 5);
}

// Expects decoding to fail with a message naming both ranks and containing `fragment`.
void expect_rejected(const std::string& bytes, std::string_view fragment, const Limits& limits = kLimits) {
  try {
    decode(bytes, limits);
    ADD_FAILURE() << "accepted; expected: " << fragment;
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
    EXPECT_NE(what.find("rank 3"), std::string::npos) << what;
    EXPECT_NE(what.find("rank 5"), std::string::npos) << what;
  }
}

TEST(VerbsWire, EagerCarriesTagCreditsAndPayload) {
  Message m;
  m.kind = Kind::kEager;
  m.tag = kMaxUserTag + 3;
  m.credits = 17;
  const std::string bytes = wire(m, "hello");
  ASSERT_EQ(bytes.size(), kEagerHeaderSize + 5);
  const Message back = decode(bytes);
  EXPECT_EQ(back.kind, Kind::kEager);
  EXPECT_EQ(back.tag, m.tag);
  EXPECT_EQ(back.credits, 17u);
  EXPECT_EQ(back.length, 5u);
  EXPECT_EQ(std::string(back.payload, back.length), "hello");
  EXPECT_EQ(decode(wire(m)).length, 0u) << "a zero-byte eager message";
}

TEST(VerbsWire, RendezvousMessagesRoundTripLengthsPast4GiB) {
  Message rts;
  rts.kind = Kind::kRts;
  rts.tag = 9;
  rts.send_id = 123456;
  rts.length = (std::uint64_t{5} << 30) + 7;
  const Message r = decode(wire(rts));
  EXPECT_EQ(r.kind, Kind::kRts);
  EXPECT_EQ(r.tag, 9u);
  EXPECT_EQ(r.send_id, 123456u);
  EXPECT_EQ(r.length, rts.length);

  Message cts;
  cts.kind = Kind::kCts;
  cts.credits = 2;
  cts.send_id = 123456;
  cts.recv_id = 42;
  cts.rkey = 0xdeadbeef;
  cts.address = 0x7f0012345678;
  cts.status = CtsStatus::kRefused;
  const Message c = decode(wire(cts));
  EXPECT_EQ(c.send_id, cts.send_id);
  EXPECT_EQ(c.recv_id, cts.recv_id);
  EXPECT_EQ(c.rkey, cts.rkey);
  EXPECT_EQ(c.address, cts.address);
  EXPECT_EQ(c.status, CtsStatus::kRefused);
  EXPECT_EQ(c.credits, 2u);

  Message credit;
  credit.credits = 64;
  EXPECT_EQ(decode(wire(credit)).credits, 64u);
}

TEST(VerbsWire, DecoderRejectsWhatIsNotOneWellFormedMessage) {
  Message eager;
  eager.kind = Kind::kEager;
  expect_rejected("short", "shorter than a header");
  std::string bad_magic = wire(eager, "x");
  bad_magic[0] ^= 0x11;
  expect_rejected(bad_magic, "magic");
  std::string bad_kind = wire(eager);
  bad_kind[2] = 9;
  expect_rejected(bad_kind, "unknown kind 9");
  std::string reserved = wire(eager);
  reserved[7] = 1;
  expect_rejected(reserved, "reserved");
  expect_rejected(wire(eager).substr(0, kEagerHeaderSize - 1), "at least 12 bytes");
  expect_rejected(wire(eager, std::string(101, 'x')), "over the limit of 100");

  Message rts;
  rts.kind = Kind::kRts;
  rts.length = 1000;
  expect_rejected(wire(rts) + "x", "25 bytes");
  rts.length = 100;
  expect_rejected(wire(rts), "which go eager");
  rts.length = UINT64_MAX;
  expect_rejected(wire(rts), "over this rank's limit");

  Message cts;
  cts.kind = Kind::kCts;
  std::string status = wire(cts);
  status[20] = 7;
  expect_rejected(status, "status 7");
  expect_rejected(wire(cts).substr(0, kCtsSize - 4), "28 bytes");

  Message credit;
  credit.credits = 65;
  expect_rejected(wire(credit), "65 credits");
}

TEST(VerbsWire, RegionKeysRoundTripAndRejectForeignBlobs) {
  const RegionKey key{0x7f0000001000, (std::uint64_t{3} << 32) + 5, 0x1234};
  const RegionKey back = unpack_region(pack_region(key), 0, 1);
  EXPECT_EQ(back.address, key.address);
  EXPECT_EQ(back.size, key.size);
  EXPECT_EQ(back.rkey, key.rkey);
  EXPECT_THROW(unpack_region("", 0, 1), Error);
  EXPECT_THROW(unpack_region(pack_region(key) + "x", 0, 1), Error);
  std::string wrong = pack_region(key);
  wrong[0] ^= 1;
  EXPECT_THROW(unpack_region(wrong, 0, 1), Error);
  try {
    unpack_region(pack_region(RegionKey{UINT64_MAX - 10, 20, 1}), 0, 1);
    ADD_FAILURE() << "a wrapping range was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("wraps around"), std::string::npos) << e.what();
  }
}

ConnInfo sample_info(int ranks) {
  ConnInfo info;
  info.lid = 0x1a2b;
  info.link_layer = LinkLayer::kEthernet;
  info.mtu = 5;
  info.has_gid = true;
  for (std::size_t i = 0; i < info.gid.size(); ++i) info.gid[i] = static_cast<std::uint8_t>(i * 7);
  info.qps.resize(static_cast<std::size_t>(ranks));
  for (int p = 1; p < ranks; ++p) info.qps[p] = QpAddress{0x100u + p, 0xabcdefu - p};
  return info;
}

TEST(VerbsConnInfo, RoundTripsEveryField) {
  const ConnInfo info = sample_info(4);
  const ConnInfo back = decode_conn_info(encode_conn_info(info), 4, 1, 0);
  EXPECT_EQ(back.lid, info.lid);
  EXPECT_EQ(back.link_layer, info.link_layer);
  EXPECT_EQ(back.mtu, info.mtu);
  EXPECT_EQ(back.has_gid, info.has_gid);
  EXPECT_EQ(back.gid, info.gid);
  ASSERT_EQ(back.qps.size(), 4u);
  for (int p = 0; p < 4; ++p) {
    EXPECT_EQ(back.qps[p].qpn, info.qps[p].qpn);
    EXPECT_EQ(back.qps[p].psn, info.qps[p].psn);
  }
}

TEST(VerbsConnInfo, RejectsMalformedOrMismatchedBlobs) {
  const std::string good = encode_conn_info(sample_info(3));
  const auto rejected = [](const std::string& blob, int ranks, std::string_view fragment) {
    try {
      decode_conn_info(blob, ranks, 2, 1);
      ADD_FAILURE() << "accepted; expected: " << fragment;
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(fragment), std::string::npos) << what;
      EXPECT_NE(what.find("rank 2"), std::string::npos) << what;
      EXPECT_NE(what.find("rank 1"), std::string::npos) << what;
    }
  };
  rejected(good.substr(0, 10), 3, "without the LVC1 header");
  rejected(good, 4, "for 3 ranks, this run has 4");
  rejected(good.substr(0, good.size() - 1), 3, "for 3 queue pairs");
  rejected(good + "12345678", 3, "for 3 queue pairs");
  std::string mtu = good;
  mtu[7] = 6;
  rejected(mtu, 3, "MTU code 6");
  std::string link = good;
  link[6] = 3;
  rejected(link, 3, "link layer 3");
  ConnInfo wide = sample_info(3);
  wide.qps[1].psn = 1u << 24;
  rejected(encode_conn_info(wide), 3, "24 bits");
}

}  // namespace
}  // namespace lp::transport::verbs
