// Fabric files and, against a fixed valid fabric, OCS configuration files.
#include "fuzz/fuzz_target.h"
#include "topo/fabric.h"
#include "fuzz/reference_fabric.h"

LP_FUZZ_TARGET({
  const nlohmann::json doc = nlohmann::json::parse(input, nullptr, false);
  if (doc.is_discarded()) return 0;
  try {
    lp::topo::parse_fabric(doc, "fuzz.json");
  } catch (const lp::InputError&) {
  }
  lp::topo::parse_ocs_config(doc, lp::fuzz::reference_fabric(), "fuzz.json");
})
