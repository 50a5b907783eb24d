#include "topo/hwloc_topology.h"

#include "core/error.h"

#include <cstdlib>

namespace lp::topo {

HwlocTopology::HwlocTopology() {
  if (hwloc_topology_init(&topo_) != 0) throw Error("hwloc: hwloc_topology_init failed");
  // Keep the PCI devices and OS devices that matter (NICs, RDMA, GPUs), drop bridges.
  hwloc_topology_set_io_types_filter(topo_, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
  hwloc_topology_set_icache_types_filter(topo_, HWLOC_TYPE_FILTER_KEEP_ALL);
  if (hwloc_topology_load(topo_) != 0) {
    hwloc_topology_destroy(topo_);
    topo_ = nullptr;
    throw Error("hwloc: cannot load this machine's topology");
  }
}

const HwlocTopology& HwlocTopology::this_machine() {
  // Never destroyed: ranks and tools use it until they exit.
  static const HwlocTopology* topology = new HwlocTopology();
  return *topology;
}

HwlocTopology::~HwlocTopology() {
  if (topo_ != nullptr) hwloc_topology_destroy(topo_);
}

std::string bitmap_list(hwloc_const_bitmap_t bitmap) {
  if (bitmap == nullptr) return "";
  char* text = nullptr;
  if (hwloc_bitmap_list_asprintf(&text, bitmap) < 0 || text == nullptr) return "";
  std::string out(text);
  std::free(text);
  return out;
}

Bitmap make_bitmap() {
  Bitmap b(hwloc_bitmap_alloc());
  if (!b) throw Error("hwloc: out of memory allocating a bitmap");
  return b;
}

}  // namespace lp::topo
