#include "lab/cli/lab_command.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/sizes.h"
#include "lab/apply.h"
#include "lab/counters.h"
#include "lab/launch.h"
#include "lab/lifecycle.h"
#include "lab/plan.h"
#include "lab/proposal_stages.h"
#include "lab/setup.h"
#include "lab/state.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

namespace lp::lab {
namespace {

struct Common {
  std::string prefix = "lp";
  bool verbose = false;
};

void add_common(CLI::App& app, Common& c) {
  app.add_option("--prefix", c.prefix, "what every name of the lab starts with (1-6 of a-z0-9)")
      ->capture_default_str();
  app.add_flag("-v,--verbose", c.verbose, "show every ip and tc command");
}

// `lab exec`'s words: everything from the first word that is not an option on, as Open MPI
// passes them to its rsh agent (HOST COMMAND...), less a "--" after HOST.
std::vector<std::string> exec_words(const CLI::App& app) {
  std::vector<std::string> words = app.remaining();
  if (words.size() > 1 && words[1] == "--") words.erase(words.begin() + 1);
  return words;
}

cli::Command up_command() {
  struct Flags {
    Common common;
    UpOptions up;
    std::string scale = "1/1000";
  };
  return {"up", "build the lab: a namespace per host and per block, circuits as shaped veth pairs",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            add_common(app, f->common);
            app.add_option("--fabric", f->up.fabric_file, "lightpath.fabric/1 file")->required();
            app.add_option("--config", f->up.config_file, "lightpath.ocs-config/1 file: the circuits")->required();
            app.add_option("--scale", f->scale, "circuit rate as a fraction of link_gbps")->capture_default_str();
            app.add_option("--slots", f->up.slots, "Open MPI slots per host in the hostfile")->capture_default_str();
            app.add_flag("--force", f->up.force, "take down a lab (or its leftovers) with this prefix first");
            return [f] {
              f->up.prefix = f->common.prefix;
              f->up.scale = parse_scale(f->scale);
              const UpReport r = lab_up(f->up, Runner(f->common.verbose));
              std::string steps;
              for (const auto& [name, s] : r.steps) steps += fmt::format("{}{} {:.2f} s", steps.empty() ? "" : ", ", name, s);
              std::printf("lab up: %zu blocks, %zu hosts, %zu circuits at %.4g Gbit/s in %.2f s (%s)\n", r.blocks,
                          r.hosts, r.circuits, r.rate_bps / 1e9, r.seconds, steps.c_str());
              std::printf("run jobs with: lightpath lab run --prefix %s -- mpirun -np N ...\n",
                          f->common.prefix.c_str());
              return kExitOk;
            };
          }};
}

cli::Command down_command() {
  return {"down", "remove everything the lab with this prefix made (idempotent)",
          [](CLI::App& app) -> cli::Action {
            auto c = std::make_shared<Common>();
            add_common(app, *c);
            return [c] {
              check_prefix(c->prefix);
              const DownReport r = lab_down(c->prefix, Runner(c->verbose));
              if (r.netns == 0 && !r.state && r.uts == 0) {
                std::printf("lab down: nothing to remove for prefix '%s'\n", c->prefix.c_str());
              } else {
                std::printf("lab down: removed %zu namespaces, %zu hostnames, %s; stopped %zu processes\n",
                            r.netns, r.uts, r.state ? state_dir(c->prefix).c_str() : "no state", r.processes);
              }
              return kExitOk;
            };
          }};
}

cli::Command run_command() {
  struct Flags {
    Common common;
    std::vector<std::string> command;
  };
  return {"run", "run a command (mpirun ...) inside the lab with the launcher set up for it",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            add_common(app, f->common);
            app.add_option("COMMAND", f->command, "the command and its arguments, after --")->required();
            app.footer("Example: lightpath lab run -- mpirun -np 8 lightpath p2p --mode bw");
            return [f]() -> int {
              check_prefix(f->common.prefix);
              exec_in_lab(require_state(f->common.prefix), f->command, f->common.verbose);
            };
          }};
}

