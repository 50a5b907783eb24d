#include "lab/plan.h"

#include "core/error.h"

#include <fmt/format.h>

#include <cstdint>

namespace lp::lab {
namespace {

constexpr std::uint32_t kMgmtBase = 0xC6120000u;     // 198.18.0.0
constexpr std::uint32_t kCircuitBase = 0xC6128000u;  // 198.18.128.0
constexpr std::uint32_t kHostBase = 0xC6130000u;     // 198.19.0.0
constexpr std::size_t kMaxBlocks = 256;
constexpr std::size_t kMaxHostsPerBlock = 253;       // .2 .. .254
constexpr std::size_t kMaxHosts = (1u << 15) - 3;    // .0.2 .. .127.254
constexpr std::size_t kMaxUplinks = 1u << 14;        // one /31 each in a /17
// With these limits an interface name is at most a 6-letter prefix, a letter and 5 digits:
// within the 15 characters IFNAMSIZ allows.
constexpr std::size_t kMaxName = 63;                 // a hostname (HOST_NAME_MAX is 64)

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// Block and host names become namespace file names and hostnames.
void check_name(const std::string& name, const std::string& what) {
  bool ok = !name.empty() && name.size() <= kMaxName && name_char(name[0]) && name[0] != '.' &&
            name[0] != '-';
  for (const char c : name) ok = ok && name_char(c);
  if (!ok) {
    throw InputError(fmt::format(
        "{}: '{}' cannot name a lab namespace or hostname (use 1 to {} letters, digits, '.', '_' "
        "or '-', starting with a letter or digit)",
        what, name, kMaxName));
  }
}

}  // namespace

std::string ipv4(std::uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

void check_prefix(const std::string& prefix) {
  bool ok = !prefix.empty() && prefix.size() <= 6 && prefix[0] >= 'a' && prefix[0] <= 'z';
  for (const char c : prefix) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
  if (!ok) {
    throw InputError(fmt::format("--prefix: '{}' is not 1 to 6 lower-case letters and digits "
                                 "starting with a letter",
                                 prefix));
  }
}

bool is_lab_netns(const std::string& prefix, const std::string& netns) {
  if (netns == prefix + "-mgmt") return true;
  for (const char* kind : {"-b-", "-h-"}) {
    const std::string head = prefix + kind;
    if (netns.size() > head.size() && netns.compare(0, head.size(), head) == 0) return true;
  }
  return false;
}

Plan::Plan(const topo::Fabric& fabric, std::string prefix) : prefix_(std::move(prefix)) {
  check_prefix(prefix_);
  const std::string& p = prefix_;
  if (fabric.blocks.size() > kMaxBlocks) {
    throw InputError(fmt::format("blocks: the lab holds at most {} blocks, the fabric has {}",
                                 kMaxBlocks, fabric.blocks.size()));
  }
  if (fabric.host_count() > kMaxHosts) {
    throw InputError(fmt::format("blocks: the lab holds at most {} hosts, the fabric has {}",
                                 kMaxHosts, fabric.host_count()));
  }
  mgmt_netns_ = p + "-mgmt";
  mgmt_bridge_ = p + "mb";
  fabric_if_ = p + "f";
  int global_uplink = 0;
  for (std::size_t b = 0; b < fabric.blocks.size(); ++b) {
    const topo::Block& block = fabric.blocks[b];
    check_name(block.name, fmt::format("blocks[{}].name", b));
    if (block.hosts.size() > kMaxHostsPerBlock) {
      throw InputError(fmt::format("blocks[{}].hosts: the lab holds at most {} hosts a block, '{}' has {}",
                                   b, kMaxHostsPerBlock, block.name, block.hosts.size()));
    }
    const std::uint32_t subnet = kHostBase + (static_cast<std::uint32_t>(b) << 8);
    BlockPlan bp{block.name, p + "-b-" + block.name, p + "br", ipv4(subnet) + "/24",
                 ipv4(subnet + 1), {}};
    for (std::size_t k = 0; k < block.hosts.size(); ++k) {
      const std::string& name = block.hosts[k];
      check_name(name, fmt::format("blocks[{}].hosts[{}]", b, k));
      const auto h = static_cast<std::uint32_t>(hosts_.size());
      HostPlan hp{name,
                  static_cast<int>(b),
                  p + "-h-" + name,
                  fabric_if_,
                  ipv4(subnet + 2 + static_cast<std::uint32_t>(k)),
                  p + "m",
                  ipv4(kMgmtBase + 2 + h),
                  fmt::format("{}h{}", p, k),
                  fmt::format("{}m{}", p, h)};
      bp.hosts.push_back(static_cast<int>(h));
      hosts_.push_back(std::move(hp));
    }
    for (std::size_t i = 0; i < block.uplinks.size(); ++i) {
      uplinks_[block.uplinks[i]] = Uplink{static_cast<int>(b), static_cast<int>(i), global_uplink++};
    }
    blocks_.push_back(std::move(bp));
  }
  if (static_cast<std::size_t>(global_uplink) > kMaxUplinks) {
    throw InputError(fmt::format("blocks: the lab holds at most {} uplinks, the fabric has {}",
                                 kMaxUplinks, global_uplink));
  }
}

std::string Plan::mgmt_gateway() const { return ipv4(kMgmtBase + 1); }

LinkEnd Plan::end_at(int ocs, int port) const {
  const auto it = uplinks_.find(topo::PortRef{ocs, port});
  LP_ENFORCE(it != uplinks_.end(), "OCS {} port {} is not wired to a block", ocs, port);
  return LinkEnd{it->second.block, fmt::format("{}u{}", prefix_, it->second.index), ""};
}

CircuitLink Plan::link(const topo::Circuit& c) const {
  CircuitLink l{c, end_at(c.ocs, c.a), end_at(c.ocs, c.b)};
  const auto pair = static_cast<std::uint32_t>(uplinks_.at(topo::PortRef{c.ocs, c.a}).global);
  l.a.address = ipv4(kCircuitBase + 2 * pair);
  l.b.address = ipv4(kCircuitBase + 2 * pair + 1);
  return l;
}

std::vector<CircuitLink> Plan::links(const topo::OcsConfig& config) const {
  std::vector<CircuitLink> out;
  for (const topo::Circuit& c : config.circuits) out.push_back(link(c));
  return out;
}

std::vector<std::string> Plan::namespaces() const {
  std::vector<std::string> out{mgmt_netns_};
  for (const BlockPlan& b : blocks_) out.push_back(b.netns);
  for (const HostPlan& h : hosts_) out.push_back(h.netns);
  return out;
}

int Plan::host_index(const std::string& name) const {
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    if (hosts_[h].name == name) return static_cast<int>(h);
  }
  return -1;
}

}  // namespace lp::lab
