#include "topo/cli/topo_command.h"

#include "topo/fabric_summary.h"
#include "topo/host.h"

#include <cstdio>
#include <memory>

namespace lp::topo {
namespace {

cli::Command host_command() {
  return {"host", "this machine: packages, NUMA nodes, cores, caches, NICs and GPUs (hwloc)",
          [](CLI::App& app) -> cli::Action {
            auto json = std::make_shared<bool>(false);
            app.add_flag("--json", *json, "print JSON instead of text");
            return [json] {
              const HostTopology h = discover_host();
              std::printf("%s", *json ? (to_json(h).dump(2) + "\n").c_str() : format_host(h).c_str());
              return 0;
            };
          }};
}

cli::Command fabric_command() {
  struct Flags {
    std::string fabric;
    std::string config;
    bool json = false;
  };
  return {"fabric", "check a fabric file (and a circuit configuration) and summarize it",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            app.add_option("FABRIC", f->fabric, "lightpath.fabric/1 file")->required();
            app.add_option("--config", f->config, "lightpath.ocs-config/1 file: show its block graph");
            app.add_flag("--json", f->json, "print JSON instead of text");
            return [f] {
              const Fabric fabric = load_fabric(f->fabric);
              std::optional<OcsConfig> config;
              if (!f->config.empty()) config = load_ocs_config(f->config, fabric);
              std::printf("%s", f->json ? (fabric_summary_json(fabric, config).dump(2) + "\n").c_str()
                                        : format_fabric_summary(fabric, config).c_str());
              return 0;
            };
          }};
}

}  // namespace

cli::Command topo_command() {
  return {"topo", "host topology and fabric files", [](CLI::App& app) -> cli::Action {
            return cli::add_commands(app, {host_command(), fabric_command()});
          }};
}

}  // namespace lp::topo
