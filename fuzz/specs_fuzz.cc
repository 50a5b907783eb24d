// Size, size-range and duration specs as users type them.
#include "core/sizes.h"
#include "fuzz/fuzz_target.h"

LP_FUZZ_TARGET({
  try {
    lp::parse_size(input);
  } catch (const lp::InputError&) {
  }
  try {
    const auto sizes = lp::parse_size_range(input);
    for (std::size_t i = 1; i < sizes.size(); ++i) {
      if (sizes[i] <= sizes[i - 1]) __builtin_trap();  // strictly increasing
    }
  } catch (const lp::InputError&) {
  }
  lp::parse_duration(input);
})
