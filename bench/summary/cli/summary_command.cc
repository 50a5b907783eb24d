#include "bench/summary/cli/summary_command.h"

#include "bench/compare/compare.h"
#include "bench/summary/summary.h"
#include "core/error.h"

#include <cstdio>
#include <memory>

namespace lp::bench {

cli::Command summary_command() {
  struct Flags {
    std::vector<std::string> files;
    std::string slo;
    bool json = false;
  };
  return {"summary", "millisecond readiness: each cluster against latency budgets (exit 1 on a miss)",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            app.add_option("RESULTS", f->files, "JSON Lines result files")->required();
            app.add_option("--slo", f->slo, "budgets, a lightpath.slo/1 file (default: 1 ms inside the "
                                            "center, 10 ms terminal to server)");
            app.add_flag("--json", f->json, "print JSON instead of text");
            return [f] {
              const Budgets budgets = f->slo.empty() ? Budgets{} : load_budgets(f->slo);
              std::vector<nlohmann::json> records;
              for (const std::string& path : f->files) {
                auto more = read_results(path);
                records.insert(records.end(), more.begin(), more.end());
              }
              if (records.empty()) throw InputError(f->files.front() + ": no result records");
              const auto clusters = summarize(records, budgets);
              std::printf("%s", f->json ? (to_json(clusters).dump(2) + "\n").c_str()
                                        : format_summary(clusters, budgets).c_str());
              return any_failed(clusters) ? kExitFailure : kExitOk;
            };
          }};
}

}  // namespace lp::bench
