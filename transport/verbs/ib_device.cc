#include "transport/verbs/ib_device.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace lp::transport::verbs {
namespace {

struct Survey {
  std::string error;  // non-empty: no device at all
  std::vector<std::pair<std::string, ib::ContextPtr>> devices;
  std::vector<PortState> ports;
};

Survey survey() {
  Survey s;
  int n = 0;
  errno = 0;
  const ib::DeviceListPtr list(ibv_get_device_list(&n));
  if (!list) {
    s.error = fmt::format("no RDMA device found (ibv_get_device_list returned none: {})",
                          std::strerror(errno));
    return s;
  }
  if (n == 0) {
    s.error = "no RDMA device found (ibv_get_device_list returned none)";
    return s;
  }
  for (int i = 0; i < n; ++i) {
    const std::string name = ibv_get_device_name(list.get()[i]);
    ib::ContextPtr context(ibv_open_device(list.get()[i]));
    ibv_device_attr attr{};
    if (!context || ibv_query_device(context.get(), &attr) != 0) {
      s.ports.push_back({name, 0, false, fmt::format("cannot open: {}", std::strerror(errno)),
                         LinkLayer::kInfiniBand});
      continue;
    }
    for (int port = 1; port <= attr.phys_port_cnt; ++port) {
      ibv_port_attr pa{};
      if (ibv_query_port(context.get(), static_cast<std::uint8_t>(port), &pa) != 0) continue;
      s.ports.push_back({name, port, pa.state == IBV_PORT_ACTIVE, ibv_port_state_str(pa.state),
                         pa.link_layer == IBV_LINK_LAYER_ETHERNET ? LinkLayer::kEthernet
                                                                   : LinkLayer::kInfiniBand});
    }
    s.devices.emplace_back(name, std::move(context));
  }
  return s;
}

GidType gid_type(std::uint32_t type) {
  switch (type) {
    case IBV_GID_TYPE_ROCE_V1: return GidType::kRoceV1;
    case IBV_GID_TYPE_ROCE_V2: return GidType::kRoceV2;
    default: return GidType::kIb;
  }
}

// The port's GID table: the entries in use (the others report ENODATA).
std::vector<GidEntry> read_gids(ibv_context* context, int port, int table_len) {
  std::vector<GidEntry> table;
  for (int i = 0; i < table_len; ++i) {
    ibv_gid_entry raw{};
    if (ibv_query_gid_ex(context, static_cast<std::uint32_t>(port), static_cast<std::uint32_t>(i),
                         &raw, 0) != 0) {
      continue;
    }
    GidEntry e;
    e.index = i;
    std::memcpy(e.gid.data(), raw.gid.raw, e.gid.size());
    e.type = gid_type(raw.gid_type);
    table.push_back(e);
  }
  return table;
}

}  // namespace

OpenedPort open_port(const TransportOptions& options) {
  const DeviceSpec spec = parse_device_spec(options.device);
  Survey s = survey();
  if (!s.error.empty()) throw Error(s.error);
  const PortState& chosen = choose_port(s.ports, spec);
  OpenedPort out;
  for (auto& [name, context] : s.devices) {
    if (name == chosen.device) out.context = std::move(context);
  }
  out.device = chosen.device;
  out.port = chosen.port;
  out.link_layer = chosen.link_layer;
  ib::check_rc(ibv_query_device(out.context.get(), &out.device_attr), "ibv_query_device");
  ib::check_rc(ibv_query_port(out.context.get(), static_cast<std::uint8_t>(out.port), &out.attr),
               "ibv_query_port");
  if (out.link_layer == LinkLayer::kEthernet || options.gid_index >= 0) {
    const std::vector<GidEntry> table = read_gids(out.context.get(), out.port, out.attr.gid_tbl_len);
    out.gid_index = choose_gid_index(table, out.link_layer, options.gid_index,
                                     fmt::format("{} port {}", out.device, out.port));
    if (out.gid_index) {
      ib::check_rc(ibv_query_gid(out.context.get(), static_cast<std::uint8_t>(out.port),
                                 *out.gid_index, &out.gid),
                   "ibv_query_gid");
    }
  }
  return out;
}

std::string unavailable_reason() {
  const Survey s = survey();
  if (!s.error.empty()) return s.error;
  if (std::any_of(s.ports.begin(), s.ports.end(), [](const PortState& p) { return p.active; })) {
    return {};
  }
  std::string ports;
  for (const PortState& p : s.ports) {
    ports += fmt::format("{}{}:{} {}", ports.empty() ? "" : ", ", p.device, p.port, p.state);
  }
  return fmt::format("no active RDMA port ({})", ports.empty() ? "no ports" : ports);
}

}  // namespace lp::transport::verbs
