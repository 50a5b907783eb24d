// What a running lab remembers between commands, in /run/lightpath/PREFIX/ (tmpfs: gone at
// reboot with the namespaces it describes): the fabric, the circuits now set up, the shaping,
// the Open MPI hostfile, the counter mark of `lab hops` and the hosts' UTS namespace files.
// lab.json is written before `lab up` creates anything, so an unfinished lab is known as one.
#pragma once

#include "lab/counters.h"
#include "topo/fabric.h"

#include <optional>
#include <string>

namespace lp::lab {

struct LabState {
  std::string prefix;
  std::string fabric_file;  // as given to lab up, for messages
  topo::Fabric fabric;
  topo::OcsConfig config;   // the circuits set up now
  double scale = 1e-3;      // circuit rate = link_gbps * scale
  int slots = 1;            // Open MPI slots per host
  bool complete = false;    // lab up finished
};

std::string state_dir(const std::string& prefix);
std::string hostfile_path(const std::string& prefix);
std::string mark_path(const std::string& prefix);
std::string uts_dir(const std::string& prefix);
std::string uts_file(const std::string& prefix, const std::string& host);

// lab.json. save_state creates the directory; load_state returns nullopt when there is none
// and throws InputError when it cannot be read.
void save_state(const LabState& state);
std::optional<LabState> load_state(const std::string& prefix);
// The state of a lab that is up, or Error("no lab with prefix P is up ...").
LabState require_state(const std::string& prefix);

// The counter snapshot `lab hops` measures from (set by up, apply and hops --reset).
void save_mark(const std::string& prefix, const Snapshot& mark);
Snapshot load_mark(const std::string& prefix);

}  // namespace lp::lab
