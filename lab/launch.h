// Running programs inside a lab. `lab run` runs a command (mpirun) in the management
// namespace with Open MPI told how to reach the lab's hosts: its rsh agent is `lightpath lab
// exec`, which enters a host's network and UTS namespaces; the hostfile lists the lab's hosts;
// the launcher's own traffic stays on the management network and MPI's on the fabric. Inside
// a host, the tcp and UCX transports are pointed at the fabric interface.
#pragma once

#include "lab/plan.h"
#include "lab/state.h"

#include <string>
#include <utility>
#include <vector>

namespace lp::lab {

using Environment = std::vector<std::pair<std::string, std::string>>;

// What `lab run` sets for mpirun. `agent` is the rsh agent command line.
Environment launcher_environment(const Plan& plan, const std::string& agent);
// What `lab exec` sets for programs inside a host.
Environment host_environment(const Plan& plan);

// The rsh agent for this lab: this binary's `lab exec --prefix PREFIX`.
std::string rsh_agent(const std::string& prefix);

// Replaces this process with `command` in the management namespace. Throws Error if it cannot.
[[noreturn]] void exec_in_lab(const LabState& state, const std::vector<std::string>& command, bool verbose);

// Replaces this process with /bin/sh running `words` (joined by spaces, as ssh does) in
// `host`'s namespaces, or an interactive /bin/sh when `words` is empty.
[[noreturn]] void exec_on_host(const LabState& state, const std::string& host,
                               const std::vector<std::string>& words, bool verbose);

}  // namespace lp::lab
