// This machine as hwloc sees it: packages, NUMA nodes, cores, hardware threads, caches, and
// the I/O devices a network benchmark cares about (network interfaces, RDMA devices, GPUs and
// other accelerators) with the NUMA node each is attached to.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace lp::topo {

struct NumaNode {
  int os_index = 0;
  std::uint64_t memory_bytes = 0;
  std::string cpus;  // OS indexes of its hardware threads, e.g. "0-15,32-47"
};

struct CacheLevel {
  std::string name;  // "L1d", "L1i", "L2", "L3"
  std::uint64_t size_bytes = 0;
  int count = 0;
};

struct IoDevice {
  std::string name;   // OS name: "eth0", "mlx5_0", "card0"
  std::string kind;   // "network", "rdma", "gpu", "accelerator"
  std::string pci;    // "0000:3b:00.0", empty when not on PCI
  std::string model;  // hwloc's PCI vendor and device names, where known
  std::vector<int> numa;  // NUMA nodes it is local to (all of them when hwloc cannot tell)
  std::string cpus;       // hardware threads local to it
};

struct HostTopology {
  std::string hostname;
  int packages = 0;
  int numa_nodes = 0;
  int cores = 0;
  int pus = 0;  // hardware threads
  std::vector<NumaNode> numa;
  std::vector<CacheLevel> caches;
  std::vector<IoDevice> devices;
};

class HwlocTopology;
HostTopology discover_host();
HostTopology discover_host(const HwlocTopology& topology);

nlohmann::json to_json(const HostTopology& host);
// The few figures a result record carries: counts and the devices' names and NUMA nodes.
nlohmann::json summary_json(const HostTopology& host);
// `lightpath topo host` text.
std::string format_host(const HostTopology& host);

}  // namespace lp::topo
