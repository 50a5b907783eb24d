#include "lab/setup.h"

#include "core/error.h"
#include "lab/namespaces.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

namespace lp::lab {
namespace {

double parse_number(const std::string& text) {
  std::size_t used = 0;
  const double v = std::stod(text, &used);
  if (used != text.size()) throw std::invalid_argument("trailing text");
  return v;
}

// Lines for each namespace, in the order they were first given.
class Batches {
 public:
  void add(const std::string& netns, std::string line) {
    if (!lines_.count(netns)) order_.push_back(netns);
    lines_[netns].push_back(std::move(line));
  }
  void run_ip(const Runner& run) const {
    for (const std::string& n : order_) run.ip_batch(n, lines_.at(n));
  }
  void run_tc(const Runner& run) const {
    for (const std::string& n : order_) run.tc_batch(n, lines_.at(n));
  }

 private:
  std::vector<std::string> order_;
  std::map<std::string, std::vector<std::string>> lines_;
};

}  // namespace

double parse_scale(const std::string& text) {
  double v = 0;
  try {
    const auto slash = text.find('/');
    v = slash == std::string::npos ? parse_number(text)
                                   : parse_number(text.substr(0, slash)) / parse_number(text.substr(slash + 1));
  } catch (const std::logic_error&) {
    v = std::nan("");
  }
  if (!(v > 0 && v <= 1)) {
    throw input_error("--scale", fmt::format("'{}' is not a fraction in (0, 1] such as 1/1000", text));
  }
  return v;
}

std::string shaping_line(const std::string& ifname, double rate_bps) {
  const auto rate = static_cast<std::uint64_t>(std::llround(rate_bps));
  const auto burst = std::max<std::uint64_t>(96 * 1024, static_cast<std::uint64_t>(rate_bps / 8 * 0.002));
  return fmt::format("qdisc replace dev {} root tbf rate {}bit burst {} latency 20ms", ifname, rate, burst);
}

void create_namespaces(const Plan& plan, const Runner& run) {
  std::vector<std::string> lines;
  for (const std::string& n : plan.namespaces()) lines.push_back("netns add " + n);
  run.ip_batch("", lines);
  std::vector<std::string> routers;
  for (const BlockPlan& b : plan.blocks()) routers.push_back(b.netns);
  for (const std::string& n : plan.namespaces()) {
    const NetnsScope inside(n);
    write_sysctl("net/ipv6/conf/all/disable_ipv6", "1");
    write_sysctl("net/ipv6/conf/default/disable_ipv6", "1");
    write_sysctl("net/ipv4/conf/all/rp_filter", "0");
    write_sysctl("net/ipv4/conf/default/rp_filter", "0");
    if (std::find(routers.begin(), routers.end(), n) != routers.end()) {
      write_sysctl("net/ipv4/ip_forward", "1");
      write_sysctl("net/ipv4/fib_multipath_hash_policy", "1");
    }
  }
}

void create_hosts(const Plan& plan, const Runner& run, const std::string& uts_dir) {
  std::vector<std::string> root;
  Batches inside;
  const std::string& mgmt = plan.mgmt_netns();
  // Bridges without multicast snooping send no IGMP of their own, so an idle lab counts 0 bytes.
  root.push_back(fmt::format("link add {} netns {} type bridge mcast_snooping 0", plan.mgmt_bridge(), mgmt));
  inside.add(mgmt, "link set lo up");
  inside.add(mgmt, fmt::format("addr add {}/17 dev {}", plan.mgmt_gateway(), plan.mgmt_bridge()));
  inside.add(mgmt, fmt::format("link set {} up", plan.mgmt_bridge()));
  for (const BlockPlan& b : plan.blocks()) {
    root.push_back(fmt::format("link add {} netns {} type bridge mcast_snooping 0", b.bridge, b.netns));
    inside.add(b.netns, "link set lo up");
    inside.add(b.netns, fmt::format("addr add {}/24 dev {}", b.gateway, b.bridge));
    inside.add(b.netns, fmt::format("link set {} up", b.bridge));
  }
  for (const HostPlan& h : plan.hosts()) {
    const BlockPlan& b = plan.blocks()[static_cast<std::size_t>(h.block)];
    // The management link comes first, as on hosts whose first interface is not the fabric's:
    // programs that take the first address they find would miss the fabric.
    root.push_back(fmt::format("link add {} netns {} type veth peer name {} netns {}", h.mgmt_port,
                               mgmt, h.mgmt_if, h.netns));
    root.push_back(fmt::format("link add {} netns {} type veth peer name {} netns {}", h.block_port,
                               b.netns, h.fabric_if, h.netns));
    inside.add(b.netns, fmt::format("link set {} master {} up", h.block_port, b.bridge));
    inside.add(mgmt, fmt::format("link set {} master {} up", h.mgmt_port, plan.mgmt_bridge()));
    inside.add(h.netns, "link set lo up");
    inside.add(h.netns, fmt::format("addr add {}/24 dev {}", h.fabric_addr, h.fabric_if));
    inside.add(h.netns, fmt::format("link set {} up", h.fabric_if));
    inside.add(h.netns, fmt::format("addr add {}/17 dev {}", h.mgmt_addr, h.mgmt_if));
    inside.add(h.netns, fmt::format("link set {} up", h.mgmt_if));
    inside.add(h.netns, fmt::format("route add {} via {} dev {}", kHostNet, b.gateway, h.fabric_if));
  }
  run.ip_batch("", root);
  inside.run_ip(run);
  for (const HostPlan& h : plan.hosts()) create_uts(uts_dir + "/" + h.name, h.name);
}

void add_circuits(const Plan& plan, const Runner& run, const std::vector<CircuitLink>& links,
                  double rate_bps) {
  std::vector<std::string> root;
  Batches addresses, shaping;
  for (const CircuitLink& l : links) {
    const std::string& na = plan.blocks()[static_cast<std::size_t>(l.a.block)].netns;
    const std::string& nb = plan.blocks()[static_cast<std::size_t>(l.b.block)].netns;
    root.push_back(fmt::format("link add {} netns {} type veth peer name {} netns {}", l.a.ifname, na,
                               l.b.ifname, nb));
    for (const auto& [end, netns] : {std::pair{&l.a, &na}, std::pair{&l.b, &nb}}) {
      addresses.add(*netns, fmt::format("addr add {}/31 dev {}", end->address, end->ifname));
      addresses.add(*netns, fmt::format("link set {} up", end->ifname));
      shaping.add(*netns, shaping_line(end->ifname, rate_bps));
    }
  }
  run.ip_batch("", root);
  addresses.run_ip(run);
  shaping.run_tc(run);
}

void remove_circuits(const Plan& plan, const Runner& run, const std::vector<CircuitLink>& links) {
  Batches removals;
  for (const CircuitLink& l : links) {
    removals.add(plan.blocks()[static_cast<std::size_t>(l.a.block)].netns, "link del " + l.a.ifname);
  }
  removals.run_ip(run);
}

}  // namespace lp::lab
