// One stage of a reconfiguration as the lab applies it: circuits to remove, then circuits to
// add (DESIGN.md, lightpath.ocs-proposal/1).
#pragma once

#include "topo/fabric.h"

#include <string>
#include <vector>

namespace lp::lab {

struct Stage {
  topo::OcsConfig remove;
  topo::OcsConfig add;
};

// The circuits of `current` after `stage`. Every removed circuit must be in `current`, and
// every added circuit's ports free once the removals are done; otherwise InputError lists
// every problem, each under "SOURCE: stages[INDEX]".
topo::OcsConfig apply_stage(const topo::OcsConfig& current, const Stage& stage,
                            const topo::Fabric& fabric, const std::string& source, std::size_t index);

// What turns `from` into `to`: the circuits only `from` has, and those only `to` has.
Stage diff(const topo::OcsConfig& from, const topo::OcsConfig& to);

}  // namespace lp::lab
