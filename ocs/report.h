// The operator's review of a proposal, from the proposal alone: metrics before and after and
// the gap to the bound, warnings, the settings, the traffic it was planned for, the block
// graph before and after, and the cross-connects to remove and add on each OCS in stage order.
// As Markdown, or as one self-contained HTML page (inline CSS and SVG, a few lines of inline
// script to sort the tables; nothing fetched).
#pragma once

#include "ocs/proposal.h"

#include <string>
#include <vector>

namespace lp::ocs {

// What the report points out.
struct Findings {
  std::vector<std::string> warnings;
  // Block pairs whose circuit count changes: (i, j, before, after), heaviest traffic first.
  struct PairChange {
    int i, j, before, after;
    double gbps;
  };
  std::vector<PairChange> changes;
  // Block pairs by traffic, both directions added: (i, j, gbps, circuits after, direct share).
  struct PairTraffic {
    int i, j;
    double gbps;
    int circuits;
    double direct;  // 0..1 of the pair's traffic on its own circuits after
  };
  std::vector<PairTraffic> pairs;
};

Findings find(const Proposal& p);

std::string report_markdown(const Proposal& p, const std::string& source);
std::string report_html(const Proposal& p, const std::string& source);

}  // namespace lp::ocs
