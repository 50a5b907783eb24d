#include "bench/compare/cli/compare_command.h"

#include "bench/compare/compare.h"
#include "core/error.h"

#include <cstdio>
#include <memory>

namespace lp::bench {

cli::Command compare_command() {
  struct Flags {
    std::string base;
    std::string now;
    std::string threshold = "5%";
  };
  return {"compare", "match two runs' results and flag regressions (exit 1 when any)",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            app.add_option("BASE", f->base, "JSON Lines results of the reference run")->required();
            app.add_option("NEW", f->now, "JSON Lines results of the run to judge")->required();
            app.add_option("--threshold", f->threshold, "a change worse than this is a regression")
                ->capture_default_str();
            return [f] {
              const double threshold = parse_threshold(f->threshold);
              const CompareResult r = compare_results(read_results(f->base), f->base,
                                                      read_results(f->now), f->now, threshold);
              std::printf("%s", format_comparison(r, threshold).c_str());
              return r.regressions > 0 ? kExitFailure : kExitOk;
            };
          }};
}

}  // namespace lp::bench
