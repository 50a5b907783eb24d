// Building the lab out of namespaces, veth pairs and tc: the namespaces and their sysctls,
// each host's link to its block (through the block's bridge) and to the management network,
// the hosts' own hostnames, and the circuits: a veth pair between two block routers, shaped
// on both ends by a token bucket to link_gbps x scale.
#pragma once

#include "lab/plan.h"
#include "lab/runner.h"

#include <string>
#include <vector>

namespace lp::lab {

// "1/1000", "0.001" or "1e-3": a number in (0, 1]. Throws InputError naming --scale.
double parse_scale(const std::string& text);

// The tc line shaping one end of a circuit to `rate_bps` bits per second: a token bucket whose
// burst holds the largest segment veth hands over (64 KiB with GSO) and 2 ms at the rate, and
// whose queue holds 20 ms at the rate.
std::string shaping_line(const std::string& ifname, double rate_bps);

// Creates every namespace of `plan` and sets its sysctls: forwarding and L4 multipath hashing
// in block routers, no reverse-path filter, no IPv6 (so the counters carry the workload).
void create_namespaces(const Plan& plan, const Runner& run);

// Bridges, host links, management links, their addresses and the hosts' route to the fabric;
// each host's UTS namespace with its name as hostname, bound under `uts_dir`.
void create_hosts(const Plan& plan, const Runner& run, const std::string& uts_dir);

// Creates, addresses and shapes the veth pairs of `links`.
void add_circuits(const Plan& plan, const Runner& run, const std::vector<CircuitLink>& links,
                  double rate_bps);
// Deletes the veth pairs of `links` (routes through them go with them).
void remove_circuits(const Plan& plan, const Runner& run, const std::vector<CircuitLink>& links);

}  // namespace lp::lab
