// What the lab reads: a proposal's stages against a fixed valid fabric, its own counter marks,
// and `ip -s -j link show` output.
#include "fuzz/fuzz_target.h"
#include "lab/counters.h"
#include "lab/proposal_stages.h"
#include "fuzz/reference_fabric.h"

LP_FUZZ_TARGET({
  try {
    lp::lab::parse_link_stats(input, "lp-b-a", "lp");
  } catch (const lp::Error&) {
  }
  const nlohmann::json doc = nlohmann::json::parse(input, nullptr, false);
  if (doc.is_discarded()) return 0;
  try {
    lp::lab::snapshot_from_json(doc, "mark.json");
  } catch (const lp::InputError&) {
  }
  lp::lab::parse_proposal_stages(doc, lp::fuzz::reference_fabric(), "fuzz.json");
})
