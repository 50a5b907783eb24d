// Where a benchmark rank runs. `--bind` chooses a policy; the binding actually obtained is read
// back from the kernel (never assumed) and goes into every result record.
//  - none: leave the process as the launcher placed it (mpirun binds to cores by default for
//    small jobs; that shows in what is read back).
//  - core: local rank i on core i (packed, in hwloc's order), wrapping when there are more
//    ranks than cores.
//  - numa: local rank i on all cores of NUMA node i mod nodes.
//  - auto: each local rank on a free core close to the NIC it will use (ranks round-robin over
//    the NICs), then on the least used NUMA node; so ranks spread over NICs and NUMA nodes.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::topo {

enum class BindPolicy { kNone, kCore, kNuma, kAuto };
// "none", "core", "numa" or "auto"; anything else is an InputError naming `source`.
BindPolicy parse_bind_policy(const std::string& text, const std::string& source = "--bind");
std::string to_string(BindPolicy policy);

struct Binding {
  BindPolicy policy = BindPolicy::kNone;
  std::string cpus;       // hardware threads the process may run on, read back ("0-3")
  std::vector<int> numa;  // NUMA nodes those threads belong to
  std::string near;       // auto: the NIC the rank was placed by, if any
  int local_rank = 0;
  int local_ranks = 1;
  int host_pus = 0;
  bool oversubscribed = false;  // more ranks on this host than hardware threads
};

// What placement needs to know of a host: its cores (with their NUMA node and hardware threads)
// and its NICs (with the NUMA nodes they are attached to). Read from hwloc, or built by tests.
struct CoreInfo {
  int numa = 0;  // index into the host's NUMA nodes
  std::vector<unsigned> pus;  // OS indexes
};
struct NicInfo {
  std::string name;
  std::vector<int> numa;
};
struct PlacementModel {
  int numa_nodes = 1;
  std::vector<CoreInfo> cores;
  std::vector<NicInfo> nics;  // RDMA devices if any, else PCI network interfaces
};
class HwlocTopology;
struct HostTopology;
PlacementModel placement_model(const HwlocTopology& topology, const HostTopology& host);

// Where each of `local_ranks` ranks goes under `policy`. `nic_hint` (a device name such as
// "mlx5_0" or "mlx5_0:1") narrows auto to that NIC. A pure function of the model: every rank of
// a host computes the same plan.
struct CoreSlot {
  std::vector<unsigned> pus;
  std::string near;
};
std::vector<CoreSlot> plan_binding(const PlacementModel& model, BindPolicy policy, int local_ranks,
                                   const std::string& nic_hint);

// Applies the plan for `local_rank` to the whole process and reads the result back.
Binding bind_process(BindPolicy policy, int local_rank, int local_ranks, const std::string& nic_hint);

nlohmann::json to_json(const Binding& b);

}  // namespace lp::topo
