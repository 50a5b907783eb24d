// Reads lightpath.fabric/1 and checks every physical constraint, collecting all violations.
#include "topo/fabric.h"

#include "topo/problems.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

namespace lp::topo {
namespace {

// Highest link speed accepted, in Gbit/s: well above any optic, low enough to catch typos.
constexpr double kMaxLinkGbps = 1e5;

void read_ocs(const nlohmann::json& list, Fabric& f, Problems& p) {
  std::map<std::string, std::string> seen;  // name -> path of its first use
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = json_path("ocs", i);
    const nlohmann::json& item = list[i];
    Ocs o;
    if (auto name = get_string(item, "name", path, p)) {
      auto [it, fresh] = seen.emplace(*name, path);
      if (!fresh) p.add(json_path(path, "name"), fmt::format("duplicate OCS name '{}' (also {})", *name, it->second));
      o.name = *name;
    }
    if (const nlohmann::json* v = get_field(item, "ports", path, p)) {
      if (auto n = as_int(*v, json_path(path, "ports"), 1, kMaxOcsPorts, p)) o.ports = static_cast<int>(*n);
    }
    if (item.is_object() && item.contains("failed_ports")) {
      const std::string fpath = json_path(path, "failed_ports");
      const nlohmann::json& failed = item["failed_ports"];
      if (!failed.is_array()) {
        p.add(fpath, fmt::format("expected an array, got {}", json_type_name(failed)));
      } else {
        for (std::size_t k = 0; k < failed.size(); ++k) {
          const std::string ppath = json_path(fpath, k);
          const int hi = o.ports > 0 ? o.ports - 1 : kMaxOcsPorts;  // bad `ports` is reported already
          const auto port = as_int(failed[k], ppath, 0, hi, p);
          if (!port) continue;
          const int port_i = static_cast<int>(*port);
          if (std::find(o.failed_ports.begin(), o.failed_ports.end(), port_i) != o.failed_ports.end()) {
            p.add(ppath, fmt::format("port {} listed twice", port_i));
          } else {
            o.failed_ports.push_back(port_i);
          }
        }
      }
      std::sort(o.failed_ports.begin(), o.failed_ports.end());
    }
    f.ocs.push_back(std::move(o));
  }
}

void read_uplinks(const nlohmann::json& list, const std::string& bpath, Fabric& f, Block& block,
                  std::map<PortRef, std::string>& wired, Problems& p) {
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string upath = json_path(json_path(bpath, "uplinks"), k);
    const nlohmann::json& item = list[k];
    const auto ocs_name = get_string(item, "ocs", upath, p);
    int o = -1;
    if (ocs_name) {
      o = f.ocs_index(*ocs_name);
      if (o < 0) p.add(json_path(upath, "ocs"), fmt::format("unknown OCS '{}'", *ocs_name));
    }
    const nlohmann::json* port_v = get_field(item, "port", upath, p);
    if (port_v == nullptr) continue;
    const std::string ppath = json_path(upath, "port");
    const auto port = as_int(*port_v, ppath, 0, std::numeric_limits<int>::max(), p);
    if (!port || o < 0) continue;
    const Ocs& ocs = f.ocs[static_cast<std::size_t>(o)];
    if (ocs.ports == 0) continue;  // its port count was already reported
    if (*port >= ocs.ports) {
      p.add(ppath, fmt::format("port {} is out of range 0..{} of {}", *port, ocs.ports - 1, ocs.name));
      continue;
    }
    const PortRef ref{o, static_cast<int>(*port)};
    auto [it, fresh] = wired.emplace(ref, upath);
    if (!fresh) {
      p.add(ppath, fmt::format("{} port {} is wired twice (also {})", ocs.name, ref.port, it->second));
      continue;
    }
    block.uplinks.push_back(ref);
  }
}

void read_blocks(const nlohmann::json& list, Fabric& f, Problems& p) {
  std::map<std::string, std::string> names;      // block name -> path
  std::map<std::string, std::string> host_seen;  // host -> path
  std::map<PortRef, std::string> wired;          // port -> uplink path
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = json_path("blocks", i);
    const nlohmann::json& item = list[i];
    Block b;
    if (auto name = get_string(item, "name", path, p)) {
      auto [it, fresh] = names.emplace(*name, path);
      if (!fresh) p.add(json_path(path, "name"), fmt::format("duplicate block name '{}' (also {})", *name, it->second));
      b.name = *name;
    }
    if (const nlohmann::json* hosts = get_array(item, "hosts", path, p)) {
      for (std::size_t k = 0; k < hosts->size(); ++k) {
        const std::string hpath = json_path(json_path(path, "hosts"), k);
        auto host = as_string((*hosts)[k], hpath, p);
        if (!host) continue;
        auto [it, fresh] = host_seen.emplace(*host, hpath);
        if (!fresh) {
          p.add(hpath, fmt::format("host '{}' is in two blocks (also {})", *host, it->second));
          continue;
        }
        b.hosts.push_back(*host);
      }
    }
    if (const nlohmann::json* uplinks = get_array(item, "uplinks", path, p)) {
      read_uplinks(*uplinks, path, f, b, wired, p);
    }
    f.blocks.push_back(std::move(b));
  }
}

}  // namespace

Fabric parse_fabric(const nlohmann::json& doc, const std::string& source) {
  Problems p(source);
  if (!check_format(doc, "lightpath.fabric/1", p)) p.throw_if_any();
  Fabric f;
  if (auto name = get_string(doc, "name", "", p)) f.name = *name;
  if (const nlohmann::json* v = get_field(doc, "link_gbps", "", p)) {
    if (auto gbps = as_number(*v, "link_gbps", 1e-3, kMaxLinkGbps, p)) f.link_gbps = *gbps;
  }
  if (doc.contains("transit")) {
    const auto transit = as_string(doc["transit"], "transit", p);
    if (transit == "spine") {
      f.transit = Transit::kSpine;
    } else if (transit && transit != "block") {
      p.add("transit", fmt::format("unknown transit '{}' (expected \"block\" or \"spine\")", *transit));
    }
  }
  if (const nlohmann::json* ocs = get_array(doc, "ocs", "", p)) read_ocs(*ocs, f, p);
  if (const nlohmann::json* blocks = get_array(doc, "blocks", "", p)) read_blocks(*blocks, f, p);
  p.throw_if_any();
  return f;
}

}  // namespace lp::topo
