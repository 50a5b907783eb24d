#include "lab/stage.h"

#include "topo/problems.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>

namespace lp::lab {
namespace {

std::string describe(const topo::Circuit& c, const topo::Fabric& f) {
  return fmt::format("{} ports {}-{}", f.ocs[static_cast<std::size_t>(c.ocs)].name, c.a, c.b);
}

}  // namespace

topo::OcsConfig apply_stage(const topo::OcsConfig& current, const Stage& stage,
                            const topo::Fabric& fabric, const std::string& source, std::size_t index) {
  topo::Problems p(source);
  const std::string at = topo::json_path("stages", index);
  std::vector<topo::Circuit> after = current.circuits;
  for (std::size_t k = 0; k < stage.remove.circuits.size(); ++k) {
    const topo::Circuit& c = stage.remove.circuits[k];
    const auto it = std::find(after.begin(), after.end(), c);
    if (it == after.end()) {
      p.add(topo::json_path(topo::json_path(at, "remove"), k),
            fmt::format("circuit {} is not set up", describe(c, fabric)));
      continue;
    }
    after.erase(it);
  }
  std::map<topo::PortRef, topo::Circuit> busy;
  for (const topo::Circuit& c : after) {
    busy[{c.ocs, c.a}] = c;
    busy[{c.ocs, c.b}] = c;
  }
  for (std::size_t k = 0; k < stage.add.circuits.size(); ++k) {
    const topo::Circuit& c = stage.add.circuits[k];
    for (const int port : {c.a, c.b}) {
      const auto it = busy.find({c.ocs, port});
      if (it != busy.end()) {
        p.add(topo::json_path(topo::json_path(at, "add"), k),
              fmt::format("port {} still carries circuit {}", port, describe(it->second, fabric)));
      }
    }
    busy[{c.ocs, c.a}] = c;
    busy[{c.ocs, c.b}] = c;
    after.push_back(c);
  }
  p.throw_if_any();
  std::sort(after.begin(), after.end());
  return topo::OcsConfig{after};
}

Stage diff(const topo::OcsConfig& from, const topo::OcsConfig& to) {
  Stage s;
  std::set_difference(from.circuits.begin(), from.circuits.end(), to.circuits.begin(), to.circuits.end(),
                      std::back_inserter(s.remove.circuits));
  std::set_difference(to.circuits.begin(), to.circuits.end(), from.circuits.begin(), from.circuits.end(),
                      std::back_inserter(s.add.circuits));
  return s;
}

}  // namespace lp::lab
