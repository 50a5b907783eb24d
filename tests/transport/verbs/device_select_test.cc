// Choosing the device, port and GID, and the MTU: decisions over what ibverbs reports,
// checked here on made-up port and GID tables.
#include "core/error.h"
#include "transport/verbs/device_select.h"

#include <gtest/gtest.h>

#include <string>

namespace lp::transport::verbs {
namespace {

template <typename E, typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(VerbsDeviceSpec, ParsesDeviceAndOptionalPort) {
  EXPECT_EQ(parse_device_spec("").name, "");
  EXPECT_EQ(parse_device_spec("").port, 0);
  EXPECT_EQ(parse_device_spec("mlx5_0").name, "mlx5_0");
  EXPECT_EQ(parse_device_spec("mlx5_0").port, 0);
  const DeviceSpec s = parse_device_spec("mlx5_1:2");
  EXPECT_EQ(s.name, "mlx5_1");
  EXPECT_EQ(s.port, 2);
  EXPECT_EQ(parse_device_spec("rxe0:255").port, 255);
}

TEST(VerbsDeviceSpec, RejectsBadPortsNamingTheFlag) {
  for (const char* bad : {"mlx5_0:", "mlx5_0:0", "mlx5_0:256", "mlx5_0:x", "mlx5_0:1:2", "mlx5_0:-1", ":1"}) {
    const std::string what = error_of<InputError>([&] { parse_device_spec(bad); });
    EXPECT_NE(what.find(std::string("--device ") + bad), std::string::npos) << what;
  }
}

std::vector<PortState> ports() {
  return {{"mlx5_0", 1, false, "PORT_DOWN", LinkLayer::kInfiniBand},
          {"mlx5_0", 2, true, "PORT_ACTIVE", LinkLayer::kInfiniBand},
          {"mlx5_1", 1, true, "PORT_ACTIVE", LinkLayer::kEthernet},
          {"mlx5_2", 1, false, "PORT_INIT", LinkLayer::kEthernet}};
}

TEST(VerbsChoosePort, TakesTheFirstActivePortOfTheNamedDeviceOrAny) {
  const auto all = ports();
  EXPECT_EQ(choose_port(all, {}).device, "mlx5_0");
  EXPECT_EQ(choose_port(all, {}).port, 2);
  EXPECT_EQ(choose_port(all, {"mlx5_1", 0}).device, "mlx5_1");
  EXPECT_EQ(choose_port(all, {"mlx5_0", 2}).port, 2);
}

TEST(VerbsChoosePort, ExplainsWhyAPortCannotBeUsed) {
  const auto all = ports();
  std::string what = error_of<Error>([&] { choose_port(all, {"mlx5_0", 1}); });
  EXPECT_NE(what.find("not active (PORT_DOWN)"), std::string::npos) << what;
  what = error_of<InputError>([&] { choose_port(all, {"mlx4_0", 0}); });
  EXPECT_NE(what.find("--device mlx4_0: no such RDMA device"), std::string::npos) << what;
  EXPECT_NE(what.find("mlx5_1:1 (PORT_ACTIVE)"), std::string::npos) << "lists what exists: " << what;
  what = error_of<InputError>([&] { choose_port(all, {"mlx5_0", 3}); });
  EXPECT_NE(what.find("no port 3"), std::string::npos) << what;
  what = error_of<Error>([&] { choose_port(all, {"mlx5_2", 0}); });
  EXPECT_NE(what.find("no active port"), std::string::npos) << what;
  what = error_of<Error>([&] { choose_port({all[0]}, {}); });
  EXPECT_NE(what.find("no active RDMA port: mlx5_0:1 (PORT_DOWN)"), std::string::npos) << what;
}

GidEntry gid(int index, GidType type, std::array<std::uint8_t, 16> bytes) {
  return GidEntry{index, bytes, type};
}
const std::array<std::uint8_t, 16> kLinkLocal = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 2, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};
const std::array<std::uint8_t, 16> kIpv4 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 7};
const std::array<std::uint8_t, 16> kZero{};

