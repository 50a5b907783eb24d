// Which device, port and GID the verbs backend uses, and the MTU it connects with: pure
// decisions over what ibverbs reported, so they are tested without hardware (ib_device.cc
// gathers the facts and applies these).
#pragma once

#include "transport/verbs/conn_info.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lp::transport::verbs {

// --device: "mlx5_0" (its first active port) or "mlx5_0:1"; empty: the first active port of
// any device.
struct DeviceSpec {
  std::string name;  // empty: any device
  int port = 0;      // 0: the first active port
};
// Throws InputError ("--device ...: problem").
DeviceSpec parse_device_spec(std::string_view text);

struct PortState {
  std::string device;
  int port = 0;
  bool active = false;
  std::string state;  // as ibv_port_state_str says, for messages ("PORT_DOWN")
  LinkLayer link_layer = LinkLayer::kInfiniBand;
};

// The port `spec` asks for among `ports` (every port of every device, in device order).
// Throws InputError for a device or port that does not exist, Error when it is not active.
const PortState& choose_port(const std::vector<PortState>& ports, const DeviceSpec& spec);

enum class GidType { kIb, kRoceV1, kRoceV2 };

struct GidEntry {
  int index = 0;
  std::array<std::uint8_t, 16> gid{};
  GidType type = GidType::kIb;
};

// True for ::ffff:a.b.c.d, the GID RoCE gives an interface's IPv4 address.
bool is_ipv4_mapped(const std::array<std::uint8_t, 16>& gid);

// The GID index to address peers with, from the port's table. `requested` >= 0 must be in
// the table (InputError listing what is). -1 chooses: none on InfiniBand (LID routing); on
// Ethernet a RoCE v2 IPv4-mapped GID, else RoCE v2 of any address, else RoCE v1 (Error
// when the table has no usable entry). `where` names the port in messages ("mlx5_0 port 1").
std::optional<int> choose_gid_index(const std::vector<GidEntry>& table, LinkLayer link_layer,
                                    int requested, std::string_view where);

// An ibv_mtu code (1..5) in bytes (256..4096); Error for any other code.
int mtu_bytes(int code);
// The MTU two ports connect with: the smaller of their active MTUs (ibv_mtu codes).
int path_mtu(int local_code, int remote_code);

}  // namespace lp::transport::verbs
