#include "topo/host.h"

#include "core/run_info.h"
#include "topo/hwloc_topology.h"

#include <fmt/format.h>

#include <array>
#include <map>

namespace lp::topo {
namespace {

const char* device_kind(hwloc_obj_osdev_type_t type) {
  switch (type) {
    case HWLOC_OBJ_OSDEV_NETWORK: return "network";
    case HWLOC_OBJ_OSDEV_OPENFABRICS: return "rdma";
    case HWLOC_OBJ_OSDEV_GPU: return "gpu";
    case HWLOC_OBJ_OSDEV_COPROC: return "accelerator";
    default: return nullptr;  // block devices, DMA engines: not what a network benchmark uses
  }
}

hwloc_obj_t pci_parent(hwloc_obj_t obj) {
  for (hwloc_obj_t p = obj->parent; p != nullptr; p = p->parent) {
    if (p->type == HWLOC_OBJ_PCI_DEVICE) return p;
  }
  return nullptr;
}

std::string info(hwloc_obj_t obj, const char* key) {
  const char* v = hwloc_obj_get_info_by_name(obj, key);
  return v != nullptr ? v : "";
}

IoDevice describe_device(hwloc_topology_t topo, hwloc_obj_t osdev, const char* kind) {
  IoDevice d;
  d.name = osdev->name != nullptr ? osdev->name : "";
  d.kind = kind;
  if (hwloc_obj_t pci = pci_parent(osdev)) {
    const auto& a = pci->attr->pcidev;
    d.pci = fmt::format("{:04x}:{:02x}:{:02x}.{:x}", a.domain, a.bus, a.dev, a.func);
    const std::string vendor = info(pci, "PCIVendor");
    const std::string device = info(pci, "PCIDevice");
    d.model = vendor.empty() ? device : device.empty() ? vendor : vendor + " " + device;
  }
  hwloc_obj_t local = hwloc_get_non_io_ancestor_obj(topo, osdev);
  if (local != nullptr) {
    d.cpus = bitmap_list(local->cpuset);
    const int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
    for (int i = 0; i < n; ++i) {
      hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, static_cast<unsigned>(i));
      if (hwloc_bitmap_intersects(node->nodeset, local->nodeset)) {
        d.numa.push_back(static_cast<int>(node->os_index));
      }
    }
  }
  return d;
}

std::string human_bytes(std::uint64_t b) {
  if (b >= (std::uint64_t{1} << 30)) return fmt::format("{:.1f} GiB", static_cast<double>(b) / (1 << 30));
  if (b >= (1u << 20)) return fmt::format("{} MiB", b >> 20);
  if (b >= (1u << 10)) return fmt::format("{} KiB", b >> 10);
  return fmt::format("{} B", b);
}

}  // namespace

HostTopology discover_host() { return discover_host(HwlocTopology::this_machine()); }

HostTopology discover_host(const HwlocTopology& topology) {
  hwloc_topology_t topo = topology.get();
  HostTopology h;
  h.hostname = local_hostname();
  h.packages = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
  h.numa_nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
  h.cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
  h.pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
  for (int i = 0; i < h.numa_nodes; ++i) {
    hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, static_cast<unsigned>(i));
    h.numa.push_back({static_cast<int>(node->os_index), node->attr->numanode.local_memory,
                      bitmap_list(node->cpuset)});
  }
  constexpr std::array<std::pair<hwloc_obj_type_t, const char*>, 5> kCaches = {{
      {HWLOC_OBJ_L1CACHE, "L1d"}, {HWLOC_OBJ_L1ICACHE, "L1i"}, {HWLOC_OBJ_L2CACHE, "L2"},
      {HWLOC_OBJ_L3CACHE, "L3"}, {HWLOC_OBJ_L4CACHE, "L4"}}};
  for (const auto& [type, name] : kCaches) {
    const int n = hwloc_get_nbobjs_by_type(topo, type);
    if (n <= 0) continue;
    hwloc_obj_t first = hwloc_get_obj_by_type(topo, type, 0);
    h.caches.push_back({name, first->attr->cache.size, n});
  }
  for (hwloc_obj_t d = hwloc_get_next_osdev(topo, nullptr); d != nullptr;
       d = hwloc_get_next_osdev(topo, d)) {
    if (const char* kind = device_kind(d->attr->osdev.type)) {
      h.devices.push_back(describe_device(topo, d, kind));
    }
  }
  return h;
}

nlohmann::json to_json(const HostTopology& h) {
  nlohmann::json numa = nlohmann::json::array();
  for (const NumaNode& n : h.numa) {
    numa.push_back({{"os_index", n.os_index}, {"memory_bytes", n.memory_bytes}, {"cpus", n.cpus}});
  }
  nlohmann::json caches = nlohmann::json::array();
  for (const CacheLevel& c : h.caches) {
    caches.push_back({{"name", c.name}, {"size_bytes", c.size_bytes}, {"count", c.count}});
  }
  nlohmann::json devices = nlohmann::json::array();
  for (const IoDevice& d : h.devices) {
    devices.push_back({{"name", d.name}, {"kind", d.kind}, {"pci", d.pci}, {"model", d.model},
                       {"numa", d.numa}, {"cpus", d.cpus}});
  }
  return {{"hostname", h.hostname}, {"packages", h.packages}, {"numa_nodes", h.numa_nodes},
          {"cores", h.cores},       {"pus", h.pus},           {"numa", numa},
          {"caches", caches},       {"devices", devices}};
}

nlohmann::json summary_json(const HostTopology& h) {
  nlohmann::json devices = nlohmann::json::array();
  for (const IoDevice& d : h.devices) {
    if (d.kind == "network" || d.kind == "rdma") {
      devices.push_back({{"name", d.name}, {"kind", d.kind}, {"numa", d.numa}});
    }
  }
  return {{"packages", h.packages}, {"numa_nodes", h.numa_nodes}, {"cores", h.cores},
          {"pus", h.pus}, {"nics", devices}};
}

std::string format_host(const HostTopology& h) {
  auto plural = [](int n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  std::string out = fmt::format("host {}: {}, {}, {}, {}\n", h.hostname,
                                plural(h.packages, "package", "packages"),
                                plural(h.numa_nodes, "NUMA node", "NUMA nodes"),
                                plural(h.cores, "core", "cores"),
                                plural(h.pus, "hardware thread", "hardware threads"));
  for (const NumaNode& n : h.numa) {
    out += fmt::format("  NUMA node {}: {}, cpus {}\n", n.os_index, human_bytes(n.memory_bytes), n.cpus);
  }
  if (!h.caches.empty()) {
    out += "  caches:";
    for (const CacheLevel& c : h.caches) out += fmt::format(" {} {} x{};", c.name, human_bytes(c.size_bytes), c.count);
    out.back() = '\n';
  }
  out += h.devices.empty() ? "  devices: none found\n" : "  devices:\n";
  for (const IoDevice& d : h.devices) {
    std::string numa;
    for (int n : d.numa) numa += (numa.empty() ? "" : ",") + std::to_string(n);
    out += fmt::format("    {:<12} {:<12} {:<13} NUMA {:<5} cpus {:<10} {}\n", d.name, d.kind,
                       d.pci.empty() ? "-" : d.pci, numa.empty() ? "-" : numa, d.cpus, d.model);
  }
  return out;
}

}  // namespace lp::topo