cli::Command exec_command() {
  return {"exec", "run a shell command on one lab host (Open MPI's rsh agent for the lab)",
          [](CLI::App& app) -> cli::Action {
            auto c = std::make_shared<Common>();
            add_common(app, *c);
            app.prefix_command();
            app.footer("Usage: lightpath lab exec [--prefix P] HOST [--] [COMMAND...]; the words are joined "
                       "and run by /bin/sh, as ssh does");
            return [c, &app]() -> int {
              check_prefix(c->prefix);
              std::vector<std::string> words = exec_words(app);
              if (words.empty()) throw InputError("lab exec: name the host to run on");
              const std::string host = words.front();
              words.erase(words.begin());
              exec_on_host(require_state(c->prefix), host, words, c->verbose);
            };
          }};
}

cli::Command apply_command() {
  struct Flags {
    Common common;
    std::string proposal;
  };
  return {"apply", "apply a proposal's stages to the lab, checking every block reaches every other after each",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            add_common(app, f->common);
            app.add_option("--proposal", f->proposal, "lightpath.ocs-proposal/1 file")->required();
            return [f] {
              check_prefix(f->common.prefix);
              LabState state = require_state(f->common.prefix);
              const ProposalStages p = load_proposal_stages(f->proposal, state.fabric);
              if (p.base.circuits != state.config.circuits) {
                const Stage d = diff(state.config, p.base);
                throw input_error(f->proposal, fmt::format("its base is not the lab's circuits ({} of the lab's "
                                                           "are not in it, {} of its are not in the lab)",
                                                           d.remove.circuits.size(), d.add.circuits.size()));
              }
              std::printf("lab apply: %s, %zu stage(s), verified; predicted hop count %.3f\n", f->proposal.c_str(),
                          p.stages.size(), p.predicted_hop_count);
              std::fflush(stdout);
              const Runner run(f->common.verbose);
              double total = 0;
              apply_stages(state, p.stages, run, [&](std::size_t i, const StageTiming& t) {
                total += t.total_s;
                std::printf("stage %zu/%zu: -%zu +%zu circuits in %.3f s (removals %.3f s, additions %.3f s, "
                            "routes %.3f s, check %.3f s); every block reaches every other\n",
                            i + 1, p.stages.size(), t.removed, t.added, t.total_s, t.removals_s, t.additions_s,
                            t.routes_s, t.check_s);
                std::fflush(stdout);
              });
              save_mark(state.prefix, read_counters(Plan(state.fabric, state.prefix), run));
              std::printf("lab apply: done in %.3f s, %zu circuits now; `lab hops` counts from here\n", total,
                          state.config.circuits.size());
              return kExitOk;
            };
          }};
}

cli::Command hops_command() {
  struct Flags {
    Common common;
    std::string interval;
    bool reset = false;
    std::string json;
  };
  return {"hops", "measured traffic-weighted hop count: bytes on circuits / bytes delivered between blocks",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            add_common(app, f->common);
            app.add_option("--interval", f->interval,
                           "measure over this long from now (default: since the mark set by up, apply or --reset)");
            app.add_flag("--reset", f->reset, "then set the mark to now");
            app.add_option("--json", f->json, "also write the report (lightpath.lab-hops/1) here");
            return [f] {
              check_prefix(f->common.prefix);
              std::chrono::nanoseconds wait{0};
              if (!f->interval.empty()) {
                wait = parse_duration(f->interval, "--interval");
                if (wait.count() <= 0) throw input_error("--interval", "must be positive");
              }
              const LabState state = require_state(f->common.prefix);
              const Plan plan(state.fabric, state.prefix);
              const Runner run(f->common.verbose);
              Snapshot from;
              if (f->interval.empty()) {
                from = load_mark(state.prefix);
              } else {
                from = read_counters(plan, run);
                std::this_thread::sleep_for(wait);
              }
              const Snapshot now = read_counters(plan, run);
              const HopCount h = hop_count(from, now);
              std::printf("%s", format_hop_count(h).c_str());
              if (!f->json.empty()) write_file_atomic(f->json, to_json(h).dump(1) + "\n");
              if (f->reset) save_mark(state.prefix, now);
              return kExitOk;
            };
          }};
}

}  // namespace

cli::Command lab_command() {
  return {"lab", "the fabric lab: hosts, blocks and circuits in network namespaces (root)",
          [](CLI::App& app) -> cli::Action {
            return cli::add_commands(app, {up_command(), down_command(), run_command(), exec_command(),
                                           apply_command(), hops_command()});
          }};
}

}  // namespace lp::lab
