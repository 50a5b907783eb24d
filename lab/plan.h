// The lab's naming and addressing plan: every namespace, interface and address a lab of a
// fabric uses, derived from the fabric and a prefix alone, so that `up`, `apply`, `hops`, `run`
// and `down` agree without asking the kernel. Every name carries the prefix. Every address
// comes from 198.18.0.0/15, the range set aside for benchmarking (RFC 2544):
//   198.18.0.0/17    management: 198.18.0.1 in the management namespace, host h at .0.0 + 2 + h
//   198.18.128.0/17  circuits: one /31 per circuit, picked by the uplink at its lower port
//   198.19.0.0/16    hosts: block b has 198.19.b.0/24, its router .1, its k-th host .(2 + k)
// Namespaces: PREFIX-mgmt, PREFIX-b-BLOCK, PREFIX-h-HOST. Interfaces (IFNAMSIZ allows 15
// characters): in a host, PREFIXf (to its block) and PREFIXm (management); in a block,
// PREFIXbr (the bridge of its hosts), PREFIXh<k> (host k) and PREFIXu<i> (the circuit on its
// uplink i); in the management namespace, PREFIXmb (the bridge) and PREFIXm<h> (host h).
#pragma once

#include "topo/fabric.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lp::lab {

inline constexpr const char* kMgmtNet = "198.18.0.0/17";
inline constexpr const char* kCircuitNet = "198.18.128.0/17";
inline constexpr const char* kHostNet = "198.19.0.0/16";

struct HostPlan {
  std::string name;         // the fabric's host name, also its hostname inside the lab
  int block = 0;
  std::string netns;
  std::string fabric_if;    // in netns: the link to its block
  std::string fabric_addr;  // without the length (/24)
  std::string mgmt_if;      // in netns: the management link
  std::string mgmt_addr;    // without the length (/17)
  std::string block_port;   // in the block's netns: the other end of fabric_if
  std::string mgmt_port;    // in the management netns: the other end of mgmt_if
};

struct BlockPlan {
  std::string name;
  std::string netns;
  std::string bridge;   // joins the block's host links; carries the gateway address
  std::string subnet;   // "198.19.b.0/24"
  std::string gateway;  // "198.19.b.1"
  std::vector<int> hosts;  // indices into Plan::hosts()
};

// One end of a circuit: an interface in its block's namespace, named by the block's uplink.
struct LinkEnd {
  int block = 0;
  std::string ifname;
  std::string address;  // without the length (/31)
};

struct CircuitLink {
  topo::Circuit circuit;
  LinkEnd a;  // the end at port circuit.a
  LinkEnd b;  // the end at port circuit.b
};

class Plan {
 public:
  // Throws InputError naming --prefix or the fabric's field when the prefix is not
  // [a-z][a-z0-9]{0,5}, a block or host name is unusable as a namespace or host name, or the
  // fabric is larger than the address plan (256 blocks, 253 hosts a block, 32765 hosts,
  // 16384 uplinks).
  Plan(const topo::Fabric& fabric, std::string prefix);

  const std::string& prefix() const { return prefix_; }
  const std::vector<BlockPlan>& blocks() const { return blocks_; }
  const std::vector<HostPlan>& hosts() const { return hosts_; }
  const std::string& mgmt_netns() const { return mgmt_netns_; }
  const std::string& mgmt_bridge() const { return mgmt_bridge_; }
  std::string mgmt_gateway() const;
  // The host's interface to its block, the same name in every host namespace.
  const std::string& fabric_if() const { return fabric_if_; }

  // Names and addresses of `circuit` (which parse_ocs_config has checked against the fabric).
  CircuitLink link(const topo::Circuit& circuit) const;
  std::vector<CircuitLink> links(const topo::OcsConfig& config) const;

  // Every namespace of the lab: management, blocks, hosts.
  std::vector<std::string> namespaces() const;
  int host_index(const std::string& name) const;  // -1 when the fabric has no such host

 private:
  LinkEnd end_at(int ocs, int port) const;

  std::string prefix_;
  std::string mgmt_netns_;
  std::string mgmt_bridge_;
  std::string fabric_if_;
  std::vector<BlockPlan> blocks_;
  std::vector<HostPlan> hosts_;
  // Every wired port: its block, that block's uplink index, and the uplink's global index.
  struct Uplink {
    int block;
    int index;
    int global;
  };
  std::map<topo::PortRef, Uplink> uplinks_;
};

// Throws InputError("--prefix: ...") unless `prefix` is [a-z][a-z0-9]{0,5}.
void check_prefix(const std::string& prefix);

// True when `netns` is named as a namespace of a lab with `prefix` (PREFIX-mgmt, PREFIX-b-*,
// PREFIX-h-*), whether or not the fabric at hand has it: how leftovers are recognized.
bool is_lab_netns(const std::string& prefix, const std::string& netns);

// Dotted quad of a host-order IPv4 address.
std::string ipv4(std::uint32_t address);

}  // namespace lp::lab
