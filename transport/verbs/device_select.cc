#include "transport/verbs/device_select.h"

#include "core/error.h"

#include <algorithm>
#include <charconv>

namespace lp::transport::verbs {

DeviceSpec parse_device_spec(std::string_view text) {
  DeviceSpec spec;
  const std::size_t colon = text.find(':');
  spec.name = std::string(text.substr(0, colon));
  if (colon == std::string_view::npos) return spec;
  const std::string_view port = text.substr(colon + 1);
  if (spec.name.empty()) {
    throw input_error(fmt::format("--device {}", text), "the device name is missing (DEVICE[:PORT])");
  }
  int value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 ||
      value > 255) {
    throw input_error(fmt::format("--device {}", text),
                      "the port after ':' must be a number from 1 to 255 (DEVICE[:PORT])");
  }
  spec.port = value;
  return spec;
}

const PortState& choose_port(const std::vector<PortState>& ports, const DeviceSpec& spec) {
  const PortState* named = nullptr;
  for (const PortState& p : ports) {
    if (!spec.name.empty() && p.device != spec.name) continue;
    if (spec.port != 0 && p.port != spec.port) continue;
    if (spec.port != 0) {
      named = &p;
      break;
    }
    if (p.active) return p;
  }
  if (named != nullptr) {
    if (named->active) return *named;
    throw Error(fmt::format("--device {}:{}: the port is not active ({})", named->device,
                            named->port, named->state));
  }
  std::string all;
  for (const PortState& p : ports) {
    all += fmt::format("{}{}:{} ({})", all.empty() ? "" : ", ", p.device, p.port, p.state);
  }
  if (spec.name.empty()) {
    throw Error(fmt::format("no active RDMA port: {}", all.empty() ? "no ports" : all));
  }
  const bool device_exists = std::any_of(ports.begin(), ports.end(),
                                         [&](const PortState& p) { return p.device == spec.name; });
  const std::string flag =
      spec.port ? fmt::format("--device {}:{}", spec.name, spec.port) : "--device " + spec.name;
  if (!device_exists) {
    throw input_error(flag, fmt::format("no such RDMA device; the ports here: {}", all));
  }
  if (spec.port != 0) {
    throw input_error(flag, fmt::format("the device has no port {}; the ports here: {}",
                                        spec.port, all));
  }
  throw Error(fmt::format("{}: no active port; the ports here: {}", flag, all));
}

bool is_ipv4_mapped(const std::array<std::uint8_t, 16>& gid) {
  return std::all_of(gid.begin(), gid.begin() + 10, [](std::uint8_t b) { return b == 0; }) &&
         gid[10] == 0xff && gid[11] == 0xff;
}

namespace {

bool is_zero(const std::array<std::uint8_t, 16>& gid) {
  return std::all_of(gid.begin(), gid.end(), [](std::uint8_t b) { return b == 0; });
}

// Higher is better; 0: not usable on Ethernet.
int roce_preference(const GidEntry& e) {
  if (is_zero(e.gid)) return 0;
  const bool v4 = is_ipv4_mapped(e.gid);
  switch (e.type) {
    case GidType::kRoceV2: return v4 ? 4 : 3;
    case GidType::kRoceV1: return v4 ? 2 : 1;
    case GidType::kIb: return 0;
  }
  return 0;
}

std::string describe(const std::vector<GidEntry>& table) {
  std::string out;
  for (const GidEntry& e : table) {
    const char* type = e.type == GidType::kRoceV2 ? "RoCE v2" : e.type == GidType::kRoceV1 ? "RoCE v1" : "IB";
    out += fmt::format("{}{} ({}{})", out.empty() ? "" : ", ", e.index, type,
                       is_ipv4_mapped(e.gid) ? ", IPv4" : "");
  }
  return out.empty() ? "none" : out;
}

}  // namespace

std::optional<int> choose_gid_index(const std::vector<GidEntry>& table, LinkLayer link_layer,
                                    int requested, std::string_view where) {
  if (requested >= 0) {
    for (const GidEntry& e : table) {
      if (e.index == requested && !is_zero(e.gid)) return requested;
    }
    throw input_error(fmt::format("--gid-index {}", requested),
                      fmt::format("{} has no such GID; its GIDs: {}", where, describe(table)));
  }
  if (link_layer == LinkLayer::kInfiniBand) return std::nullopt;
  const GidEntry* best = nullptr;
  for (const GidEntry& e : table) {
    const int score = roce_preference(e);
    if (score > 0 && (best == nullptr || score > roce_preference(*best))) best = &e;
  }
  if (best == nullptr) {
    throw Error(fmt::format("{} is Ethernet (RoCE) but has no usable GID (its GIDs: {}); give the "
                            "interface an IP address or pass --gid-index",
                            where, describe(table)));
  }
  return best->index;
}

int mtu_bytes(int code) {
  if (code < 1 || code > 5) throw Error(fmt::format("unknown ibv_mtu code {}", code));
  return 256 << (code - 1);
}

int path_mtu(int local_code, int remote_code) {
  mtu_bytes(local_code);
  mtu_bytes(remote_code);
  return std::min(local_code, remote_code);
}

}  // namespace lp::transport::verbs
