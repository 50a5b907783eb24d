// An owned, loaded hwloc topology of this machine, with I/O devices (PCI and OS devices such
// as network interfaces, RDMA devices and GPUs) kept. Shared by host discovery and binding.
#pragma once

#include <hwloc.h>

#include <memory>
#include <string>

namespace lp::topo {

class HwlocTopology {
 public:
  // This machine, loaded once per process and kept (loading takes milliseconds, and hwloc's
  // plugins stay loaded with it). Throws lp::Error when hwloc cannot load the topology.
  static const HwlocTopology& this_machine();

  HwlocTopology();  // a fresh load; throws like this_machine()
  ~HwlocTopology();
  HwlocTopology(const HwlocTopology&) = delete;
  HwlocTopology& operator=(const HwlocTopology&) = delete;

  hwloc_topology_t get() const { return topo_; }

 private:
  hwloc_topology_t topo_ = nullptr;
};

// hwloc bitmap as a list of OS indexes ("0-3,8"), and back into an owned bitmap.
std::string bitmap_list(hwloc_const_bitmap_t bitmap);

struct BitmapDeleter {
  void operator()(hwloc_bitmap_t b) const { hwloc_bitmap_free(b); }
};
using Bitmap = std::unique_ptr<hwloc_bitmap_s, BitmapDeleter>;
Bitmap make_bitmap();

}  // namespace lp::topo
