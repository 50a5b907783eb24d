// Proposal files (lightpath.ocs-proposal/1): the reader, and for what it accepts, verify and
// both reports against a fixed fabric (a proposal from anywhere must not crash them).
#include "fuzz/fuzz_target.h"
#include "fuzz/reference_fabric.h"
#include "ocs/proposal.h"
#include "ocs/report.h"
#include "ocs/verify.h"

LP_FUZZ_TARGET({
  const nlohmann::json doc = nlohmann::json::parse(input, nullptr, false);
  if (doc.is_discarded()) return 0;
  const lp::ocs::Proposal p = lp::ocs::parse_proposal(doc, "fuzz.json");
  lp::ocs::verify_proposal(lp::fuzz::reference_fabric(), p, "fuzz.json");
  lp::ocs::report_markdown(p, "fuzz.json");
  lp::ocs::report_html(p, "fuzz.json");
})
