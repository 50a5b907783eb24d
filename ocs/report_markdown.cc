// The report as Markdown.
#include "ocs/report.h"

#include <fmt/format.h>

#include <map>

namespace lp::ocs {
namespace {

std::string mlu(const std::optional<double>& v) { return v ? fmt::format("{:.4f}", *v) : "unroutable"; }

std::string circuit_row(std::size_t stage, const char* action, const NamedCircuit& c) {
  const std::string a = c.blocks.size() == 2 ? c.blocks[0] : "?";
  const std::string b = c.blocks.size() == 2 ? c.blocks[1] : "?";
  return fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", stage + 1, c.ocs, action, c.a, c.b, a, b);
}

}  // namespace

std::string report_markdown(const Proposal& p, const std::string& source) {
  const Findings f = find(p);
  const BlockSummary& g = p.block_graph;
  std::string out = fmt::format("# OCS reconfiguration proposal: fabric `{}`\n\nFrom `{}`: {} blocks, {} circuits in "
                                "the base, {} in the target, {} stages.\n\n",
                                p.fabric, source, g.blocks.size(), p.base.size(), p.target.size(), p.stages.size());
  out += "## Metrics\n\n| | direct fraction | hop count | MLU | churn |\n| --- | --- | --- | --- | --- |\n";
  out += fmt::format("| before | {:.4f} | {:.4f} | {} | {} |\n", p.before.direct_fraction, p.before.hop_count, mlu(p.before.mlu), p.before.churn);
  out += fmt::format("| after | {:.4f} | {:.4f} | {} | {} |\n", p.after.direct_fraction, p.after.hop_count, mlu(p.after.mlu), p.after.churn);
  out += fmt::format("| bound | {:.4f} | {:.4f} | | |\n\n", p.bound_direct_fraction, 2 - p.bound_direct_fraction);
  out += fmt::format("Gap to the bound (the linear relaxation): {:.4f} of direct fraction.\n\n",
                     p.bound_direct_fraction - p.after.direct_fraction);

  out += "## Warnings\n\n";
  if (f.warnings.empty()) out += "None.\n";
  for (const std::string& w : f.warnings) out += "- " + w + "\n";

  out += "\n## Settings\n\n| setting | value |\n| --- | --- |\n";
  for (auto it = p.settings.begin(); it != p.settings.end(); ++it) out += fmt::format("| {} | `{}` |\n", it.key(), it.value().dump());

  double total = 0;
  for (const auto& pair : f.pairs) total += pair.gbps;
  out += fmt::format("\n## Traffic planned for\n\n{:.6g} Gbit/s between blocks over {} s. Heaviest block pairs (both "
                     "directions):\n\n| block | block | Gbit/s | share | circuits after | served directly |\n"
                     "| --- | --- | --- | --- | --- | --- |\n", total, p.traffic.duration_s);
  for (std::size_t k = 0; k < f.pairs.size() && k < 20; ++k) {
    const auto& pair = f.pairs[k];
    out += fmt::format("| {} | {} | {:.6g} | {:.1f}% | {} | {:.1f}% |\n", g.blocks[static_cast<std::size_t>(pair.i)],
                       g.blocks[static_cast<std::size_t>(pair.j)], pair.gbps, 100 * pair.gbps / total, pair.circuits, 100 * pair.direct);
  }

  out += "\n## Block graph\n\nCircuits per block pair that change:\n\n| block | block | before | after | Gbit/s |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& c : f.changes) {
    out += fmt::format("| {} | {} | {} | {} | {:.6g} |\n", g.blocks[static_cast<std::size_t>(c.i)], g.blocks[static_cast<std::size_t>(c.j)],
                       c.before, c.after, c.gbps);
  }
  if (f.changes.empty()) out += "| (none) | | | | |\n";

  out += "\n## Stages\n\nApply in order; within a stage remove first, then add.\n\n| stage | removals | additions | "
         "min block capacity | connected |\n| --- | --- | --- | --- | --- |\n";
  for (std::size_t k = 0; k < p.stages.size(); ++k) {
    const ProposalStage& s = p.stages[k];
    out += fmt::format("| {} | {} | {} | {:.3f} | {} |\n", k + 1, s.remove.size(), s.add.size(), s.min_block_capacity,
                       s.connected ? "yes" : "no");
  }
  out += "\nCross-connects per OCS, in stage order:\n\n| stage | OCS | action | port | port | block | block |\n"
         "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (std::size_t k = 0; k < p.stages.size(); ++k) {
    std::map<std::string, std::string> per_ocs;  // OCS -> its rows, removals first
    for (const NamedCircuit& c : p.stages[k].remove) per_ocs[c.ocs] += circuit_row(k, "remove", c);
    for (const NamedCircuit& c : p.stages[k].add) per_ocs[c.ocs] += circuit_row(k, "add", c);
    for (const auto& [ocs, rows] : per_ocs) out += rows;
  }
  return out;
}

}  // namespace lp::ocs
