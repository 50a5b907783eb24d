#include "core/error.h"

#include <cstdio>

namespace lp {

InputError input_error(std::string_view source, std::string_view problem) {
  return InputError(fmt::format("{}: {}", source, problem));
}

void log_destructor_error(std::string_view where, std::string_view what) noexcept {
  std::fprintf(stderr, "lightpath: warning: %.*s: %.*s\n", static_cast<int>(where.size()),
               where.data(), static_cast<int>(what.size()), what.data());
}

namespace detail {
void enforce_failed(const char* file, int line, const char* expr, const std::string& values,
                    const std::string& message) {
  std::string text = fmt::format("internal check failed at {}:{}: {}", file, line, expr);
  if (!values.empty()) text += fmt::format(" ({})", values);
  if (!message.empty()) text += fmt::format(": {}", message);
  throw Error(text);
}
}  // namespace detail

}  // namespace lp
