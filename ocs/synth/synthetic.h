// Synthetic fabrics, traffic and configurations for the planner's tests and its performance
// figures (bench/ocs_perf): seeded, so every instance can be rebuilt from its seed.
#pragma once

#include "topo/fabric.h"
#include "topo/traffic.h"

#include <cstdint>
#include <string>

namespace lp::ocs::synth {

// `blocks` blocks, each with `per_ocs` ports on each of `ocs` OCSes (block b on ports
// b*per_ocs ..), OCSes of blocks*per_ocs + `spare` ports, hosts named node001.. in order.
topo::Fabric uniform_fabric(int blocks, int ocs, int per_ocs, int spare, double link_gbps,
                            int hosts_per_block, const std::string& name);

// A small fabric of random shape: 3..max_blocks blocks of 1..max_uplinks uplinks on 1..4
// OCSes, cabled either uniformly or at random, with about one port in twenty failed.
topo::Fabric random_fabric(std::uint64_t seed, int max_blocks, int max_uplinks);

// Block-level traffic over one second.
// Gravity: D_ij proportional to w_i * w_j with lognormal block weights, the total `load` times
// the fabric's one-way capacity (working uplinks times link_gbps).
topo::TrafficMatrix gravity_traffic(const topo::Fabric& fabric, double load, std::uint64_t seed);
// Random: each ordered pair, with probability 1/2, up to `peak_gbps`.
topo::TrafficMatrix random_traffic(const topo::Fabric& fabric, double peak_gbps, std::uint64_t seed);
// Ring all-reduce over the blocks in order: `gbps` from each block to the next.
topo::TrafficMatrix ring_traffic(const topo::Fabric& fabric, double gbps);
// Every ordered pair `gbps`.
topo::TrafficMatrix uniform_traffic(const topo::Fabric& fabric, double gbps);

// A uniform mesh on a uniform fabric: OCS o joins each block b's ports 2t, 2t+1 to blocks
// b + s and b - s (mod blocks) for shifts s cycling through 1 .. blocks/2.
topo::OcsConfig mesh_config(const topo::Fabric& fabric);

}  // namespace lp::ocs::synth
