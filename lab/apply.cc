#include "lab/apply.h"

#include "core/error.h"
#include "lab/probe.h"
#include "lab/routes.h"
#include "lab/setup.h"

#include <chrono>

namespace lp::lab {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

double circuit_rate_bps(const LabState& state) { return state.fabric.link_gbps * 1e9 * state.scale; }

void check_reachable(const Plan& plan, const std::string& when) {
  const auto pairs = unreachable_blocks(plan, std::chrono::seconds(2));
  if (pairs.empty()) return;
  std::string list;
  for (std::size_t k = 0; k < pairs.size() && k < 10; ++k) {
    list += fmt::format("{}{} -> {}", k ? ", " : "", plan.blocks()[static_cast<std::size_t>(pairs[k].first)].name,
                        plan.blocks()[static_cast<std::size_t>(pairs[k].second)].name);
  }
  if (pairs.size() > 10) list += fmt::format(" and {} more", pairs.size() - 10);
  throw Error(fmt::format("{}: {} block pair(s) do not reach each other: {}", when, pairs.size(), list));
}

void apply_stages(LabState& state, const std::vector<Stage>& stages, const Runner& run,
                  const std::function<void(std::size_t, const StageTiming&)>& report) {
  const Plan plan(state.fabric, state.prefix);
  const double rate = circuit_rate_bps(state);
  // Every stage is checked against the circuits before it, before anything changes.
  std::vector<topo::OcsConfig> removed(stages.size()), added(stages.size());
  topo::OcsConfig at = state.config;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    removed[i] = apply_stage(at, Stage{stages[i].remove, {}}, state.fabric, "lab apply", i);
    added[i] = at = apply_stage(at, stages[i], state.fabric, "lab apply", i);
  }
  for (std::size_t i = 0; i < stages.size(); ++i) {
    StageTiming t;
    t.removed = stages[i].remove.circuits.size();
    t.added = stages[i].add.circuits.size();
    const auto start = Clock::now();
    auto step = start;
    remove_circuits(plan, run, plan.links(stages[i].remove));
    state.config = removed[i];
    save_state(state);
    t.removals_s = seconds_since(step);
    step = Clock::now();
    add_circuits(plan, run, plan.links(stages[i].add), rate);
    state.config = added[i];
    save_state(state);
    t.additions_s = seconds_since(step);
    step = Clock::now();
    install_routes(plan, run, plan.links(state.config));
    t.routes_s = seconds_since(step);
    step = Clock::now();
    check_reachable(plan, fmt::format("after stage {} of {}", i + 1, stages.size()));
    t.check_s = seconds_since(step);
    t.total_s = seconds_since(start);
    report(i, t);
  }
}

}  // namespace lp::lab
