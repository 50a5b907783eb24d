// `lightpath ocs plan`: traffic + fabric (+ current circuits) -> a verified, staged proposal.
#include "ocs/cli/commands.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "ocs/json_text.h"
#include "ocs/planner.h"
#include "ocs/proposal.h"
#include "ocs/verify.h"
#include "topo/problems.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>

namespace lp::ocs {
namespace {

struct PlanOptions {
  std::string fabric, traffic, current, out;
  PlanSettings settings;
  int max_churn = -1;
};

std::string mlu_text(const std::optional<double>& mlu) { return mlu ? fmt::format("{:.4f}", *mlu) : "unroutable"; }

// The circuits in place. A circuit on a port that has failed since carries nothing: it is
// left out (said on stderr), so that the plan starts from what works.
topo::OcsConfig load_current(const std::string& path, const topo::Fabric& fabric) {
  nlohmann::json doc = topo::parse_json(read_file(path), path);
  if (doc.is_object() && doc.contains("circuits") && doc["circuits"].is_array()) {
    nlohmann::json kept = nlohmann::json::array();
    for (const nlohmann::json& c : doc["circuits"]) {
      bool dead = false;
      if (c.is_object() && c.contains("ocs") && c["ocs"].is_string() && c.contains("ports") && c["ports"].is_array()) {
        const int o = fabric.ocs_index(c["ocs"].get<std::string>());
        for (const nlohmann::json& port : c["ports"]) {
          dead |= o >= 0 && port.is_number_integer() && fabric.port_failed(o, port.get<int>());
        }
      }
      if (dead) {
        std::fprintf(stderr, "lightpath: %s: circuit %s on a failed port: left out of the configuration in place\n",
                     path.c_str(), c.dump().c_str());
      } else {
        kept.push_back(c);
      }
    }
    doc["circuits"] = std::move(kept);
  }
  return topo::parse_ocs_config(doc, fabric, path);
}

int run_plan(const PlanOptions& o) {
  const topo::Fabric fabric = topo::load_fabric(o.fabric);
  topo::TrafficMatrix traffic = load_block_traffic(o.traffic, fabric);
  std::optional<topo::OcsConfig> current;
  if (!o.current.empty()) current = load_current(o.current, fabric);
  PlanSettings settings = o.settings;
  if (o.max_churn >= 0) settings.max_churn = o.max_churn;
  const PlanInput in = make_plan_input(fabric, std::move(traffic), std::move(current), settings, o.fabric);
  const Plan plan = make_plan(in);

  nlohmann::json recorded = settings_json(settings);
  recorded["fabric_file"] = o.fabric;
  recorded["traffic_file"] = o.traffic;
  recorded["current_file"] = o.current.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.current);
  const nlohmann::json doc = proposal_json(plan, in, recorded);
  // The independent check runs on what is about to be written, as verify would read it.
  const VerifyReport report = verify_proposal(fabric, parse_proposal(doc, o.out), o.out);
  if (!report.ok()) {
    std::string list;
    for (const std::string& line : report.problems) list += "\n  " + line;
    throw Error(fmt::format("the proposal failed verification and was not written:{}", list));
  }
  write_file_atomic(o.out, json_text(doc, {"format", "fabric", "base", "target", "stages", "metrics", "traffic", "settings"}));

  std::printf("plan: fabric '%s' (%zu blocks, %zu OCS), %s\n", fabric.name.c_str(), fabric.blocks.size(),
              fabric.ocs.size(), plan.method.value("path", "").c_str());
  std::printf("%-8s %16s %10s %12s %8s\n", "", "direct_fraction", "hop_count", "mlu", "churn");
  std::printf("%-8s %16.4f %10.4f %12s %8d\n", "before", plan.before.direct_fraction, plan.before.hop_count,
              mlu_text(plan.before.mlu).c_str(), plan.before.churn);
  std::printf("%-8s %16.4f %10.4f %12s %8d\n", "after", plan.after.direct_fraction, plan.after.hop_count,
              mlu_text(plan.after.mlu).c_str(), plan.after.churn);
  std::printf("%-8s %16.4f   (gap to the bound %.4f)\n", "bound", plan.bound, plan.bound - plan.after.direct_fraction);
  double least = 1;
  for (const Stage& s : plan.stages) least = std::min(least, s.min_block_capacity);
  std::printf("stages: %zu, every block keeps at least %.3f of its circuits\n", plan.stages.size(), least);
  std::printf("verified: %d checks\nwrote %s\n", report.checks, o.out.c_str());
  return 0;
}

}  // namespace

cli::Command plan_command() {
  return {"plan", "plan a staged OCS reconfiguration from observed traffic",
          [](CLI::App& sub) -> cli::Action {
            auto o = std::make_shared<PlanOptions>();
            sub.add_option("--fabric", o->fabric, "fabric file (lightpath.fabric/1)")->required();
            sub.add_option("--traffic", o->traffic, "traffic file (lightpath.traffic/1 or CSV)")->required();
            sub.add_option("--current", o->current, "circuits in place (lightpath.ocs-config/1); none: a fresh fabric");
            sub.add_option("-o,--out", o->out, "proposal to write (lightpath.ocs-proposal/1)")->required();
            sub.add_option("--max-churn", o->max_churn, "most circuits removed plus added")->check(CLI::NonNegativeNumber);
            sub.add_option("--min-pair-circuits", o->settings.min_pair_circuits,
                           "circuits every block pair keeps (a base mesh for traffic not yet seen)")
                ->check(CLI::NonNegativeNumber);
            sub.add_option("--min-capacity", o->settings.min_capacity,
                           "share of its circuits every block keeps while a stage is applied")
                ->check(CLI::Range(0.0, 1.0))
                ->capture_default_str();
            sub.add_option("--mlu-slack", o->settings.mlu_slack,
                           "relative MLU a target with fewer changes may give up (0: strictly lexicographic)")
                ->check(CLI::Range(0.0, 10.0))
                ->capture_default_str();
            sub.add_flag("--exact", o->settings.exact, "solve the whole problem as one integer program (small fabrics)");
            sub.add_option("--seed", o->settings.seed, "seed of the factorization's retries")->capture_default_str();
            return [o] { return run_plan(*o); };
          }};
}

}  // namespace lp::ocs
