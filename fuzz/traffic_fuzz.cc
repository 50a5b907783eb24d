// Traffic matrices, JSON and CSV (parse_traffic decides by content).
#include "fuzz/fuzz_target.h"
#include "topo/traffic.h"

LP_FUZZ_TARGET({
  const lp::topo::TrafficMatrix m = lp::topo::parse_traffic(input, "fuzz.txt");
  if (m.bytes.size() != m.names.size() * m.names.size()) __builtin_trap();
  lp::topo::parse_traffic(lp::topo::to_json(m).dump(), "roundtrip.json");
})
