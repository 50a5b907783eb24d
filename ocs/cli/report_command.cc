// `lightpath ocs report`: the operator's review of a proposal, as Markdown or HTML.
#include "ocs/cli/commands.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "ocs/proposal.h"
#include "ocs/report.h"

#include <cstdio>
#include <memory>

namespace lp::ocs {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

cli::Command report_command() {
  return {"report", "write a proposal's review for an operator (report.md or report.html)",
          [](CLI::App& sub) -> cli::Action {
            auto proposal = std::make_shared<std::string>();
            auto out = std::make_shared<std::string>();
            sub.add_option("proposal", *proposal, "proposal file (lightpath.ocs-proposal/1)")->required();
            sub.add_option("-o,--out", *out, "report to write: .md for Markdown, .html for a page")->required();
            return [proposal, out] {
              const bool html = ends_with(*out, ".html") || ends_with(*out, ".htm");
              if (!html && !ends_with(*out, ".md")) throw input_error("-o", "the report's name must end in .md or .html: " + *out);
              const Proposal p = load_proposal(*proposal);
              if (!p.block_graph.present()) {
                throw input_error(*proposal, "block_graph: missing (a report needs the block summary "
                                             "`lightpath ocs plan` writes; the fabric alone is not in a proposal)");
              }
              write_file_atomic(*out, html ? report_html(p, *proposal) : report_markdown(p, *proposal));
              std::printf("wrote %s\n", out->c_str());
              return 0;
            };
          }};
}

}  // namespace lp::ocs
