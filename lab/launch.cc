#include "lab/launch.h"

#include "core/error.h"
#include "lab/namespaces.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace lp::lab {
namespace {

void set_all(const Environment& env, bool verbose) {
  for (const auto& [key, value] : env) {
    ::setenv(key.c_str(), value.c_str(), 1);
    if (verbose) std::fprintf(stderr, "+ export %s='%s'\n", key.c_str(), value.c_str());
  }
}

[[noreturn]] void exec_ip_netns(const std::string& netns, const std::vector<std::string>& command,
                                bool verbose) {
  std::vector<std::string> argv{"ip", "netns", "exec", netns};
  argv.insert(argv.end(), command.begin(), command.end());
  if (verbose) {
    std::string line;
    for (const std::string& a : argv) line += (line.empty() ? "" : " ") + a;
    std::fprintf(stderr, "+ exec %s\n", line.c_str());
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  ::execvp(args[0], args.data());
  throw Error(fmt::format("cannot run ip (iproute2) to enter {}: {}", netns, std::strerror(errno)));
}

}  // namespace

Environment launcher_environment(const Plan& plan, const std::string& agent) {
  return {{"OMPI_MCA_plm_rsh_agent", agent},
          {"OMPI_MCA_plm_rsh_no_tree_spawn", "1"},
          {"OMPI_MCA_orte_default_hostfile", hostfile_path(plan.prefix())},
          {"OMPI_MCA_oob_tcp_if_include", kMgmtNet},
          {"OMPI_MCA_btl_tcp_if_include", kHostNet},
          {"OMPI_MCA_pml", "ob1"},
          {"OMPI_MCA_btl", "tcp,vader,self"},
          // Every lab host sees all of this machine's cores: binding per host would stack the
          // ranks of different hosts on the same cores.
          {"OMPI_MCA_hwloc_base_binding_policy", "none"},
          // The lab exists only for root, so its jobs run as root.
          {"OMPI_ALLOW_RUN_AS_ROOT", "1"},
          {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}};
}

Environment host_environment(const Plan& plan) {
  return {{"LP_TCP_IFNAME", plan.fabric_if()},
          {"UCX_NET_DEVICES", plan.fabric_if()},
          {"UCX_TLS", "tcp,self"}};
}

std::string rsh_agent(const std::string& prefix) {
  std::error_code ec;
  const std::string exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error(fmt::format("cannot tell where this lightpath binary is: {}", ec.message()));
  // Open MPI splits the agent at spaces.
  if (exe.find_first_of(" \t") != std::string::npos) {
    throw Error(fmt::format("the lightpath binary's path '{}' has a space; Open MPI cannot use it "
                            "as an rsh agent",
                            exe));
  }
  return exe + " lab exec --prefix " + prefix;
}

void exec_in_lab(const LabState& state, const std::vector<std::string>& command, bool verbose) {
  if (command.empty()) throw InputError("lab run: give the command to run, e.g. `lab run -- mpirun -np 4 ...`");
  const Plan plan(state.fabric, state.prefix);
  set_all(launcher_environment(plan, rsh_agent(state.prefix)), verbose);
  exec_ip_netns(plan.mgmt_netns(), command, verbose);
}

void exec_on_host(const LabState& state, const std::string& host, const std::vector<std::string>& words,
                  bool verbose) {
  const Plan plan(state.fabric, state.prefix);
  const int h = plan.host_index(host);
  if (h < 0) throw InputError(fmt::format("lab exec: '{}' is not a host of the lab's fabric {}", host, state.fabric_file));
  enter_uts(uts_file(state.prefix, host));
  set_all(host_environment(plan), verbose);
  std::string joined;
  for (const std::string& w : words) joined += (joined.empty() ? "" : " ") + w;
  std::vector<std::string> shell{"/bin/sh"};
  if (!words.empty()) shell.insert(shell.end(), {"-c", joined});
  exec_ip_netns(plan.hosts()[static_cast<std::size_t>(h)].netns, shell, verbose);
}

}  // namespace lp::lab
