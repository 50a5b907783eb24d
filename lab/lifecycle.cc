#include "lab/lifecycle.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "lab/apply.h"
#include "lab/counters.h"
#include "lab/namespaces.h"
#include "lab/plan.h"
#include "lab/routes.h"
#include "lab/setup.h"
#include "lab/state.h"

#include <signal.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <thread>

namespace lp::lab {
namespace {

using Clock = std::chrono::steady_clock;

// Runs `step` and records how long it took under `name`.
template <typename F>
void timed(UpReport& r, const char* name, F&& step) {
  const auto t0 = Clock::now();
  step();
  r.steps.emplace_back(name, std::chrono::duration<double>(Clock::now() - t0).count());
}

// SIGTERM, a second to go, then SIGKILL.
std::size_t stop_processes(const std::vector<std::string>& netns) {
  const std::vector<pid_t> pids = pids_in(netns);
  for (const pid_t p : pids) ::kill(p, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(1);
  while (!pids_in(netns).empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (const pid_t p : pids_in(netns)) ::kill(p, SIGKILL);
  return pids.size();
}

std::string leftover_list(const Leftovers& l, const std::string& prefix) {
  std::string list;
  for (std::size_t k = 0; k < l.netns.size() && k < 4; ++k) list += (k ? ", " : "") + l.netns[k];
  if (l.netns.size() > 4) list += fmt::format(" and {} more", l.netns.size() - 4);
  if (l.state) list += (list.empty() ? "" : "; ") + state_dir(prefix);
  return list;
}

}  // namespace

Leftovers find_leftovers(const std::string& prefix) {
  check_prefix(prefix);
  Leftovers l;
  for (const std::string& n : list_netns()) {
    if (is_lab_netns(prefix, n)) l.netns.push_back(n);
  }
  l.state = std::filesystem::exists(state_dir(prefix));
  return l;
}

DownReport lab_down(const std::string& prefix, const Runner& run) {
  const Leftovers l = find_leftovers(prefix);
  DownReport r;
  if (!l.netns.empty()) r.processes = stop_processes(l.netns);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(uts_dir(prefix), ec)) {
    remove_uts(entry.path());
    ++r.uts;
  }
  std::vector<std::string> lines;
  for (const std::string& n : l.netns) lines.push_back("netns del " + n);
  run.ip_batch("", lines);
  r.netns = l.netns.size();
  if (l.state) {
    std::filesystem::remove_all(state_dir(prefix), ec);
    if (ec) throw Error(fmt::format("{}: cannot remove: {}", state_dir(prefix), ec.message()));
    r.state = true;
    std::filesystem::remove(std::filesystem::path(state_dir(prefix)).parent_path(), ec);  // if empty
  }
  return r;
}

UpReport lab_up(const UpOptions& o, const Runner& run) {
  const auto start = Clock::now();
  LabState state;
  state.prefix = o.prefix;
  state.fabric_file = o.fabric_file;
  state.fabric = topo::load_fabric(o.fabric_file);
  state.config = topo::load_ocs_config(o.config_file, state.fabric);
  state.scale = o.scale;
  state.slots = o.slots;
  if (o.slots < 1) throw input_error("--slots", fmt::format("{} is not a positive count", o.slots));
  if (state.fabric.transit != topo::Transit::kBlock) {
    throw input_error(o.fabric_file, "the lab builds fabrics whose transit is \"block\" (this one's is \"spine\")");
  }
  const Plan plan(state.fabric, o.prefix);
  if (const std::string why = missing_privileges(); !why.empty()) throw Error("lab up: " + why);
  const Leftovers left = find_leftovers(o.prefix);
  if (!left.empty()) {
    if (!o.force) {
      throw Error(fmt::format("lab up: a lab with prefix '{}' or its leftovers are here ({}); "
                              "`lightpath lab down --prefix {}` removes them, or pass --force",
                              o.prefix, leftover_list(left, o.prefix), o.prefix));
    }
    lab_down(o.prefix, run);
  }
  save_state(state);
  std::filesystem::create_directories(uts_dir(o.prefix));
  const std::vector<CircuitLink> links = plan.links(state.config);
  UpReport r;
  r.blocks = plan.blocks().size();
  r.hosts = plan.hosts().size();
  r.circuits = links.size();
  r.rate_bps = circuit_rate_bps(state);
  try {
    timed(r, "namespaces", [&] { create_namespaces(plan, run); });
    timed(r, "hosts", [&] { create_hosts(plan, run, uts_dir(o.prefix)); });
    timed(r, "circuits", [&] { add_circuits(plan, run, links, r.rate_bps); });
    timed(r, "routes", [&] { install_routes(plan, run, links); });
  } catch (const Error& e) {
    throw Error(fmt::format("{}\nlab up stopped half way; `lightpath lab down --prefix {}` removes what it made",
                            e.what(), o.prefix));
  }
  std::string hostfile;
  for (const HostPlan& h : plan.hosts()) hostfile += fmt::format("{} slots={}\n", h.name, o.slots);
  write_file_atomic(hostfile_path(o.prefix), hostfile);
  state.complete = true;
  save_state(state);
  // The lab is usable from here; a configuration that leaves blocks apart is reported after
  // the counters are marked (past the check's own packets).
  std::exception_ptr apart;
  timed(r, "check", [&] {
    try {
      check_reachable(plan, "lab up: the lab is up, but " + o.config_file);
    } catch (const Error&) {
      apart = std::current_exception();
    }
  });
  save_mark(o.prefix, read_counters(plan, run));
  if (apart) std::rethrow_exception(apart);
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

}  // namespace lp::lab
