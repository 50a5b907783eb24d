// The planner's view of a fabric: how many working ports each block has on each OCS (failed
// and unwired ports left out), block pairs as one index, and OCS classes: OCSes cabled alike
// (the same number of uplinks of every block) are interchangeable to the block-level program,
// which then sees one class with their ports added up instead of each device.
#pragma once

#include "topo/fabric.h"

#include <vector>

namespace lp::ocs {

// Unordered block pairs {i, j}, i < j, numbered 0 .. n(n-1)/2 - 1.
class PairIndex {
 public:
  explicit PairIndex(int blocks);
  int blocks() const { return n_; }
  int count() const { return static_cast<int>(first_.size()); }
  int index(int i, int j) const;  // i != j, either order
  int first(int pair) const { return first_[static_cast<std::size_t>(pair)]; }
  int second(int pair) const { return second_[static_cast<std::size_t>(pair)]; }

 private:
  int n_;
  std::vector<int> first_, second_;
};

struct PortModel {
  int blocks = 0;
  int ocs = 0;
  // ports[o][i]: the working ports of block i on OCS o, ascending.
  std::vector<std::vector<std::vector<int>>> ports;
  // wired[o][i]: every uplink of block i on OCS o, failed ones included.
  std::vector<std::vector<int>> wired;
  // owner[o][port]: the block wired to that port, or -1.
  std::vector<std::vector<int>> owner;

  int working(int o, int block) const {
    return static_cast<int>(ports[static_cast<std::size_t>(o)][static_cast<std::size_t>(block)].size());
  }
  int uplinks(int block) const;  // working, over all OCSes
  // Circuits pair {i, j} could have if it had every shared OCS to itself.
  int pair_capacity(int i, int j) const;
};

PortModel port_model(const topo::Fabric& fabric);

struct OcsClass {
  std::vector<int> members;   // OCS indices, ascending
  std::vector<int> capacity;  // per block: working ports over the members
};

// Groups OCSes with identical wiring (the same uplinks per block, failures aside). Classes are
// ordered by their first member.
std::vector<OcsClass> ocs_classes(const PortModel& model);
// The same classes with class `c` split into one class per member OCS.
std::vector<OcsClass> split_class(const std::vector<OcsClass>& classes, std::size_t c,
                                  const PortModel& model);

// counts[o][pair]: circuits of `config` on OCS o between the pair's blocks.
std::vector<std::vector<int>> circuit_counts(const topo::OcsConfig& config, const PortModel& model,
                                             const PairIndex& pairs);

}  // namespace lp::ocs
