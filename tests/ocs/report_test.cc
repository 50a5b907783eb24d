// The operator's report: what it must show, in both forms, and that the page fetches nothing.
#include "ocs/report.h"
#include "ocs/synth/synthetic.h"
#include "tests/ocs/plan_helpers.h"

#include <gtest/gtest.h>

namespace lp::ocs {
namespace {

// A ring plan; the traffic it shows then gains a heavy pair the ring has no circuit for.
Proposal sample(double ring_gbps) {
  const topo::Fabric f = synth::uniform_fabric(6, 2, 2, 0, 100, 1, "pod<a>");
  Proposal p = testing::plan_verified(f, synth::ring_traffic(f, ring_gbps), synth::mesh_config(f), {}).proposal;
  p.traffic.at(0, 3) = 90e9;
  return p;
}

TEST(Report, MarkdownHasEverySection) {
  const std::string md = report_markdown(sample(150), "p.json");
  for (const char* want : {"# OCS reconfiguration proposal: fabric `pod<a>`", "## Metrics", "| before |", "| after |",
                           "| bound |", "Gap to the bound", "## Warnings", "## Settings", "| min_capacity | `0.75` |",
                           "## Traffic planned for", "## Block graph", "## Stages", "| stage | OCS | action | port |"}) {
    EXPECT_NE(md.find(want), std::string::npos) << want;
  }
  EXPECT_NE(md.find("| remove |"), std::string::npos);
  EXPECT_NE(md.find("| add |"), std::string::npos);
}

TEST(Report, WarnsOfHeavyPairsWithoutCircuitsAndFullBlocks) {
  const Findings f = find(sample(150));
  std::string all;
  for (const std::string& w : f.warnings) all += w + "\n";
  EXPECT_NE(all.find("blocks 'b0' and 'b3' exchange 720 Gbit/s"), std::string::npos) << all;
  EXPECT_NE(all.find("without a direct circuit"), std::string::npos) << all;
  EXPECT_NE(all.find("near its port limit"), std::string::npos) << all;
}

TEST(Report, HtmlIsSelfContainedAndEscaped) {
  const std::string html = report_html(sample(150), "p.json");
  for (const char* id : {"id=\"metrics\"", "id=\"warnings\"", "id=\"settings\"", "id=\"heatmap\"", "id=\"graph-before\"",
                         "id=\"graph-after\"", "id=\"stages\"", "id=\"changes\" class=\"sortable\""}) {
    EXPECT_NE(html.find(id), std::string::npos) << id;
  }
  EXPECT_NE(html.find("pod&lt;a&gt;"), std::string::npos);
  EXPECT_EQ(html.find("pod<a>"), std::string::npos);
  // Nothing to fetch: no external scripts, styles, images or fonts.
  for (const char* ref : {"src=", "href=", "@import", "url("}) EXPECT_EQ(html.find(ref), std::string::npos) << ref;
  EXPECT_EQ(html.rfind("</html>\n"), html.size() - 8);
}

}  // namespace
}  // namespace lp::ocs
