#include "ocs/cli/ocs_command.h"

#include "ocs/cli/commands.h"
#include "ocs/demand.h"

#include <cstdio>

namespace lp::ocs {

topo::TrafficMatrix load_block_traffic(const std::string& path, const topo::Fabric& fabric) {
  std::string note;
  topo::TrafficMatrix m = block_traffic(topo::load_traffic(path), fabric, path, &note);
  if (!note.empty()) std::fprintf(stderr, "lightpath: %s\n", note.c_str());
  return m;
}

cli::Command ocs_command() {
  return {"ocs", "optical circuit switch planning: eval, plan, verify, report",
          [](CLI::App& sub) -> cli::Action {
            return cli::add_commands(sub, {eval_command(), plan_command(), verify_command(), report_command()});
          }};
}

}  // namespace lp::ocs
