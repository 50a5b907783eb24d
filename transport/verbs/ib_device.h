// Finding and opening the RDMA port the verbs backend uses: every port of every device is
// surveyed, device_select.h decides, and the chosen port comes back open with its GID.
#pragma once

#include "transport/transport.h"
#include "transport/verbs/device_select.h"
#include "transport/verbs/ib_handles.h"

#include <optional>
#include <string>

namespace lp::transport::verbs {

struct OpenedPort {
  ib::ContextPtr context;
  std::string device;
  int port = 0;
  ibv_device_attr device_attr{};
  ibv_port_attr attr{};
  LinkLayer link_layer = LinkLayer::kInfiniBand;
  std::optional<int> gid_index;  // none: addressed by LID alone
  ibv_gid gid{};
};

// The port TransportOptions::device names (or the first active port) with the GID that
// gid_index asks for (or chooses). Throws InputError for a device, port or GID index that
// does not exist, Error when the port cannot be used.
OpenedPort open_port(const TransportOptions& options);

// Empty when an active RDMA port exists here, else why the verbs backend cannot run.
std::string unavailable_reason();

}  // namespace lp::transport::verbs
