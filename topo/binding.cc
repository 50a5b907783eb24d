#include "topo/binding.h"

#include "core/error.h"
#include "topo/host.h"
#include "topo/hwloc_topology.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace lp::topo {
namespace {

std::vector<unsigned> pus_of(hwloc_const_bitmap_t set) {
  std::vector<unsigned> out;
  for (int i = hwloc_bitmap_first(set); i >= 0; i = hwloc_bitmap_next(set, i)) {
    out.push_back(static_cast<unsigned>(i));
  }
  return out;
}

std::vector<CoreSlot> plan_auto(const PlacementModel& m, int ranks, const std::string& hint) {
  std::vector<NicInfo> nics;
  const std::string wanted = hint.substr(0, hint.find(':'));
  for (const NicInfo& n : m.nics) {
    if (wanted.empty() || n.name == wanted) nics.push_back(n);
  }
  std::vector<int> used(m.cores.size(), 0);
  std::vector<int> numa_load(static_cast<std::size_t>(std::max(1, m.numa_nodes)), 0);
  std::vector<CoreSlot> plan;
  for (int r = 0; r < ranks; ++r) {
    const NicInfo* nic = nics.empty() ? nullptr : &nics[static_cast<std::size_t>(r) % nics.size()];
    auto near_nic = [&](const CoreInfo& c) {
      return nic == nullptr || std::find(nic->numa.begin(), nic->numa.end(), c.numa) != nic->numa.end();
    };
    // A free core near the NIC first, then any free core; when every core is taken, the least
    // used one. Ties go to the least loaded NUMA node, then to the lowest core.
    std::size_t best = 0;
    std::tuple<int, int, int, std::size_t> best_key{};
    for (std::size_t i = 0; i < m.cores.size(); ++i) {
      const CoreInfo& c = m.cores[i];
      const auto key = std::make_tuple(used[i], near_nic(c) ? 0 : 1, numa_load[c.numa], i);
      if (i == 0 || key < best_key) {
        best = i;
        best_key = key;
      }
    }
    used[best] += 1;
    numa_load[m.cores[best].numa] += 1;
    plan.push_back({m.cores[best].pus, nic != nullptr ? nic->name : ""});
  }
  return plan;
}

}  // namespace

BindPolicy parse_bind_policy(const std::string& text, const std::string& source) {
  if (text == "none") return BindPolicy::kNone;
  if (text == "core") return BindPolicy::kCore;
  if (text == "numa") return BindPolicy::kNuma;
  if (text == "auto") return BindPolicy::kAuto;
  throw input_error(source, fmt::format("'{}' is not a binding (expected none, core, numa or auto)", text));
}

std::string to_string(BindPolicy p) {
  switch (p) {
    case BindPolicy::kNone: return "none";
    case BindPolicy::kCore: return "core";
    case BindPolicy::kNuma: return "numa";
    case BindPolicy::kAuto: return "auto";
  }
  return "?";
}

PlacementModel placement_model(const HwlocTopology& topology, const HostTopology& host) {
  hwloc_topology_t topo = topology.get();
  PlacementModel m;
  m.numa_nodes = std::max(1, hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE));
  const int cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
  for (int i = 0; i < cores; ++i) {
    hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, static_cast<unsigned>(i));
    CoreInfo c;
    c.pus = pus_of(core->cpuset);
    for (int n = 0; n < m.numa_nodes; ++n) {
      hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, static_cast<unsigned>(n));
      if (node != nullptr && hwloc_bitmap_intersects(node->cpuset, core->cpuset)) {
        c.numa = n;
        break;
      }
    }
    m.cores.push_back(std::move(c));
  }
  for (const char* kind : {"rdma", "network"}) {
    for (const IoDevice& d : host.devices) {
      if (d.kind != kind || d.pci.empty()) continue;
      NicInfo nic{d.name, {}};
      for (int os : d.numa) {
        for (int n = 0; n < m.numa_nodes; ++n) {
          if (host.numa.size() > static_cast<std::size_t>(n) && host.numa[n].os_index == os) nic.numa.push_back(n);
        }
      }
      m.nics.push_back(std::move(nic));
    }
    if (!m.nics.empty()) break;
  }
  return m;
}

std::vector<CoreSlot> plan_binding(const PlacementModel& m, BindPolicy policy, int ranks,
                                   const std::string& nic_hint) {
  std::vector<CoreSlot> plan;
  if (m.cores.empty() || ranks <= 0) return plan;
  switch (policy) {
    case BindPolicy::kNone:
      break;
    case BindPolicy::kCore:
      for (int r = 0; r < ranks; ++r) plan.push_back({m.cores[static_cast<std::size_t>(r) % m.cores.size()].pus, ""});
      break;
    case BindPolicy::kNuma:
      for (int r = 0; r < ranks; ++r) {
        CoreSlot slot;
        for (const CoreInfo& c : m.cores) {
          if (c.numa == r % m.numa_nodes) slot.pus.insert(slot.pus.end(), c.pus.begin(), c.pus.end());
        }
        plan.push_back(std::move(slot));
      }
      break;
    case BindPolicy::kAuto:
      plan = plan_auto(m, ranks, nic_hint);
      break;
  }
  return plan;
}

Binding bind_process(BindPolicy policy, int local_rank, int local_ranks, const std::string& nic_hint) {
  const HwlocTopology& topology = HwlocTopology::this_machine();
  hwloc_topology_t topo = topology.get();
  Binding b;
  b.policy = policy;
  b.local_rank = local_rank;
  b.local_ranks = local_ranks;
  b.host_pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
  b.oversubscribed = local_ranks > b.host_pus;
  if (policy != BindPolicy::kNone) {
    const auto plan =
        plan_binding(placement_model(topology, discover_host(topology)), policy, local_ranks, nic_hint);
    if (static_cast<std::size_t>(local_rank) < plan.size()) {
      const CoreSlot& slot = plan[static_cast<std::size_t>(local_rank)];
      b.near = slot.near;
      Bitmap set = make_bitmap();
      for (unsigned pu : slot.pus) hwloc_bitmap_set(set.get(), pu);
      if (hwloc_set_cpubind(topo, set.get(), HWLOC_CPUBIND_PROCESS) != 0) {
        std::fprintf(stderr, "lightpath: warning: --bind %s: could not bind local rank %d to cpus %s\n",
                     to_string(policy).c_str(), local_rank, bitmap_list(set.get()).c_str());
      }
    }
  }
  Bitmap now = make_bitmap();
  if (hwloc_get_cpubind(topo, now.get(), HWLOC_CPUBIND_PROCESS) == 0) {
    b.cpus = bitmap_list(now.get());
    const int nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
    for (int n = 0; n < nodes; ++n) {
      hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, static_cast<unsigned>(n));
      if (hwloc_bitmap_intersects(node->cpuset, now.get())) b.numa.push_back(static_cast<int>(node->os_index));
    }
  }
  return b;
}

nlohmann::json to_json(const Binding& b) {
  nlohmann::json j = {{"policy", to_string(b.policy)}, {"cpus", b.cpus},
                      {"numa", b.numa},                {"local_rank", b.local_rank},
                      {"local_ranks", b.local_ranks},  {"oversubscribed", b.oversubscribed}};
  if (!b.near.empty()) j["near"] = b.near;
  return j;
}

}  // namespace lp::topo
