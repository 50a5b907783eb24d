// Reads lightpath.ocs-config/1 against a fabric and checks every circuit, collecting all
// violations: each circuit joins two distinct, working, wired ports of one OCS, in two
// different blocks, and no port carries two circuits.
#include "topo/fabric.h"

#include "topo/problems.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

namespace lp::topo {
namespace {

// One end of a circuit: range, failed and wired checks. Returns the owning block or -1.
int check_end(const Fabric& f, const std::vector<std::vector<int>>& owner, int o, int port,
              const std::string& path, Problems& p) {
  const Ocs& ocs = f.ocs[static_cast<std::size_t>(o)];
  if (port >= ocs.ports) {
    p.add(path, fmt::format("port {} is out of range 0..{} of {}", port, ocs.ports - 1, ocs.name));
    return -1;
  }
  if (f.port_failed(o, port)) {
    p.add(path, fmt::format("{} port {} is failed and cannot carry a circuit", ocs.name, port));
  }
  const int block = owner[static_cast<std::size_t>(o)][static_cast<std::size_t>(port)];
  if (block < 0) p.add(path, fmt::format("{} port {} is not wired to any block", ocs.name, port));
  return block;
}

}  // namespace

OcsConfig parse_ocs_config(const nlohmann::json& doc, const Fabric& fabric, const std::string& source) {
  Problems p(source);
  if (!check_format(doc, "lightpath.ocs-config/1", p)) p.throw_if_any();
  OcsConfig config;
  const nlohmann::json* list = get_array(doc, "circuits", "", p);
  if (list == nullptr) p.throw_if_any();
  const auto owner = fabric.port_owners();
  std::map<PortRef, std::string> used;  // port -> path of the circuit using it
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = json_path("circuits", i);
    const nlohmann::json& item = (*list)[i];
    int o = -1;
    if (auto name = get_string(item, "ocs", path, p)) {
      o = fabric.ocs_index(*name);
      if (o < 0) p.add(json_path(path, "ocs"), fmt::format("unknown OCS '{}'", *name));
    }
    const nlohmann::json* ports = get_array(item, "ports", path, p);
    if (ports == nullptr) continue;
    const std::string ppath = json_path(path, "ports");
    if (ports->size() != 2) {
      p.add(ppath, fmt::format("expected 2 ports, got {}", ports->size()));
      continue;
    }
    const auto a = as_int((*ports)[0], json_path(ppath, 0), 0, std::numeric_limits<int>::max(), p);
    const auto b = as_int((*ports)[1], json_path(ppath, 1), 0, std::numeric_limits<int>::max(), p);
    if (!a || !b || o < 0) continue;
    if (*a == *b) {
      p.add(ppath, fmt::format("both ends are port {}", *a));
      continue;
    }
    const int ia = static_cast<int>(*a);
    const int ib = static_cast<int>(*b);
    const int block_a = check_end(fabric, owner, o, ia, json_path(ppath, 0), p);
    const int block_b = check_end(fabric, owner, o, ib, json_path(ppath, 1), p);
    if (block_a >= 0 && block_a == block_b) {
      p.add(ppath, fmt::format("both ends are in block '{}'",
                               fabric.blocks[static_cast<std::size_t>(block_a)].name));
    }
    bool clash = false;
    for (const int port : {ia, ib}) {
      auto [it, fresh] = used.emplace(PortRef{o, port}, path);
      if (!fresh) {
        p.add(ppath, fmt::format("{} port {} is used by two circuits (also {})",
                                 fabric.ocs[static_cast<std::size_t>(o)].name, port, it->second));
        clash = true;
      }
    }
    if (!clash) config.circuits.push_back(Circuit{o, std::min(ia, ib), std::max(ia, ib)});
  }
  p.throw_if_any();
  std::sort(config.circuits.begin(), config.circuits.end());
  return config;
}

}  // namespace lp::topo