TEST(VerbsChooseGid, InfiniBandNeedsNoGidUnlessAsked) {
  const std::vector<GidEntry> table = {gid(0, GidType::kIb, kLinkLocal)};
  EXPECT_FALSE(choose_gid_index(table, LinkLayer::kInfiniBand, -1, "mlx5_0 port 1").has_value());
  EXPECT_EQ(choose_gid_index(table, LinkLayer::kInfiniBand, 0, "mlx5_0 port 1"), 0);
}

TEST(VerbsChooseGid, RoceV2WithAnIpv4AddressIsPreferred) {
  const std::vector<GidEntry> table = {
      gid(0, GidType::kRoceV1, kLinkLocal), gid(1, GidType::kRoceV2, kLinkLocal),
      gid(2, GidType::kRoceV1, kIpv4),      gid(3, GidType::kRoceV2, kIpv4)};
  EXPECT_EQ(choose_gid_index(table, LinkLayer::kEthernet, -1, "p"), 3);
  // Without it: RoCE v2 of any address, then RoCE v1 (IPv4 first).
  EXPECT_EQ(choose_gid_index({table[0], table[1], table[2]}, LinkLayer::kEthernet, -1, "p"), 1);
  EXPECT_EQ(choose_gid_index({table[0], table[2]}, LinkLayer::kEthernet, -1, "p"), 2);
  EXPECT_EQ(choose_gid_index({table[0]}, LinkLayer::kEthernet, -1, "p"), 0);
  // An explicit index wins.
  EXPECT_EQ(choose_gid_index(table, LinkLayer::kEthernet, 0, "p"), 0);
}

TEST(VerbsChooseGid, MissingGidsAreExplained) {
  const std::vector<GidEntry> table = {gid(0, GidType::kRoceV2, kIpv4), gid(1, GidType::kRoceV2, kZero)};
  std::string what = error_of<InputError>([&] { choose_gid_index(table, LinkLayer::kEthernet, 5, "mlx5_1 port 1"); });
  EXPECT_NE(what.find("--gid-index 5"), std::string::npos) << what;
  EXPECT_NE(what.find("0 (RoCE v2, IPv4)"), std::string::npos) << "lists the table: " << what;
  what = error_of<InputError>([&] { choose_gid_index(table, LinkLayer::kEthernet, 1, "mlx5_1 port 1"); });
  EXPECT_NE(what.find("no such GID"), std::string::npos) << "a zero GID is not usable: " << what;
  what = error_of<Error>([&] { choose_gid_index({table[1]}, LinkLayer::kEthernet, -1, "mlx5_1 port 1"); });
  EXPECT_NE(what.find("mlx5_1 port 1 is Ethernet (RoCE) but has no usable GID"), std::string::npos) << what;
}

TEST(VerbsChooseGid, RecognizesIpv4MappedGids) {
  EXPECT_TRUE(is_ipv4_mapped(kIpv4));
  EXPECT_FALSE(is_ipv4_mapped(kLinkLocal));
  EXPECT_FALSE(is_ipv4_mapped(kZero));
}

TEST(VerbsMtu, MapsIbvCodesToBytesAndTakesTheSmallerPort) {
  EXPECT_EQ(mtu_bytes(1), 256);
  EXPECT_EQ(mtu_bytes(2), 512);
  EXPECT_EQ(mtu_bytes(3), 1024);
  EXPECT_EQ(mtu_bytes(4), 2048);
  EXPECT_EQ(mtu_bytes(5), 4096);
  EXPECT_THROW(mtu_bytes(0), Error);
  EXPECT_THROW(mtu_bytes(6), Error);
  EXPECT_EQ(path_mtu(5, 3), 3);
  EXPECT_EQ(path_mtu(3, 5), 3);
  EXPECT_EQ(path_mtu(4, 4), 4);
  EXPECT_THROW(path_mtu(5, 7), Error);
}

}  // namespace
}  // namespace lp::transport::verbs
