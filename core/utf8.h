// Text that reaches JSON output must be valid UTF-8: readers of non-JSON inputs (CSV) check.
#pragma once

#include <string_view>

namespace lp {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace lp
