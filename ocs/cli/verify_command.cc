// `lightpath ocs verify`: the independent check of a proposal against its fabric.
#include "ocs/cli/commands.h"

#include "core/error.h"
#include "ocs/proposal.h"
#include "ocs/verify.h"

#include <cstdio>
#include <memory>

namespace lp::ocs {

cli::Command verify_command() {
  return {"verify", "check a proposal against its fabric: every constraint, the stages, the metrics",
          [](CLI::App& sub) -> cli::Action {
            auto fabric = std::make_shared<std::string>();
            auto proposal = std::make_shared<std::string>();
            sub.add_option("--fabric", *fabric, "fabric file (lightpath.fabric/1)")->required();
            sub.add_option("--proposal", *proposal, "proposal file (lightpath.ocs-proposal/1)")->required();
            return [fabric, proposal] {
              const topo::Fabric f = topo::load_fabric(*fabric);
              const Proposal p = load_proposal(*proposal);
              const VerifyReport report = verify_proposal(f, p, *proposal);
              if (!report.ok()) {
                for (const std::string& line : report.problems) std::printf("%s\n", line.c_str());
                std::printf("verify: %zu of %d checks failed\n", report.problems.size(), report.checks);
                return static_cast<int>(kExitFailure);
              }
              std::printf("verify: %s against fabric '%s': %zu stages, %d checks passed\n", proposal->c_str(),
                          f.name.c_str(), p.stages.size(), report.checks);
              return static_cast<int>(kExitOk);
            };
          }};
}

}  // namespace lp::ocs
